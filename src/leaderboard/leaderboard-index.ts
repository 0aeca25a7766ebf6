/**
 * src/leaderboard owns the Redis sorted sets that rank members per campaign
 * and window, and the display names kept beside them. They are an index over
 * the member states, never a source: every write sets an absolute score, so
 * replays and rebuilds converge. A campaign's boards and names share a hash
 * tag, so one script reads a page of rows with their names in one round trip
 * (also on a Redis Cluster).
 */
import type { ChainableCommander, Redis } from 'ioredis';

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
  return `${prefix}:leaderboard:{${campaignId}}:${board}`;
}

/** The hash of display names beside a campaign's boards: member id → username (absent: shown under a pseudonym). */
export function leaderboardNamesKey(prefix: string, campaignId: string): string {
  return `${prefix}:leaderboard-names:{${campaignId}}`;
}

export interface RankedMember {
  memberId: string;
  points: number;
  /** Ties share a rank: 1, 2, 2, 4. */
  rank: number;
  /** The member's username as the boards show it; undefined for a pseudonym. */
  username?: string;
}

/** The rows from `start` to `stop`, their names, and how many members are ahead of the first (for shared ranks). */
const ROWS = `
local flat = redis.call('ZREVRANGE', KEYS[1], start, stop, 'WITHSCORES')
if #flat == 0 then return {0, {}, {}, start} end
local ids = {}
for i = 1, #flat, 2 do ids[#ids + 1] = flat[i] end
local names = redis.call('HMGET', KEYS[2], unpack(ids))
local scale = tonumber(ARGV[3])
local points = math.floor(tonumber(flat[2]) / scale)
local ahead = redis.call('ZCOUNT', KEYS[1], string.format('%.17g', (points + 1) * scale), '+inf')
return {ahead, flat, names, start}`;

/**
 * Rows start..stop of a board with their names, and the rank of the first
 * row (1 + how many have more points), in one round trip.
 * KEYS: board, names. ARGV: start, stop, SCALE.
 */
const PAGE = `
local start, stop = tonumber(ARGV[1]), tonumber(ARGV[2])
${ROWS}`;

/** The member's position and rows around it, as PAGE; nil position when the member is not on the board. KEYS: board, names. ARGV: member, around, SCALE. */
const AROUND = `
local position = redis.call('ZREVRANK', KEYS[1], ARGV[1])
if not position then return false end
local start, stop = math.max(0, position - tonumber(ARGV[2])), position + tonumber(ARGV[2])
${ROWS}`;

type PageReply = [ahead: number, flat: string[], names: (string | null)[], start: number];

export class RedisLeaderboardIndex {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  private key(campaignId: string, board: string): string {
    return leaderboardKey(this.prefix, campaignId, board);
  }

  private namesKey(campaignId: string): string {
    return leaderboardNamesKey(this.prefix, campaignId);
  }

  /** Queues the member's absolute standing on a board; no points takes them off it. */
  queueStanding(pipeline: ChainableCommander, campaignId: string, board: string, memberId: string, standing: { points: number; reachedAt: Date; epoch: Date }): void {
    if (standing.points > 0) pipeline.zadd(this.key(campaignId, board), leaderboardScore(standing.points, standing.reachedAt, standing.epoch), memberId);
    else pipeline.zrem(this.key(campaignId, board), memberId);
  }

  /** Queues the name the boards show for the member; undefined shows a pseudonym. */
  queueName(pipeline: ChainableCommander, campaignId: string, memberId: string, username: string | undefined): void {
    if (username === undefined) pipeline.hdel(this.namesKey(campaignId), memberId);
    else pipeline.hset(this.namesKey(campaignId), memberId, username);
  }

  async top(campaignId: string, board: string, limit: number): Promise<RankedMember[]> {
    const reply = (await this.redis.eval(PAGE, 2, this.key(campaignId, board), this.namesKey(campaignId), 0, limit - 1, SCALE)) as PageReply;
    return rowsOf(reply, 0);
  }

  async rankOf(campaignId: string, board: string, memberId: string): Promise<RankedMember | null> {
    const [row] = await this.around(campaignId, board, memberId, 0);
    return row ?? null;
  }

  /** The member and up to `around` members above and below. */
  async around(campaignId: string, board: string, memberId: string, around: number): Promise<RankedMember[]> {
    const reply = (await this.redis.eval(AROUND, 2, this.key(campaignId, board), this.namesKey(campaignId), memberId, around, SCALE)) as PageReply | null;
    return reply ? rowsOf(reply, reply[3]) : [];
  }
}

/** In score order a tie keeps the rank above and a lower score's rank is its position. */
function rowsOf([ahead, flat, names]: PageReply, start: number): RankedMember[] {
  const rows: RankedMember[] = [];
  for (let index = 0; index + 1 < flat.length; index += 2) {
    const points = pointsOfScore(Number(flat[index + 1]));
    const previous = rows.at(-1);
    const rank = !previous ? ahead + 1 : previous.points === points ? previous.rank : start + index / 2 + 1;
    const username = names[index / 2];
    rows.push({ memberId: flat[index] ?? '', points, rank, ...(typeof username === 'string' ? { username } : {}) });
  }
  return rows;
}
