/**
 * The recent activity the fraud scorer reads, kept in Redis instead of read
 * from `events`: on FerretDB any find that is not an `_id` look-up scans the
 * whole collection, which the hot path cannot afford. Sorted sets of compact
 * records, scored by occurredAt, hold exactly the windows of `FRAUD_WINDOWS`:
 *
 *   <prefix>:fraud:member:<memberId>:<accountId>
 *                                               the member's actions on one brand account, 7 days
 *   <prefix>:fraud:media:<platform>:<mediaId>   everyone's actions on a media, 7 days
 *                                               (2 hours for spikes, 7 days for co-actors)
 *   <prefix>:fraud:texts:<platform>:<accountId> comparable texts on a brand account, 24 hours
 *
 * and, per campaign, each member's first sighting (first-sightings.ts).
 *
 * Trade-off: only recent windows are kept (a replay of older events sees less
 * history than it had live, so the verdict recorded at the time is the one to
 * trust), and the sets are an index, not a source: `events` can rebuild them.
 */
import type { ChainableCommander, Redis } from 'ioredis';
import { memberIdOf, type EngagementEvent, type Platform } from '../domain/event.js';
import { activityRecordOf, decodeRecord, encodeRecord, eventOfRecord, type ActivityRecord } from './activity-record.js';
import { FirstSightings } from './first-sightings.js';
import { FRAUD_WINDOWS, textFeaturesOfText } from './fraud/index.js';

const DAY_MS = 86_400_000;

/** How long each set keeps records and how many it keeps at most (newest win). */
export const RETENTION = {
  member: { ms: FRAUD_WINDOWS.memberLookbackMs, keep: FRAUD_WINDOWS.memberLimit },
  media: { ms: FRAUD_WINDOWS.memberLookbackMs + FRAUD_WINDOWS.coActionGapMs, keep: 5_000 },
  texts: { ms: FRAUD_WINDOWS.textLookbackMs, keep: FRAUD_WINDOWS.textLimit },
} as const;

/** Decoded records are shared between scorings so the scorer's per-event text cache keeps working. */
const DECODED_CACHE_SIZE = 50_000;

/**
 * The newest `limit` records at or before each of several instants at once:
 * the records in [from, maxTo], newest first, as many as `limit` plus those
 * newer than the earliest instant. KEYS: set. ARGV: maxTo, from, minTo, limit.
 */
const NEWEST_BEFORE_EACH = `
local newer = redis.call('ZCOUNT', KEYS[1], '(' .. ARGV[3], ARGV[1])
return redis.call('ZREVRANGEBYSCORE', KEYS[1], ARGV[1], ARGV[2], 'LIMIT', 0, tonumber(ARGV[4]) + newer)`;

/** Several readers' windows on one set: each wants the newest `limit` records in [from, to]. */
export interface WindowedRead {
  key: string;
  from: number;
  /** The earliest and latest `to` of the readers. */
  minTo: number;
  maxTo: number;
  limit: number;
}

export class RedisFraudHistory {
  private readonly decoded = new Map<string, EngagementEvent>();
  readonly firstSightings: FirstSightings;

  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {
    this.firstSightings = new FirstSightings(redis, prefix);
  }

  /** One set per brand account: a campaign reads exactly its accounts' sets. */
  memberKey(memberId: string, accountId: string): string {
    return `${this.prefix}:fraud:member:${memberId}:${accountId}`;
  }

  mediaKey(platform: Platform, mediaId: string): string {
    return `${this.prefix}:fraud:media:${platform}:${mediaId}`;
  }

  textsKey(platform: Platform, accountId: string): string {
    return `${this.prefix}:fraud:texts:${platform}:${accountId}`;
  }

  /**
   * Queues the events (in batch order) into every window they belong to, and
   * their members' first sightings in each campaign they concern. Idempotent.
   * Redis ends as if they were remembered one at a time, with a trim after
   * each: each set is trimmed once by its newest time, the records that a
   * later trim would have removed are left out, and each member's first
   * sighting is offered once, by their earliest event.
   */
  queueRemember(pipeline: ChainableCommander, events: readonly { event: EngagementEvent; campaignIds: readonly string[] }[]): void {
    const sets = new Map<string, { retention: { ms: number; keep: number }; records: { at: number; encoded: string }[] }>();
    const earliest = new Map<string, { campaignId: string; memberId: string; record: ActivityRecord }>();
    const add = (key: string, retention: { ms: number; keep: number }, record: ActivityRecord, encoded: string): void => {
      const set = sets.get(key) ?? { retention, records: [] };
      set.records.push({ at: record.at, encoded });
      sets.set(key, set);
    };
    for (const { event, campaignIds } of events) {
      const record = activityRecordOf(event);
      const encoded = encodeRecord(record);
      const memberId = memberIdOf(event.platform, event.actor.platformUserId);
      add(this.memberKey(memberId, record.accountId), RETENTION.member, record, encoded);
      if (record.mediaId !== undefined) add(this.mediaKey(record.platform, record.mediaId), RETENTION.media, record, encoded);
      // Only texts the copy checks compare are kept: the others never count as copies.
      if (record.text !== undefined && textFeaturesOfText(record.text).comparable) add(this.textsKey(record.platform, record.accountId), RETENTION.texts, record, encoded);
      for (const campaignId of campaignIds) {
        const key = `${campaignId}\u0000${memberId}`;
        const known = earliest.get(key);
        if (!known || record.at < known.record.at) earliest.set(key, { campaignId, memberId, record });
      }
    }
    for (const [key, { retention, records }] of sets) {
      // A record survives the trims made when it and every later record were added: it is no older
      // than the newest of them by more than the retention.
      const kept: (string | number)[] = [];
      let newestLater = Number.NEGATIVE_INFINITY;
      for (let index = records.length - 1; index >= 0; index -= 1) {
        const record = records[index];
        if (!record) continue;
        newestLater = Math.max(newestLater, record.at);
        if (record.at >= newestLater - retention.ms) kept.push(record.at, record.encoded);
      }
      pipeline.zremrangebyscore(key, '-inf', `(${newestLater - retention.ms}`);
      if (kept.length > 0) pipeline.zadd(key, ...kept);
      pipeline.zremrangebyrank(key, 0, -(retention.keep + 1));
      pipeline.pexpire(key, retention.ms + DAY_MS);
    }
    for (const { campaignId, memberId, record } of earliest.values()) this.firstSightings.record(pipeline, campaignId, memberId, record);
  }

