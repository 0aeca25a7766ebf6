import type { ChainableCommander, Redis } from 'ioredis';
import type { Platform } from '../domain/event.js';
import type { MemberIdentity } from './member-directory.js';
import type { MemberState } from './member-state.js';

/**
 * A member as the hot path and the member views read it: identity and state
 * in one Redis value per campaign member, read and written by exact key next
 * to the leaderboards. It is a projection like the boards: the ledger
 * (MongoDB) is the truth, every state carries the ledger seq it has applied,
 * and a member whose value is behind, missing or built under other campaign
 * settings is rebuilt from the ledger on their next event (member-loader.ts)
 * or by `nuqta verify --repair`.
 */
export interface MemberRecord extends MemberIdentity {
  state: MemberState;
}

interface StoredRecord {
  platform: Platform;
  platformUserId: string;
  username?: string;
  hideName: boolean;
  firstSeenAt: number;
  state: MemberState;
}

export class RedisMemberStates {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  key(campaignId: string, memberId: string): string {
    return `${this.prefix}:member:${campaignId}:${memberId}`;
  }

  async get(campaignId: string, memberId: string): Promise<MemberRecord | null> {
    const [record] = await this.getMany(campaignId, [memberId]);
    return record ?? null;
  }

  /** One round trip for any number of members; null where a member has no record. */
  async getMany(campaignId: string, memberIds: readonly string[]): Promise<(MemberRecord | null)[]> {
    if (memberIds.length === 0) return [];
    const pipeline = this.redis.pipeline();
    for (const memberId of memberIds) pipeline.get(this.key(campaignId, memberId));
    const replies = (await pipeline.exec()) ?? [];
    return memberIds.map((memberId, index) => {
      const [error, value] = replies[index] ?? [null, null];
      if (error) throw error;
      return typeof value === 'string' ? recordOf(campaignId, memberId, value) : null;
    });
  }

  queuePut(pipeline: ChainableCommander, record: MemberRecord): void {
    const stored: StoredRecord = {
      platform: record.platform,
      platformUserId: record.platformUserId,
      ...(record.username === undefined ? {} : { username: record.username }),
      hideName: record.hideName,
      firstSeenAt: record.firstSeenAt.getTime(),
      state: record.state,
    };
    pipeline.set(this.key(record.campaignId, record.memberId), JSON.stringify(stored));
  }

  queueDelete(pipeline: ChainableCommander, campaignId: string, memberId: string): void {
    pipeline.del(this.key(campaignId, memberId));
  }
}

function recordOf(campaignId: string, memberId: string, value: string): MemberRecord {
  const stored = JSON.parse(value) as StoredRecord;
  return {
    campaignId,
    memberId,
    platform: stored.platform,
    platformUserId: stored.platformUserId,
    ...(stored.username === undefined ? {} : { username: stored.username }),
    hideName: stored.hideName,
    firstSeenAt: new Date(stored.firstSeenAt),
    state: stored.state,
  };
}
