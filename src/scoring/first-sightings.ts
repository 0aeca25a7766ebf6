/**
 * When and where each member was first seen on a campaign's accounts: the
 * newcomer check reads the times, the arrival-cohort check reads where the
 * member arrived and who arrived on the same media around then. Part of the
 * fraud history (its keys are listed in fraud-history.ts). The three
 * structures change together in one script each, so a member is in exactly
 * the arrivals set its first-seen-media entry names. They are not trimmed:
 * one entry per member per campaign.
 *
 * The scripts build arrivals keys from a prefix passed in ARGV, because the
 * set a member leaves is only known once the script has read its media. That
 * is fine on one Redis server; a cluster would need a hash tag per campaign.
 */
import type { ChainableCommander, Redis } from 'ioredis';
import { z } from 'zod';
import { memberIdOf, type Platform } from '../domain/event.js';
import type { FollowUpQueryPlan, HistorySource } from './fraud/index.js';

/**
 * Keeps the earliest sighting whatever order deliveries come in: an earlier
 * event moves the member from its old media's arrivals to the new one's (or
 * out, when the new first event is on no media). A tie keeps the sighting
 * already there, so remembering an event again changes nothing.
 * KEYS: times, media. ARGV: member, at, arrivals prefix, [mediaId].
 */
const KEEP_EARLIEST = `
local seen = redis.call('HGET', KEYS[1], ARGV[1])
if seen and tonumber(seen) <= tonumber(ARGV[2]) then return 0 end
local was = redis.call('HGET', KEYS[2], ARGV[1])
if was then redis.call('ZREM', ARGV[3] .. was, ARGV[1]) end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
if ARGV[4] then
  redis.call('HSET', KEYS[2], ARGV[1], ARGV[4])
  redis.call('ZADD', ARGV[3] .. ARGV[4], ARGV[2], ARGV[1])
else
  redis.call('HDEL', KEYS[2], ARGV[1])
end
return 1`;

/**
 * The member's first sighting and everyone first seen on the same media
 * within ARGV[2] ms of it, in one round trip; nil when it was on no media.
 * KEYS: times, media. ARGV: member, within, arrivals prefix.
 */
const ARRIVAL = `
local at = redis.call('HGET', KEYS[1], ARGV[1])
local media = redis.call('HGET', KEYS[2], ARGV[1])
if (not at) or (not media) then return false end
local within = tonumber(ARGV[2])
local cohort = redis.call('ZRANGEBYSCORE', ARGV[3] .. media, tonumber(at) - within, tonumber(at) + within, 'WITHSCORES')
return {at, media, cohort}`;

/** ARRIVAL's answer: [at, mediaId, [member, score, member, score, …]], or null. */
const arrivalReplySchema = z.tuple([z.string(), z.string(), z.array(z.string())]).nullable();

/** KEYS: times, media. ARGV: member, arrivals prefix. */
const FORGET = `
local media = redis.call('HGET', KEYS[2], ARGV[1])
if media then redis.call('ZREM', ARGV[2] .. media, ARGV[1]) end
redis.call('HDEL', KEYS[1], ARGV[1])
redis.call('HDEL', KEYS[2], ARGV[1])
return 1`;

export class FirstSightings {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  timesKey(campaignId: string): string {
    return `${this.prefix}:fraud:first-seen:${campaignId}`;
  }

  mediaKey(campaignId: string): string {
    return `${this.prefix}:fraud:first-seen-media:${campaignId}`;
  }

  arrivalsKey(campaignId: string, platform: Platform, mediaId: string): string {
    return this.arrivalsPrefix(campaignId, platform) + mediaId;
  }

  /** Queues the sighting on `pipeline`, so remembering an event stays one round trip. */
  record(pipeline: ChainableCommander, campaignId: string, memberId: string, sighting: { platform: Platform; at: number; mediaId?: string }): void {
    const { platform, at, mediaId } = sighting;
    pipeline.eval(
      KEEP_EARLIEST, 2, this.timesKey(campaignId), this.mediaKey(campaignId),
      memberId, at, this.arrivalsPrefix(campaignId, platform), ...(mediaId === undefined ? [] : [mediaId]),
    );
  }

  /** First-seen times of the planned members that have one. */
  async timesOf(campaignId: string, plan: FollowUpQueryPlan['firstSeen']): Promise<Map<string, Date>> {
    const memberIds = plan.platformUserIds.map((id) => memberIdOf(plan.platform, id));
    const times = new Map<string, Date>();
    if (memberIds.length === 0) return times;
    const found = await this.redis.hmget(this.timesKey(campaignId), ...memberIds);
    memberIds.forEach((memberId, index) => {
      const time = found[index];
      if (time !== null && time !== undefined) times.set(memberId, new Date(Number(time)));
    });
    return times;
  }

  /**
   * Where the planned member arrived and who arrived on that media within
   * `cohortWithinMs`, before or after. The cohort includes the member itself
   * and members first seen after the scored event: `buildRecentActivity` drops them.
   */
  async arrivalOf(campaignId: string, plan: FollowUpQueryPlan['arrival']): Promise<HistorySource['arrival']> {
    const memberId = memberIdOf(plan.platform, plan.platformUserId);
    const reply = arrivalReplySchema.parse(
      await this.redis.eval(ARRIVAL, 2, this.timesKey(campaignId), this.mediaKey(campaignId), memberId, plan.cohortWithinMs, this.arrivalsPrefix(campaignId, plan.platform)),
    );
    if (reply === null) return undefined;
    const [at, mediaId, withScores] = reply;
    const cohort = new Map<string, Date>();
    for (let index = 0; index < withScores.length; index += 2) {
      const other = withScores[index];
      const seenAt = withScores[index + 1];
      if (other !== undefined && seenAt !== undefined) cohort.set(other, new Date(Number(seenAt)));
    }
    return { mediaId, at: new Date(Number(at)), cohort };
  }

  /** Queues the erasure of the member's sighting in one campaign (privacy erasure). */
  forget(pipeline: ChainableCommander, campaignId: string, member: { memberId: string; platform: Platform }): void {
    pipeline.eval(FORGET, 2, this.timesKey(campaignId), this.mediaKey(campaignId), member.memberId, this.arrivalsPrefix(campaignId, member.platform));
  }

  private arrivalsPrefix(campaignId: string, platform: Platform): string {
    return `${this.prefix}:fraud:arrivals:${campaignId}:${platform}:`;
  }
}
