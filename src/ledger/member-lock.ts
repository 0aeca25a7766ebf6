/**
 * A short lock per campaign member for the writers that spend points:
 * redemptions (API) and expiry (queue). Each decides on the member's balance
 * and lots as they stand, so two of them must not decide on the same state.
 * Event scoring takes no lock: it runs in the member's queue partition, after
 * or before expiry, and never spends.
 */
import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { NuqtaError } from '../errors.js';

/** Longer than any spend takes; only a crashed holder waits this long to be replaced. */
const HOLD_MS = 30_000;
const POLL_MS = 25;

const RELEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

export class MemberLocks {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  /** Runs `work` holding the member's lock; waits up to `waitMs` for it, then throws NUQTA_CONFLICT. */
  async withLock<T>(campaignId: string, memberId: string, work: () => Promise<T>, waitMs = 5_000): Promise<T> {
    const key = `${this.prefix}:member-lock:${campaignId}|${memberId}`;
    const token = randomBytes(12).toString('hex');
    const deadline = Date.now() + waitMs;
    while ((await this.redis.set(key, token, 'PX', HOLD_MS, 'NX')) !== 'OK') {
      if (Date.now() >= deadline) {
        throw new NuqtaError('NUQTA_CONFLICT', `another redemption or expiry of member "${memberId}" is in progress; retry shortly`);
      }
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
    try {
      return await work();
    } finally {
      // Should Redis be gone, the lock lapses after HOLD_MS anyway.
      await this.redis.eval(RELEASE, 1, key, token).catch(() => undefined);
    }
  }
}
