/**
 * The recent activity the fraud scorer reads, kept in Redis instead of read
 * from `events`: on FerretDB any find that is not an `_id` look-up scans the
 * whole collection, which the hot path cannot afford. Sorted sets of compact
 * records, scored by occurredAt, hold exactly the windows of `FRAUD_WINDOWS`:
 *
 *   <prefix>:fraud:member:<memberId>            the member's actions, 7 days
 *   <prefix>:fraud:media:<platform>:<mediaId>   everyone's actions on a media, 7 days
 *                                               (2 hours for spikes, 7 days for co-actors)
 *   <prefix>:fraud:texts:<platform>:<accountId> comparable texts on a brand account, 24 hours
 *
 * and, per campaign, each member's first sighting (first-sightings.ts):
 *
 *   <prefix>:fraud:first-seen:<campaignId>      hash: member → earliest occurredAt seen
 *   <prefix>:fraud:first-seen-media:<campaignId>
 *                                               hash: member → media of that earliest event
 *                                               (absent when it was on no media)
 *   <prefix>:fraud:arrivals:<campaignId>:<platform>:<mediaId>
 *                                               members whose earliest event was on the media,
 *                                               scored by its occurredAt (arrival cohorts)
 *
 * Trade-off: only recent windows are kept (a replay of older events sees less
 * history than it had live, so the verdict recorded at the time is the one to
 * trust), and the sets are an index, not a source: `events` can rebuild them.
 */
import type { Redis } from 'ioredis';
import type { Campaign } from '../config/campaign-schema.js';
import { memberIdOf, type EngagementEvent, type Platform } from '../domain/event.js';
import { activityRecordOf, decodeRecord, encodeRecord, eventOfRecord, type ActivityRecord } from './activity-record.js';
import { FirstSightings } from './first-sightings.js';
import { FRAUD_WINDOWS, planFollowUpQueries, planHistoryQueries, textFeaturesOfText, type FollowUpQueryPlan, type HistorySource } from './fraud/index.js';

const DAY_MS = 86_400_000;

/** How long each set keeps records and how many it keeps at most (newest win). */
const RETENTION = {
  // More than the scorer reads (memberLimit): the set spans every brand account and is filtered per campaign.
  member: { ms: FRAUD_WINDOWS.memberLookbackMs, keep: 1_000 },
  media: { ms: FRAUD_WINDOWS.memberLookbackMs + FRAUD_WINDOWS.coActionGapMs, keep: 5_000 },
  texts: { ms: FRAUD_WINDOWS.textLookbackMs, keep: FRAUD_WINDOWS.textLimit },
} as const;

/** Decoded records are shared between scorings so the scorer's per-event text cache keeps working. */
const DECODED_CACHE_SIZE = 50_000;

export interface FraudHistory {
  /** Records the event in every window it belongs to, and the member's first sighting per campaign. Idempotent. */
  remember(event: EngagementEvent, campaignId: string): Promise<void>;
  /** What `buildRecentActivity` needs for `event`, following `planHistoryQueries` and `planFollowUpQueries`. */
  load(event: EngagementEvent, campaign: Campaign): Promise<HistorySource>;
}

export class RedisFraudHistory implements FraudHistory {
  private readonly decoded = new Map<string, EngagementEvent>();
  readonly firstSightings: FirstSightings;

  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {
    this.firstSightings = new FirstSightings(redis, prefix);
  }

  memberKey(memberId: string): string {
    return `${this.prefix}:fraud:member:${memberId}`;
  }

  mediaKey(platform: Platform, mediaId: string): string {
    return `${this.prefix}:fraud:media:${platform}:${mediaId}`;
  }

  textsKey(platform: Platform, accountId: string): string {
    return `${this.prefix}:fraud:texts:${platform}:${accountId}`;
  }

  async remember(event: EngagementEvent, campaignId: string): Promise<void> {
    const record = activityRecordOf(event);
    const encoded = encodeRecord(record);
    const pipeline = this.redis.pipeline();
    const add = (key: string, retention: { ms: number; keep: number }): void => {
      pipeline.zadd(key, record.at, encoded);
      pipeline.zremrangebyscore(key, '-inf', `(${record.at - retention.ms}`);
      pipeline.zremrangebyrank(key, 0, -(retention.keep + 1));
      pipeline.pexpire(key, retention.ms + DAY_MS);
    };
    const memberId = memberIdOf(event.platform, event.actor.platformUserId);
    add(this.memberKey(memberId), RETENTION.member);
    if (record.mediaId !== undefined) add(this.mediaKey(record.platform, record.mediaId), RETENTION.media);
    // Only texts the copy checks compare are kept: the others never count as copies.
    if (record.text !== undefined && textFeaturesOfText(record.text).comparable) add(this.textsKey(record.platform, record.accountId), RETENTION.texts);
    this.firstSightings.record(pipeline, campaignId, memberId, record);
    await execOrThrow(pipeline);
  }

