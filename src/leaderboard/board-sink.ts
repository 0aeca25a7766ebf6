/**
 * The leaderboard side of the ledger writer: a member's new standing on
 * each board their entries changed, and the name the boards show, queued on
 * the writer's pipeline with the member's state.
 */
import type { ChainableCommander } from 'ioredis';
import type { ProjectionSink } from '../ledger/ledger-writer.js';
import type { RedisLeaderboardIndex } from './leaderboard-index.js';

export class BoardSink implements ProjectionSink {
  constructor(private readonly index: Pick<RedisLeaderboardIndex, 'queueStanding' | 'queueName'>) {}

  project(pipeline: ChainableCommander, change: Parameters<ProjectionSink['project']>[1]): void {
    const { campaign, record, boards, named } = change;
    for (const board of boards) {
      const [points, reachedAt] = record.state.boards[board] ?? [0, 0];
      this.index.queueStanding(pipeline, campaign.id, board, record.memberId, { points, reachedAt: new Date(reachedAt), epoch: campaign.starts_at });
    }
    if (named) this.index.queueName(pipeline, campaign.id, record.memberId, record.hideName ? undefined : record.username);
  }
}
