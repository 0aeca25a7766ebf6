/**
 * Rebuilding a campaign's boards from member states folded from the ledger.
 * Members are fed one at a time into scratch sorted sets; then each scratch
 * board is compared with the live one and, on repair, swapped in with one
 * atomic RENAME, so readers never see a half-built board.
 */
import { randomBytes } from 'node:crypto';
import type { ChainableCommander, Redis } from 'ioredis';
import type { Campaign } from '../config/campaign-schema.js';
import type { BoardStanding } from '../ledger/member-state.js';
import { leaderboardKey, leaderboardScore } from './leaderboard-index.js';

export interface BoardDifference {
  board: string;
  /** Members the ledger ranks that the live board lacks. */
  missing: string[];
  /** Members on the live board the ledger does not rank. */
  extra: string[];
  /** Members on both with different points or tie-break times. */
  wrongScore: string[];
}

/** Scratch boards live an hour at most, should a rebuild be interrupted. */
const SCRATCH_TTL_SECONDS = 3600;

export class BoardRebuild {
  private readonly boards = new Set<string>();
  private readonly scratchBase: string;

  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly campaign: Campaign,
  ) {
    // The same hash tag as the live boards: RENAME needs both keys in one slot on a cluster.
    this.scratchBase = leaderboardKey(prefix, campaign.id, `rebuild-${randomBytes(6).toString('hex')}:`);
  }

  /** Queues one member's standings onto the scratch boards (the caller executes the pipeline). */
  add(pipeline: ChainableCommander, memberId: string, standings: Readonly<Record<string, BoardStanding>>): void {
    for (const [board, [points, reachedAt]] of Object.entries(standings)) {
      if (points <= 0) continue;
      if (!this.boards.has(board)) {
        this.boards.add(board);
        pipeline.expire(this.scratchBase + board, SCRATCH_TTL_SECONDS);
      }
      pipeline.zadd(this.scratchBase + board, leaderboardScore(points, new Date(reachedAt), this.campaign.starts_at), memberId);
    }
  }

  /** Board by board, how the live boards differ from the rebuilt ones (boards that agree are left out). */
  async differences(): Promise<BoardDifference[]> {
    const differences: BoardDifference[] = [];
    for (const board of [...new Set([...this.boards, ...(await this.liveBoards())])].sort()) {
      const [rebuilt, live] = await Promise.all([this.scores(this.scratchBase + board), this.scores(leaderboardKey(this.prefix, this.campaign.id, board))]);
      const difference: BoardDifference = { board, missing: [], extra: [], wrongScore: [] };
      for (const [memberId, score] of rebuilt) {
        const liveScore = live.get(memberId);
        if (liveScore === undefined) difference.missing.push(memberId);
        else if (liveScore !== score) difference.wrongScore.push(memberId);
      }
      for (const memberId of live.keys()) if (!rebuilt.has(memberId)) difference.extra.push(memberId);
      if (difference.missing.length + difference.extra.length + difference.wrongScore.length > 0) {
        differences.push({ board, missing: difference.missing.sort(), extra: difference.extra.sort(), wrongScore: difference.wrongScore.sort() });
      }
    }
    return differences;
  }

  /** Swaps every rebuilt board in and deletes live boards the ledger no longer backs. */
  async commit(): Promise<void> {
    for (const board of await this.liveBoards()) {
      if (!this.boards.has(board)) await this.redis.del(leaderboardKey(this.prefix, this.campaign.id, board));
    }
    for (const board of this.boards) {
      const live = leaderboardKey(this.prefix, this.campaign.id, board);
      await this.redis.multi().rename(this.scratchBase + board, live).persist(live).exec();
    }
    this.boards.clear();
  }

  async discard(): Promise<void> {
    if (this.boards.size > 0) await this.redis.del(...[...this.boards].map((board) => this.scratchBase + board));
    this.boards.clear();
  }

  private async liveBoards(): Promise<string[]> {
    const base = leaderboardKey(this.prefix, this.campaign.id, '');
    const boards: string[] = [];
    let cursor = '0';
    do {
      const [next, keys] = await this.redis.scan(cursor, 'MATCH', `${base}*`, 'COUNT', 500);
      boards.push(...keys.map((key) => key.slice(base.length)).filter((board) => !board.startsWith('rebuild-')));
      cursor = next;
    } while (cursor !== '0');
    return boards;
  }

  private async scores(key: string): Promise<Map<string, number>> {
    const flat = await this.redis.zrange(key, 0, -1, 'WITHSCORES');
    const scores = new Map<string, number>();
    for (let index = 0; index + 1 < flat.length; index += 2) scores.set(flat[index] ?? '', Number(flat[index + 1]));
    return scores;
  }
}

