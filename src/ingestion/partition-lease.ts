/**
 * Who owns an ingest partition. A partition is scored by one consumer at a
 * time across every worker process: it holds a lease in Redis (a key with
 * its token and a time to live), renews it a few times per lifetime, and
 * gives it up when it stops. A process that dies stops renewing; its leases
 * lapse and the other processes take the partitions over, and the jobs the
 * dead process held come back to the queue when their BullMQ locks lapse.
 *
 * Each acquisition takes the next number of the partition's epoch counter
 * (the fencing token). A holder commits a batch only while it knows its
 * lease has time left; should a paused holder commit anyway, the ledger's
 * keys (one entry per member seq, one per event and rule) refuse the second
 * writer, so a lapsed lease can delay work but never double an award (its
 * Redis projections are not fenced: README, "When a process dies").
 */
import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';

/** KEYS: lease, epoch. ARGV: owner, ttl. Returns the new epoch, or 0 when someone holds it. */
const ACQUIRE = `
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
local epoch = redis.call('INCR', KEYS[2])
redis.call('SET', KEYS[1], ARGV[1] .. ':' .. epoch, 'PX', ARGV[2])
return epoch`;

/** KEYS: lease. ARGV: holder (owner:epoch), ttl. */
const RENEW = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0`;

/** KEYS: lease. ARGV: holder. */
const RELEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

export class PartitionLease {
  private validUntil = 0;

  private constructor(
    private readonly redis: Redis,
    private readonly key: string,
    private readonly holder: string,
    readonly epoch: number,
    private readonly ttlMs: number,
  ) {
    this.validUntil = Date.now() + ttlMs;
  }

  static async acquire(redis: Redis, prefix: string, partition: string, owner: string, ttlMs: number): Promise<PartitionLease | undefined> {
    const key = `${prefix}:lease:${partition}`;
    const requested = Date.now();
    const epoch = Number(await redis.eval(ACQUIRE, 2, key, `${prefix}:lease-epoch:${partition}`, owner, ttlMs));
    if (epoch === 0) return undefined;
    const lease = new PartitionLease(redis, key, `${owner}:${epoch}`, epoch, ttlMs);
    lease.validUntil = requested + ttlMs;
    return lease;
  }

  /** False when the lease was lost (expired and taken, or released). */
  async renew(): Promise<boolean> {
    const requested = Date.now();
    const renewed = Number(await this.redis.eval(RENEW, 1, this.key, this.holder, this.ttlMs)) === 1;
    if (renewed) this.validUntil = requested + this.ttlMs;
    else this.validUntil = 0;
    return renewed;
  }

  /** Whether the holder may still write: the lease has more than `marginMs` left as far as it knows. */
  holds(marginMs: number): boolean {
    return Date.now() + marginMs < this.validUntil;
  }

  async release(): Promise<void> {
    this.validUntil = 0;
    await this.redis.eval(RELEASE, 1, this.key, this.holder).catch(() => undefined);
  }
}

/** A worker process's name among the consumers: random per start, so a restarted process never inherits a lease. */
export function consumerName(): string {
  return `${process.pid}-${randomBytes(6).toString('hex')}`;
}

/**
 * The live worker processes (a sorted set of names scored by when their
 * heartbeat lapses), so each can take its share of the partitions.
 */
export class ConsumerRoster {
  private readonly key: string;

  constructor(private readonly redis: Redis, prefix: string, private readonly name: string) {
    this.key = `${prefix}:consumers`;
  }

  /** Announces this process for `ttlMs` and returns how many processes are live (itself included). */
  async heartbeat(ttlMs: number): Promise<number> {
    const now = Date.now();
    const replies = await this.redis.multi().zadd(this.key, now + ttlMs, this.name).zremrangebyscore(this.key, '-inf', now).zcard(this.key).exec();
    const live = Number(replies?.[2]?.[1] ?? 1);
    return Math.max(1, live);
  }

  async leave(): Promise<void> {
    await this.redis.zrem(this.key, this.name).catch(() => undefined);
  }
}
