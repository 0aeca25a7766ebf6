import { UnrecoverableError, Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import type { CampaignRegistry } from '../config/campaign-registry.js';
import { engagementEventSchema } from '../domain/event.js';
import type { Logger } from '../log.js';
import type { Metrics } from '../metrics.js';
import type { EventScorer } from '../scoring/event-scorer.js';
import type { EventStore } from './event-store.js';
import { INGEST_PARTITIONS, ingestQueueName, type IngestJob, type MemberTask } from './ingest-queue.js';

export type MemberTaskHandler = (task: MemberTask) => Promise<void>;

export interface IngestWorkerDeps {
  /** Handlers of member tasks by kind; a task of an unknown kind fails permanently. */
  memberTasks?: ReadonlyMap<string, MemberTaskHandler>;
  campaigns: CampaignRegistry;
  events: EventStore;
  scorer: EventScorer;
  metrics: Metrics;
  logger: Logger;
}

/** Stores one event (once) and scores it for every campaign it concerns, or runs a member task. */
export async function processIngestJob(deps: IngestWorkerDeps, data: IngestJob): Promise<void> {
  if ('task' in data) {
    const handler = deps.memberTasks?.get(data.task.kind);
    if (!handler) throw new UnrecoverableError(`no handler for member task "${data.task.kind}"`);
    await handler(data.task);
    return;
  }
  // Job data went through JSON: revive dates and re-check the shape.
  const event = engagementEventSchema.parse(data.event);
  const outcome = await deps.events.insert(event);
  deps.metrics.eventsStored.inc({ outcome });
  for (const loaded of deps.campaigns.matching(event)) {
    const scored = await deps.scorer.score(loaded, event);
    deps.logger.debug({ eventKey: event.eventKey, campaignId: loaded.campaign.id, written: scored.written.length }, 'event scored');
  }
}

/**
 * One BullMQ worker per partition, each running one job at a time; the
 * partition's global concurrency of 1 extends that across processes.
 */
export async function startIngestWorkers(connection: Redis, prefix: string, deps: IngestWorkerDeps): Promise<Worker<IngestJob>[]> {
  const workers = Array.from({ length: INGEST_PARTITIONS }, (_, partition) => {
    const worker = new Worker<IngestJob>(ingestQueueName(partition), (job: Job<IngestJob>) => processIngestJob(deps, job.data), {
      connection,
      prefix,
      concurrency: 1,
    });
    worker.on('failed', (job, error) => deps.logger.warn({ jobId: job?.id, attempts: job?.attemptsMade, err: error }, 'ingest job failed'));
    worker.on('error', (error) => deps.logger.error({ err: error }, 'ingest worker error'));
    return worker;
  });
  await Promise.all(workers.map((worker) => worker.waitUntilReady()));
  return workers;
}
