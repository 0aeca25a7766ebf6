/**
 * src/ingestion owns the door to the pipeline: canonical events go into
 * partitioned BullMQ queues (job id = eventKey) and land, once, in `events`.
 * It never scores. One member's events always share a partition, and each
 * partition runs one job at a time across all workers, so caps and sequences
 * see a member's events strictly one after another.
 */
import { Queue, type JobsOptions } from 'bullmq';
import type { Redis } from 'ioredis';
import { memberIdOf, type EngagementEvent } from '../domain/event.js';
import { fnv1a } from '../domain/seeded.js';
import { NuqtaError } from '../errors.js';

export const INGEST_PARTITIONS = 8;
const ENQUEUE_TIMEOUT_MS = 3_000;

export function ingestQueueName(partition: number): string {
  return `ingest-${partition}`;
}

export function partitionOf(memberId: string, partitions = INGEST_PARTITIONS): number {
  return fnv1a(memberId) % partitions;
}

const JOB_OPTIONS: JobsOptions = {
  attempts: 10,
  backoff: { type: 'exponential', delay: 1_000 },
  // Kept long enough to absorb the platforms' retries (Meta: ~36 h); the events index dedupes after that.
  removeOnComplete: { age: 3 * 24 * 3600 },
  removeOnFail: { age: 14 * 24 * 3600 },
};

/**
 * Work on one member that must not interleave with the scoring of their
 * events (expiry, review decisions, …): it rides in the member's partition.
 */
export interface MemberTask {
  kind: string;
  campaignId: string;
  memberId: string;
  payload: Record<string, unknown>;
}

export type IngestJob = { event: EngagementEvent } | { task: MemberTask };

export class IngestQueue {
  readonly partitions: Queue<IngestJob>[];

  /** `connection` should fail fast (enableOfflineQueue: false) so a webhook can answer 503 at once. */
  constructor(connection: Redis, prefix: string) {
    this.partitions = Array.from({ length: INGEST_PARTITIONS }, (_, partition) =>
      new Queue<IngestJob>(ingestQueueName(partition), { connection, prefix, defaultJobOptions: JOB_OPTIONS }));
  }

  /** Resolves only once every event is in Redis; otherwise throws NUQTA_QUEUE_UNAVAILABLE. */
  async enqueue(events: readonly EngagementEvent[]): Promise<void> {
    const byPartition = new Map<number, EngagementEvent[]>();
    for (const event of events) {
      const partition = partitionOf(memberIdOf(event.platform, event.actor.platformUserId));
      byPartition.set(partition, [...(byPartition.get(partition) ?? []), event]);
    }
    const adds = [...byPartition].map(([partition, batch]) =>
      this.partitions[partition]?.addBulk(batch.map((event) => ({ name: event.kind, data: { event }, opts: { jobId: event.eventKey } }))));
    try {
      await withTimeout(Promise.all(adds), ENQUEUE_TIMEOUT_MS);
    } catch (error) {
      throw new NuqtaError('NUQTA_QUEUE_UNAVAILABLE', 'the ingest queue (Redis) is unavailable; retry later', { cause: String(error) });
    }
  }

  /** Each partition runs one job at a time across every worker process. */
  async limitToOneJobPerPartition(): Promise<void> {
    await Promise.all(this.partitions.map((queue) => queue.setGlobalConcurrency(1)));
  }

  /**
   * Queues a member task; `taskId` makes it idempotent like an eventKey (no ':' allowed).
   * `removeOnComplete` drops the job once done (a task whose data must not outlive it, such as an erasure).
   */
  async enqueueMemberTask(task: MemberTask, taskId: string, options: { removeOnComplete?: boolean } = {}): Promise<void> {
    const queue = this.partitions[partitionOf(task.memberId)];
    try {
      await withTimeout<unknown>(queue?.add(`task-${task.kind}`, { task }, { jobId: taskId, ...options }) ?? Promise.resolve(), ENQUEUE_TIMEOUT_MS);
    } catch (error) {
      throw new NuqtaError('NUQTA_QUEUE_UNAVAILABLE', 'the ingest queue (Redis) is unavailable; retry later', { cause: String(error) });
    }
  }

  async depth(): Promise<Record<string, number>> {
    const totals: Record<string, number> = {};
    for (const queue of this.partitions) {
      const counts = await queue.getJobCounts('waiting', 'active', 'delayed', 'failed');
      for (const [state, count] of Object.entries(counts)) totals[state] = (totals[state] ?? 0) + count;
    }
    return totals;
  }

  async close(): Promise<void> {
    await Promise.all(this.partitions.map((queue) => queue.close()));
  }
}

async function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
