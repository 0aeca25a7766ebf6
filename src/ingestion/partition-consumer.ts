/**
 * The consumers of the ingest partitions. Each worker process keeps a share
 * of the partitions (a lease each, partition-lease.ts) and consumes each one
 * with a BullMQ worker whose jobs gather into batches: as many as are
 * waiting, up to the batch size, handed in queue order to the batch handler
 * (scoring), which answers each job. BullMQ stays the durable queue: a job
 * completes only when its batch is committed, and jobs of a consumer that
 * dies come back when their locks lapse, to whoever owns the partition then.
 */
import { UnrecoverableError, Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import { isNuqtaError, NuqtaError } from '../errors.js';
import type { Logger } from '../log.js';
import { ingestQueueName, INGEST_PARTITIONS, type IngestJob } from './ingest-queue.js';
import { ConsumerRoster, consumerName, PartitionLease } from './partition-lease.js';

export type JobOutcome = { ok: true; value: unknown } | { ok: false; error: unknown };

/** What a partition's batches go to (one per partition: it may keep what it learnt between batches). */
export interface BatchHandler {
  /** Scores the jobs in queue order and answers each; `ownership` throws when the partition may no longer be written. */
  score(jobs: readonly IngestJob[], ownership: () => void): Promise<JobOutcome[]>;
  /** The partition was let go: another consumer may write its members now. */
  forget(): void;
}

export interface ConsumerSettings {
  /** Jobs per batch (1: one at a time, the baseline). */
  batchSize: number;
  /** How long a partial batch waits for more jobs (ms). */
  lingerMs: number;
  /** Lease lifetime (ms): how long a dead process's partitions wait for a new owner. */
  leaseMs: number;
  /** BullMQ job lock (ms): how long a dead process's jobs wait before they come back. */
  lockMs: number;
}

export const DEFAULT_CONSUMER_SETTINGS: ConsumerSettings = { batchSize: 500, lingerMs: 5, leaseMs: 10_000, lockMs: 15_000 };

export interface PartitionConsumersDeps {
  /** For leases and the roster (fails fast while Redis is down). */
  redis: Redis;
  /** A new blocking connection for each BullMQ worker. */
  workerConnection(): Redis;
  prefix: string;
  logger: Logger;
  handlerFor(partition: number): BatchHandler;
  settings: ConsumerSettings;
}

interface Waiting {
  job: IngestJob;
  resolve: (outcome: JobOutcome) => void;
}

/**
 * Gathers a partition's jobs into batches and scores one batch at a time, in
 * arrival order. While a batch is scored the next jobs wait; when it is done
 * they all go together (up to the batch size). An idle consumer waits a
 * moment for a first job's company before it starts.
 */
class BatchCollector {
  private waiting: Waiting[] = [];
  private timer: NodeJS.Timeout | undefined;
  private scoring = false;

  constructor(
    private readonly handler: BatchHandler,
    private readonly settings: ConsumerSettings,
    private readonly ownership: () => void,
  ) {}

  add(job: IngestJob): Promise<JobOutcome> {
    return new Promise<JobOutcome>((resolve) => {
      this.waiting.push({ job, resolve });
      if (this.scoring) return;
      if (this.waiting.length >= this.settings.batchSize) void this.next();
      else this.timer ??= setTimeout(() => void this.next(), this.settings.lingerMs);
    });
  }

  private async next(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.scoring) return;
    this.scoring = true;
    try {
      while (this.waiting.length > 0) await this.score(this.waiting.splice(0, this.settings.batchSize));
    } finally {
      this.scoring = false;
    }
  }

  private async score(batch: Waiting[]): Promise<void> {
    let outcomes: JobOutcome[];
    try {
      this.ownership();
      outcomes = await this.handler.score(batch.map((waiting) => waiting.job), this.ownership);
    } catch (error) {
      outcomes = batch.map(() => ({ ok: false, error }));
    }
    batch.forEach((waiting, index) => waiting.resolve(outcomes[index] ?? { ok: false, error: new NuqtaError('NUQTA_INTERNAL', 'the batch gave no outcome for a job') }));
  }
}

class PartitionConsumer {
  private readonly worker: Worker<IngestJob>;