  async load(event: EngagementEvent, campaign: Campaign): Promise<HistorySource> {
    const plan = planHistoryQueries(event, campaign);
    const memberId = memberIdOf(event.platform, event.actor.platformUserId);
    const [memberRecords, media, texts] = await Promise.all([
      this.range(this.memberKey(memberId), plan.member.from, plan.member.to, RETENTION.member.keep),
      plan.media ? this.range(this.mediaKey(event.platform, plan.media.mediaId), plan.media.from, plan.media.to, plan.media.limit) : [],
      plan.texts ? this.range(this.textsKey(event.platform, plan.texts.accountId), plan.texts.from, plan.texts.to, plan.texts.limit) : [],
    ]);
    const accounts = new Set(plan.member.accountIds);
    const member = memberRecords.filter((prior) => accounts.has(prior.target.accountId)).slice(0, plan.member.limit);

    const followUp = planFollowUpQueries(event, campaign, { member, media });
    const [coActors, firstSeenAt, arrival] = await Promise.all([
      this.coActors(event.platform, followUp.coActors),
      this.firstSightings.timesOf(campaign.id, followUp.firstSeen),
      this.firstSightings.arrivalOf(campaign.id, followUp.arrival),
    ]);
    return { prior: [...member, ...media, ...texts, ...coActors], firstSeenAt, arrival };
  }

  /** The member's records between `from` and `to` (inclusive), newest first. */
  async memberActivity(memberId: string, from: Date, to: Date, limit: number): Promise<ActivityRecord[]> {
    return this.records(this.memberKey(memberId), from, to, limit);
  }

  /** Comparable texts on a brand account between `from` and `to`, newest first. */
  async textsOn(platform: Platform, accountId: string, from: Date, to: Date, limit: number): Promise<ActivityRecord[]> {
    return this.records(this.textsKey(platform, accountId), from, to, limit);
  }

  /**
   * Removes every record of one person (privacy erasure): the member's own set,
   * their records in the media and text sets they appear in (from their own
   * set, plus `places` known from stored events), and their first sightings
   * (time, media, place in an arrivals set) in each campaign of `places`.
   * Returns how many records were removed.
   */
  async forget(
    person: { platform: Platform; platformUserId: string },
    places: { mediaIds: readonly string[]; accountIds: readonly string[]; campaignIds: readonly string[] },
  ): Promise<number> {
    const memberId = memberIdOf(person.platform, person.platformUserId);
    const own = (await this.redis.zrange(this.memberKey(memberId), 0, -1)).map(decodeRecord);
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
    pipeline.del(this.memberKey(memberId));
    for (const campaignId of places.campaignIds) this.firstSightings.forget(pipeline, campaignId, { memberId, platform: person.platform });
    await execOrThrow(pipeline);
    return removed;
  }

  private async coActors(platform: Platform, plan: FollowUpQueryPlan['coActors']): Promise<EngagementEvent[]> {
    const found = await Promise.all(plan.ranges.map((range) => this.range(this.mediaKey(platform, range.mediaId), range.from, range.to, plan.limit)));
    return found.flat().slice(0, plan.limit);
  }

  private async records(key: string, from: Date, to: Date, limit: number): Promise<ActivityRecord[]> {
    const found = await this.redis.zrevrangebyscore(key, to.getTime(), from.getTime(), 'LIMIT', 0, limit);
    return found.map(decodeRecord);
  }

  private async range(key: string, from: Date, to: Date, limit: number): Promise<EngagementEvent[]> {
    const found = await this.redis.zrevrangebyscore(key, to.getTime(), from.getTime(), 'LIMIT', 0, limit);
    return found.map((encoded) => this.eventOf(encoded));
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

async function execOrThrow(pipeline: ReturnType<Redis['pipeline']>): Promise<void> {
  const results = (await pipeline.exec()) ?? [];
  const failed = results.find(([error]) => error !== null);
  if (failed?.[0]) throw failed[0];
}
