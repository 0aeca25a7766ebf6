/**
 * Starts the long-running parts of nuqta (API server, partition consumers,
 * pollers, the expiry schedule) on top of one opened Nuqta, and stops them in
 * order on a signal.
 */
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { Worker } from 'bullmq';
import { openNuqta, type Nuqta } from './app.js';
import { loadCampaignDirectory } from './config/campaign-loader.js';
import type { NuqtaConfig } from './config/env.js';
import { DEFAULT_CONSUMER_SETTINGS, PartitionConsumers } from './ingestion/partition-consumer.js';
import { startPollWorker } from './ingestion/pollers.js';
import { buildServer, type NuqtaServer } from './api/server.js';
import { createLogger, type Logger } from './log.js';
import { startDeliveryWorker } from './outbound/delivery-worker.js';
import { startDispatcher } from './outbound/outbox.js';
import { ERASE_MEMBER_TASK, erasureTaskHandler } from './privacy/erase-member.js';
import { REVIEW_DECISION_TASK, reviewDecisionHandler } from './review/decide-flag.js';
import { WAVE_REVIEW_TASK, waveReviewHandler } from './review/wave-review.js';
import { BatchScorer } from './scoring/batch-scorer.js';
import type { MemberTaskHandler } from './scoring/member-task.js';
import { EXPIRE_TASK, expiryTaskHandler, startExpirySchedule } from './scoring/expiry-job.js';
import { REDEEM_TASK, redemptionTaskHandler } from './scoring/redemption.js';
import { REPAIR_TASK, repairTaskHandler } from './scoring/repair-task.js';
import { REPLAY_TASK, replayTaskHandler } from './scoring/replay.js';
import { VOUCHER_CANCEL_TASK, voucherCancelHandler } from './scoring/voucher-cancel.js';
import { REFERRER_AWARD_TASK, REFERRER_REVERSAL_TASK, referrerAwardHandler, referrerReversalHandler } from './scoring/referrer-task.js';

export interface Running {
  nuqta: Nuqta;
  server?: NuqtaServer;
  /** `http://host:port` when serving. */
  url?: string;
  consumers?: PartitionConsumers;
  workers: Worker[];
  stop(): Promise<void>;
}

/** Opens nuqta; the campaign files in NUQTA_CAMPAIGNS are read and stored where new or changed unless `files` is false. */
export async function openFromConfig(config: NuqtaConfig, logger: Logger = createLogger(config.LOG_LEVEL), options: { files?: boolean } = {}): Promise<Nuqta> {
  const campaigns = options.files === false ? [] : await loadCampaignDirectory(config.NUQTA_CAMPAIGNS);
  return openNuqta({ config, campaigns, logger });
}

/** Member tasks the partition consumers run in the member's turn, by kind. */
export function memberTaskHandlers(nuqta: Nuqta): Map<string, MemberTaskHandler> {
  return new Map<string, MemberTaskHandler>([
    [EXPIRE_TASK, expiryTaskHandler({ prefix: nuqta.config.NUQTA_QUEUE_PREFIX, expiringNoticeDays: (campaignId) => nuqta.outbound.endpoints.expiringNoticeDays(campaignId) })],
    [REDEEM_TASK, redemptionTaskHandler(nuqta)],
    [VOUCHER_CANCEL_TASK, voucherCancelHandler(nuqta)],
    [REVIEW_DECISION_TASK, reviewDecisionHandler(nuqta)],
    [WAVE_REVIEW_TASK, waveReviewHandler()],
    [REFERRER_AWARD_TASK, referrerAwardHandler(nuqta)],
    [REFERRER_REVERSAL_TASK, referrerReversalHandler(nuqta)],
    [REPLAY_TASK, replayTaskHandler(nuqta)],
    [REPAIR_TASK, repairTaskHandler(nuqta)],
    [ERASE_MEMBER_TASK, erasureTaskHandler(nuqta)],
  ]);
}

/** The partition consumers of this process: each partition it takes gets a batch scorer of its own. */
export function partitionConsumers(nuqta: Nuqta): PartitionConsumers {
  const tasks = memberTaskHandlers(nuqta);
  const { config } = nuqta;
  return new PartitionConsumers({
    redis: nuqta.redis,
    workerConnection: () => nuqta.workerConnection(),
    prefix: config.NUQTA_QUEUE_PREFIX,
    logger: nuqta.logger,
    handlerFor: () => new BatchScorer({ ...nuqta, tasks }),
    settings: {
      ...DEFAULT_CONSUMER_SETTINGS,
      batchSize: config.NUQTA_BATCH_SIZE,
      leaseMs: config.NUQTA_PARTITION_LEASE_SECONDS * 1000,
      lockMs: config.NUQTA_PARTITION_LEASE_SECONDS * 1500,
    },
  });
}

export async function startRunning(nuqta: Nuqta, parts: { serve: boolean; work: boolean }): Promise<Running> {
  const workers: Worker[] = [];
  const unwatch = nuqta.catalog.watch();
  let consumers: PartitionConsumers | undefined;
  let stopDispatcher: (() => Promise<void>) | undefined;
  if (parts.work) {
    await nuqta.queue.allowBatches();
    consumers = partitionConsumers(nuqta);
    await consumers.start();
    // Pollers of every connected account (scheduled once per account, whatever the number of workers).
    workers.push(await startPollWorker(nuqta));
    // Expiry sweeps (scheduled once, whatever the number of workers).
    workers.push(...(await startExpirySchedule(nuqta)));
    // Outbound webhooks: the outbox read into deliveries, and the deliveries sent.
    const { outbound, config } = nuqta;
    stopDispatcher = startDispatcher({
      connection: nuqta.workerConnection(), prefix: config.NUQTA_QUEUE_PREFIX, endpoints: outbound.endpoints, deliveries: outbound.deliveries,
      queue: outbound.queue, logger: nuqta.logger, consumer: `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`,
    });
    workers.push(startDeliveryWorker({
      connection: nuqta.workerConnection(), prefix: config.NUQTA_QUEUE_PREFIX, queue: outbound.queue, endpoints: outbound.endpoints,
      deliveries: outbound.deliveries, policy: outbound.policy, metrics: nuqta.metrics, logger: nuqta.logger,
    }));
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
    ...(consumers ? { consumers } : {}),
    ...(server ? { server } : {}),
    ...(url ? { url } : {}),
    async stop() {
      unwatch();
      await server?.close();
      await consumers?.stop();
      await stopDispatcher?.();
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