  /** Answers many windowed reads in one round trip: per read, its records (as stored, and as events) newest first. */
  async readWindows(reads: readonly WindowedRead[]): Promise<{ encoded: string; event: EngagementEvent }[][]> {
    if (reads.length === 0) return [];
    const pipeline = this.redis.pipeline();
    for (const read of reads) pipeline.eval(NEWEST_BEFORE_EACH, 1, read.key, read.maxTo, read.from, read.minTo, read.limit);
    const replies = (await pipeline.exec()) ?? [];
    return reads.map((_, index) => {
      const [error, found] = replies[index] ?? [null, []];
      if (error) throw error;
      return (found as string[]).map((encoded) => ({ encoded, event: this.eventOf(encoded) }));
    });
  }

  /** The member's records on the brand accounts between `from` and `to` (inclusive), newest first. */
  async memberActivity(memberId: string, accountIds: readonly string[], from: Date, to: Date, limit: number): Promise<ActivityRecord[]> {
    const found = await Promise.all([...new Set(accountIds)].map((accountId) => this.records(this.memberKey(memberId, accountId), from, to, limit)));
    return found.flat().sort((a, b) => b.at - a.at).slice(0, limit);
  }

  /** Comparable texts on a brand account between `from` and `to`, newest first. */
  async textsOn(platform: Platform, accountId: string, from: Date, to: Date, limit: number): Promise<ActivityRecord[]> {
    return this.records(this.textsKey(platform, accountId), from, to, limit);
  }

  /**
   * Removes every record of one person (privacy erasure): the member's own
   * sets (on the brand accounts of `places`), their records in the media and
   * text sets they appear in (from their own sets, plus `places` known from
   * stored events), and their first sightings (time, media, place in an
   * arrivals set) in each campaign of `places`. Returns how many records were removed.
   */
  async forget(
    person: { platform: Platform; platformUserId: string },
    places: { mediaIds: readonly string[]; accountIds: readonly string[]; campaignIds: readonly string[] },
  ): Promise<number> {
    const memberId = memberIdOf(person.platform, person.platformUserId);
    const ownKeys = [...new Set(places.accountIds)].map((accountId) => this.memberKey(memberId, accountId));
    const own = (await Promise.all(ownKeys.map((key) => this.redis.zrange(key, 0, -1)))).flat().map(decodeRecord);
    const keys = new Set<string>();
    for (const mediaId of [...places.mediaIds, ...own.flatMap((record) => (record.mediaId === undefined ? [] : [record.mediaId]))]) {
      keys.add(this.mediaKey(person.platform, mediaId));
    }
    for (const accountId of [...places.accountIds, ...own.map((record) => record.accountId)]) keys.add(this.textsKey(person.platform, accountId));
    let removed = own.length;
    for (const key of keys) {
      const theirs = (await this.redis.zrange(key, 0, -1)).filter((encoded) => {
        const record = decodeRecord(encoded);
        return record.platform === person.platform && record.platformUserId === person.platformUserId;
      });
      if (theirs.length > 0) removed += await this.redis.zrem(key, ...theirs);
    }
    const pipeline = this.redis.pipeline();
    for (const key of ownKeys) pipeline.del(key);
    for (const campaignId of places.campaignIds) this.firstSightings.forget(pipeline, campaignId, { memberId, platform: person.platform });
    await execOrThrow(pipeline);
    return removed;
  }

  private async records(key: string, from: Date, to: Date, limit: number): Promise<ActivityRecord[]> {
    const found = await this.redis.zrevrangebyscore(key, to.getTime(), from.getTime(), 'LIMIT', 0, limit);
    return found.map(decodeRecord);
  }

  private eventOf(encoded: string): EngagementEvent {
    const cached = this.decoded.get(encoded);
    if (cached) return cached;
    const event = eventOfRecord(decodeRecord(encoded));
    if (this.decoded.size >= DECODED_CACHE_SIZE) {
      const oldest = this.decoded.keys().next();
      if (!oldest.done) this.decoded.delete(oldest.value);
    }
    this.decoded.set(encoded, event);
    return event;
  }
}

export async function execOrThrow(pipeline: ChainableCommander): Promise<void> {
  const results = (await pipeline.exec()) ?? [];
  const failed = results.find(([error]) => error !== null);
  if (failed?.[0]) throw failed[0];
}
