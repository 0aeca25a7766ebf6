/**
 * src/ingestion owns the door to the pipeline: canonical events go into
 * partitioned BullMQ queues (job id = eventKey), and the partitions'
 * consumers hand them in batches to scoring (partition-consumer.ts). It
 * never scores. One member's events and tasks always share a partition, and
 * each partition has one consumer at a time across all worker processes, so
 * caps and sequences see a member's events strictly one after another.
 */
import { Queue, QueueEvents, type JobsOptions } from 'bullmq';
import type { Redis } from 'ioredis';
import { memberIdOf, type EngagementEvent } from '../domain/event.js';
import { fnv1a } from '../domain/seeded.js';
import { ERRORS, NuqtaError, type ErrorCode } from '../errors.js';
import { jobResult } from './job-result.js';

export const INGEST_PARTITIONS = 8;
const ENQUEUE_TIMEOUT_MS = 3_000;
/** Jobs per addBulk call. */
const ADD_CHUNK = 500;

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
 * events (a redemption, expiry, a review decision, …): it rides in the
 * member's partition.
 */
export interface MemberTask {
  kind: string;
  campaignId: string;
  memberId: string;
  payload: Record<string, unknown>;
}

export type IngestJob = { event: EngagementEvent } | { task: MemberTask };

export interface QueuedTask {
  task: MemberTask;
  /** Makes the task idempotent like an eventKey (no ':' allowed). */
  taskId: string;
}

export class IngestQueue {
  readonly partitions: Queue<IngestJob>[];
  private readonly events = new Map<number, Promise<QueueEvents>>();

  /** `connection` should fail fast (enableOfflineQueue: false) so a webhook can answer 503 at once. */
  constructor(
    connection: Redis,
    private readonly prefix: string,
    private readonly blockingConnection: () => Redis,
  ) {
    this.partitions = Array.from({ length: INGEST_PARTITIONS }, (_, partition) =>
      new Queue<IngestJob>(ingestQueueName(partition), { connection, prefix, defaultJobOptions: JOB_OPTIONS }));
  }

  /** Resolves only once every event is in Redis; otherwise throws NUQTA_QUEUE_UNAVAILABLE. */
  async enqueue(events: readonly EngagementEvent[]): Promise<void> {
    await this.add(events.map((event) => ({
      partition: partitionOf(memberIdOf(event.platform, event.actor.platformUserId)),
      job: { name: event.kind, data: { event }, opts: { jobId: event.eventKey } },
    })));
  }

  /**
   * Queues member tasks; `removeOnComplete` drops each job once done (a task
   * whose data must not outlive it, such as an erasure).
   */
  async enqueueMemberTasks(tasks: readonly QueuedTask[], options: { removeOnComplete?: boolean } = {}): Promise<void> {
    await this.add(tasks.map(({ task, taskId }) => ({
      partition: partitionOf(task.memberId),
      job: { name: `task-${task.kind}`, data: { task }, opts: { jobId: taskId, ...options } },
    })));
  }

  async enqueueMemberTask(task: MemberTask, taskId: string, options: { removeOnComplete?: boolean } = {}): Promise<void> {
    await this.enqueueMemberTasks([{ task, taskId }], options);
  }

  /**
   * Queues a member task (once per id) and waits for its result: what a
   * request needs to answer (a redemption). Throws the task's failure, or
   * NUQTA_QUEUE_UNAVAILABLE when no consumer finished it within `timeoutMs`.
   */
  async runMemberTask(task: MemberTask, taskId: string, timeoutMs: number): Promise<unknown> {
    const partition = partitionOf(task.memberId);
    const queue = this.partitions[partition];
    if (!queue) throw new NuqtaError('NUQTA_INTERNAL', `no ingest partition ${partition}`);
    const events = await this.eventsOf(partition);
    const job = await withTimeout(queue.add(`task-${task.kind}`, { task }, { jobId: taskId }), ENQUEUE_TIMEOUT_MS).catch((error: unknown) => {
      throw new NuqtaError('NUQTA_QUEUE_UNAVAILABLE', 'the ingest queue (Redis) is unavailable; retry later', { cause: String(error) });
    });
    try {
      return await jobResult(queue, events, job.id ?? taskId, timeoutMs);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      // A task that failed for good carries its error code (see partition-consumer.ts).
      const failed = /^(NUQTA_[A-Z_]+): ([\s\S]*)$/.exec(message);
      if (failed?.[1] && failed[1] in ERRORS) throw new NuqtaError(failed[1] as ErrorCode, failed[2] ?? message);
      if (/timed out|ttl/i.test(message)) {
        throw new NuqtaError('NUQTA_QUEUE_UNAVAILABLE', `no worker finished the ${task.kind} within ${timeoutMs / 1000} s; retry with the same request (it is idempotent)`);
      }
      throw error;
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

  /** A queue where an earlier version limited each partition to one job at a time: batches need that limit gone. */
  async allowBatches(): Promise<void> {
    await Promise.all(this.partitions.map((queue) => queue.removeGlobalConcurrency()));
  }

  async close(): Promise<void> {
    await Promise.all([...this.events.values()].map(async (events) => (await events).close()));
    await Promise.all(this.partitions.map((queue) => queue.close()));
  }

  private async add(jobs: readonly { partition: number; job: { name: string; data: IngestJob; opts: JobsOptions } }[]): Promise<void> {
    const byPartition = new Map<number, (typeof jobs)[number]['job'][]>();
    for (const { partition, job } of jobs) byPartition.set(partition, [...(byPartition.get(partition) ?? []), job]);
    const adds: Promise<unknown>[] = [];
    for (const [partition, batch] of byPartition) {
      for (let start = 0; start < batch.length; start += ADD_CHUNK) adds.push(this.partitions[partition]?.addBulk(batch.slice(start, start + ADD_CHUNK)) ?? Promise.resolve());
    }
    try {
      await withTimeout(Promise.all(adds), ENQUEUE_TIMEOUT_MS);
    } catch (error) {
      throw new NuqtaError('NUQTA_QUEUE_UNAVAILABLE', 'the ingest queue (Redis) is unavailable; retry later', { cause: String(error) });
    }
  }

  private eventsOf(partition: number): Promise<QueueEvents> {
    const known = this.events.get(partition);
    if (known) return known;
    const events = new QueueEvents(ingestQueueName(partition), { connection: this.blockingConnection(), prefix: this.prefix });
    const ready = events.waitUntilReady().then(() => events);
    this.events.set(partition, ready);
    return ready;
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