  constructor(
    readonly partition: number,
    readonly lease: PartitionLease,
    private readonly handler: BatchHandler,
    deps: PartitionConsumersDeps,
  ) {
    const { settings } = deps;
    const ownership = (): void => {
      // A commit needs the lease for longer than a batch takes, with room for a pause.
      if (!lease.holds(settings.leaseMs / 3)) throw new NuqtaError('NUQTA_WRITE_CONFLICT', `partition ${partition} is no longer held by this process`);
    };
    const collector = new BatchCollector(handler, settings, ownership);
    this.worker = new Worker<IngestJob>(ingestQueueName(partition), async (job: Job<IngestJob>) => {
      const outcome = await collector.add(job.data);
      if (outcome.ok) return outcome.value;
      // A failure no retry can mend stops at once; the others go back to the queue with a backoff.
      if (isNuqtaError(outcome.error) && !outcome.error.retryable) throw new UnrecoverableError(`${outcome.error.code}: ${outcome.error.message}`);
      throw outcome.error;
    }, {
      connection: deps.workerConnection(),
      prefix: deps.prefix,
      concurrency: settings.batchSize * 2,
      lockDuration: settings.lockMs,
      stalledInterval: Math.max(1_000, Math.floor(settings.lockMs / 3)),
      // A stall is a consumer that died, not a bad job: let it come back every time.
      maxStalledCount: 1_000,
    });
    this.worker.on('failed', (job, error) => deps.logger.warn({ partition, jobId: job?.id, attempts: job?.attemptsMade, err: error }, 'ingest job failed'));
    this.worker.on('error', (error) => deps.logger.error({ partition, err: error }, 'ingest worker error'));
  }

  async ready(): Promise<void> {
    await this.worker.waitUntilReady();
  }

  /** Graceful: the batch in hand finishes first. Forced (the lease is lost): its jobs go back to the queue when their locks lapse. */
  async stop(graceful: boolean): Promise<void> {
    await this.worker.close(!graceful);
    this.handler.forget();
    await this.lease.release();
  }
}

/** This process's share of the partitions, rebalanced as worker processes come and go. */
export class PartitionConsumers {
  private readonly name = consumerName();
  private readonly roster: ConsumerRoster;
  private readonly held = new Map<number, PartitionConsumer>();
  private timer: NodeJS.Timeout | undefined;
  private tick: Promise<void> = Promise.resolve();
  private stopped = false;

  constructor(private readonly deps: PartitionConsumersDeps) {
    this.roster = new ConsumerRoster(deps.redis, deps.prefix, this.name);
  }

  /** Takes this process's share now, then keeps it balanced and the leases renewed. */
  async start(): Promise<void> {
    await this.balance();
    const every = Math.max(200, Math.floor(this.deps.settings.leaseMs / 4));
    this.timer = setInterval(() => {
      this.tick = this.tick.then(() => this.balance()).catch((error: unknown) => this.deps.logger.warn({ err: error }, 'partition balancing failed'));
    }, every);
  }

  /** The partitions this process consumes now. */
  get partitions(): number[] {
    return [...this.held.keys()].sort((a, b) => a - b);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.tick;
    await Promise.all([...this.held.values()].map((consumer) => consumer.stop(true)));
    this.held.clear();
    await this.roster.leave();
  }

  private async balance(): Promise<void> {
    if (this.stopped) return;
    const { settings, logger } = this.deps;
    const live = await this.roster.heartbeat(settings.leaseMs);
    for (const [partition, consumer] of this.held) {
      if (await consumer.lease.renew()) continue;
      logger.warn({ partition }, 'partition lease lost; another process consumes it now');
      this.held.delete(partition);
      await consumer.stop(false);
    }
    const share = Math.ceil(INGEST_PARTITIONS / live);
    if (this.held.size > share) {
      const extra = Math.max(...this.held.keys());
      const consumer = this.held.get(extra);
      this.held.delete(extra);
      await consumer?.stop(true);
      logger.info({ partition: extra, live }, 'partition handed over to balance the worker processes');
      return;
    }
    // Start the search at a place of this process's own, so processes starting together spread out.
    const offset = Number.parseInt(this.name.slice(-4), 16) % INGEST_PARTITIONS;
    for (let step = 0; step < INGEST_PARTITIONS && this.held.size < share && !this.stopped; step += 1) {
      const partition = (offset + step) % INGEST_PARTITIONS;
      if (this.held.has(partition)) continue;
      const lease = await PartitionLease.acquire(this.deps.redis, this.deps.prefix, ingestQueueName(partition), this.name, settings.leaseMs);
      if (!lease) continue;
      const consumer = new PartitionConsumer(partition, lease, this.deps.handlerFor(partition), this.deps);
      this.held.set(partition, consumer);
      await consumer.ready();
      logger.debug({ partition, epoch: lease.epoch }, 'partition taken');
    }
  }
}
