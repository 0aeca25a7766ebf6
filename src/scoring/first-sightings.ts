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
import type { Platform } from '../domain/event.js';

/** A member's first sighting in a campaign: when, and on which media (none for a story mention or a DM). */
export interface Sighting {
  at: number;
  mediaId?: string;
}

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

  /** Where and when each member was first seen in the campaign (members never seen are left out). */
  async sightingsOf(campaignId: string, memberIds: readonly string[]): Promise<Map<string, Sighting>> {
    const sightings = new Map<string, Sighting>();
    if (memberIds.length === 0) return sightings;
    const [times, media] = await Promise.all([this.redis.hmget(this.timesKey(campaignId), ...memberIds), this.redis.hmget(this.mediaKey(campaignId), ...memberIds)]);
    memberIds.forEach((memberId, index) => {
      const at = times[index];
      const mediaId = media[index];
      if (at === null || at === undefined) return;
      sightings.set(memberId, { at: Number(at), ...(typeof mediaId === 'string' ? { mediaId } : {}) });
    });
    return sightings;
  }

  /** First-seen times of the members that have one. */
  async timesOf(campaignId: string, memberIds: readonly string[]): Promise<Map<string, number>> {
    const times = new Map<string, number>();
    if (memberIds.length === 0) return times;
    const found = await this.redis.hmget(this.timesKey(campaignId), ...memberIds);
    memberIds.forEach((memberId, index) => {
      const time = found[index];
      if (time !== null && time !== undefined) times.set(memberId, Number(time));
    });
    return times;
  }

  /** Members first seen on the media between `from` and `to` (inclusive), with when. */
  async arrivalsBetween(campaignId: string, platform: Platform, mediaId: string, from: number, to: number): Promise<Map<string, number>> {
    const withScores = await this.redis.zrangebyscore(this.arrivalsKey(campaignId, platform, mediaId), from, to, 'WITHSCORES');
    const arrivals = new Map<string, number>();
    for (let index = 0; index + 1 < withScores.length; index += 2) arrivals.set(withScores[index] ?? '', Number(withScores[index + 1]));
    return arrivals;
  }

  /** When the first member was first seen on the media (the start of its crowd); undefined when nobody was. */
  async firstArrivalOn(campaignId: string, platform: Platform, mediaId: string): Promise<number | undefined> {
    const [, at] = await this.redis.zrange(this.arrivalsKey(campaignId, platform, mediaId), 0, 0, 'WITHSCORES');
    return at === undefined ? undefined : Number(at);
  }

  /** Queues the erasure of the member's sighting in one campaign (privacy erasure). */
  forget(pipeline: ChainableCommander, campaignId: string, member: { memberId: string; platform: Platform }): void {
    pipeline.eval(FORGET, 2, this.timesKey(campaignId), this.mediaKey(campaignId), member.memberId, this.arrivalsPrefix(campaignId, member.platform));
  }

  private arrivalsPrefix(campaignId: string, platform: Platform): string {
    return `${this.prefix}:fraud:arrivals:${campaignId}:${platform}:`;
  }
}
