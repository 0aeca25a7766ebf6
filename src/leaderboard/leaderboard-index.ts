/**
 * src/leaderboard owns the Redis sorted sets that rank members per campaign
 * and window. They are an index over the member projections, never a source:
 * every write sets an absolute score, so replays and rebuilds converge.
 */
import type { Redis } from 'ioredis';

/**
 * A score packs points and "who got there first" into one double:
 * points·2³² + (2³² − 1 − tenths of a second since the board's epoch).
 * Exact for |points| < 2²¹ (about two million) and 13 years after the epoch.
 */
const SCALE = 2 ** 32;
const TICK_MS = 100;

export function leaderboardScore(points: number, reachedAt: Date, epoch: Date): number {
  const ticks = Math.min(SCALE - 1, Math.max(0, Math.floor((reachedAt.getTime() - epoch.getTime()) / TICK_MS)));
  return points * SCALE + (SCALE - 1 - ticks);
}

export function pointsOfScore(score: number): number {
  return Math.floor(score / SCALE);
}

/** The Redis key of one board; src/leaderboard/rebuild.ts lists and replaces boards by it. */
export function leaderboardKey(prefix: string, campaignId: string, board: string): string {
  return `${prefix}:leaderboard:${campaignId}:${board}`;
}

export interface RankedMember {
  memberId: string;
  points: number;
  /** Ties share a rank: 1, 2, 2, 4. */
  rank: number;
}

export interface LeaderboardIndex {
  /** `epoch`: the start of the board's window (campaign start for all-time boards). */
  setScore(campaignId: string, window: string, memberId: string, score: { points: number; reachedAt: Date; epoch: Date }): Promise<void>;
  remove(campaignId: string, window: string, memberId: string): Promise<void>;
  top(campaignId: string, window: string, limit: number): Promise<RankedMember[]>;
  rankOf(campaignId: string, window: string, memberId: string): Promise<RankedMember | null>;
  /** The member and up to `around` members above and below. */
  around(campaignId: string, window: string, memberId: string, around: number): Promise<RankedMember[]>;
  clear(campaignId: string, window: string): Promise<void>;
}

export class RedisLeaderboardIndex implements LeaderboardIndex {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  private key(campaignId: string, window: string): string {
    return leaderboardKey(this.prefix, campaignId, window);
  }

  async setScore(campaignId: string, window: string, memberId: string, score: { points: number; reachedAt: Date; epoch: Date }): Promise<void> {
    await this.redis.zadd(this.key(campaignId, window), leaderboardScore(score.points, score.reachedAt, score.epoch), memberId);
  }

  async remove(campaignId: string, window: string, memberId: string): Promise<void> {
    await this.redis.zrem(this.key(campaignId, window), memberId);
  }

  async top(campaignId: string, window: string, limit: number): Promise<RankedMember[]> {
    return this.rankRange(campaignId, window, 0, limit - 1);
  }

  async rankOf(campaignId: string, window: string, memberId: string): Promise<RankedMember | null> {
    const score = await this.redis.zscore(this.key(campaignId, window), memberId);
    if (score === null) return null;
    const points = pointsOfScore(Number(score));
    return { memberId, points, rank: await this.rankOfPoints(campaignId, window, points) };
  }

  async around(campaignId: string, window: string, memberId: string, around: number): Promise<RankedMember[]> {
    const position = await this.redis.zrevrank(this.key(campaignId, window), memberId);
    if (position === null) return [];
    return this.rankRange(campaignId, window, Math.max(0, position - around), position + around);
  }

  async clear(campaignId: string, window: string): Promise<void> {
    await this.redis.del(this.key(campaignId, window));
  }

  private async rankRange(campaignId: string, window: string, start: number, stop: number): Promise<RankedMember[]> {
    const flat = await this.redis.zrevrange(this.key(campaignId, window), start, stop, 'WITHSCORES');
    const members: RankedMember[] = [];
    for (let index = 0; index < flat.length; index += 2) {
      const points = pointsOfScore(Number(flat[index + 1]));
      const previous = members.at(-1);
      // In score order a tie keeps the rank above and a lower score's rank is its position;
      // only the page's first row asks Redis how many are ahead of it.
      const rank = !previous ? await this.rankOfPoints(campaignId, window, points)
        : previous.points === points ? previous.rank : start + index / 2 + 1;
      members.push({ memberId: flat[index] ?? '', points, rank });
    }
    return members;
  }

  private async rankOfPoints(campaignId: string, window: string, points: number): Promise<number> {
    return 1 + (await this.redis.zcount(this.key(campaignId, window), (points + 1) * SCALE, '+inf'));
  }
}
