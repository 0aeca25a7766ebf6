/**
 * Starts the long-running parts of nuqta (API server, ingest workers) on top
 * of one opened Nuqta, and stops them in order on a signal.
 */
import type { Worker } from 'bullmq';
import { openNuqta, type Nuqta } from './app.js';
import { loadCampaignDirectory } from './config/campaign-loader.js';
import type { NuqtaConfig } from './config/env.js';
import { startIngestWorkers, type MemberTaskHandler } from './ingestion/ingest-worker.js';
import { startPollWorker } from './ingestion/pollers.js';
import { buildServer, type NuqtaServer } from './api/server.js';
import { createLogger, type Logger } from './log.js';
import { scoreEvent } from './scoring/rules/score-event.js';
import { EXPIRE_TASK, expireMember, startExpirySchedule } from './scoring/expiry-job.js';
import { decideFlag, REVIEW_DECISION_TASK } from './review/decide-flag.js';
import { ERASE_MEMBER_TASK, eraseMember } from './privacy/erase-member.js';

export interface Running {
  nuqta: Nuqta;
  server?: NuqtaServer;
  /** `http://host:port` when serving. */
  url?: string;
  workers: Worker[];
  stop(): Promise<void>;
}

export async function openFromConfig(config: NuqtaConfig, logger: Logger = createLogger(config.LOG_LEVEL)): Promise<Nuqta> {
  const campaigns = await loadCampaignDirectory(config.NUQTA_CAMPAIGNS);
  return openNuqta({ config, campaigns, logger, decide: scoreEvent });
}

/** Member tasks the ingest workers run in the member's partition, by kind. */
export function memberTaskHandlers(nuqta: Nuqta): Map<string, MemberTaskHandler> {
  return new Map<string, MemberTaskHandler>([
    [EXPIRE_TASK, async (task) => {
      await expireMember(nuqta, task);
    }],
    [REVIEW_DECISION_TASK, (task) => decideFlag(nuqta, task)],
    [ERASE_MEMBER_TASK, (task) => eraseMember(nuqta, task)],
  ]);
}

export async function startRunning(nuqta: Nuqta, parts: { serve: boolean; work: boolean }): Promise<Running> {
  const workers: Worker[] = [];
  if (parts.work) {
    await nuqta.queue.limitToOneJobPerPartition();
    const deps = { ...nuqta, memberTasks: memberTaskHandlers(nuqta) };
    workers.push(...(await startIngestWorkers(nuqta.workerConnection(), nuqta.config.NUQTA_QUEUE_PREFIX, deps)));
    // Pollers of every connected account (scheduled once per account, whatever the number of workers).
    workers.push(await startPollWorker(nuqta));
    // Expiry sweeps (scheduled once, whatever the number of workers).
    workers.push(...(await startExpirySchedule(nuqta)));
  }
  let server: NuqtaServer | undefined;
  let url: string | undefined;
  if (parts.serve) {
    server = await buildServer(nuqta);
    url = await server.listen({ port: nuqta.config.PORT, host: nuqta.config.HOST });
  }
  return {
    nuqta,
    workers,
    ...(server ? { server } : {}),
    ...(url ? { url } : {}),
    async stop() {
      await server?.close();
      await Promise.all(workers.map((worker) => worker.close()));
      await nuqta.close();
    },
  };
}

/** Keeps the process up until SIGINT/SIGTERM, then stops cleanly. */
export function stopOnSignal(running: Running, logger: Logger): void {
  const stop = (signal: string): void => {
    logger.info({ signal }, 'stopping');
    running.stop().then(() => process.exit(0), (error: unknown) => {
      logger.error({ err: error }, 'stop failed');
      process.exit(1);
    });
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
