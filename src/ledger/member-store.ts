import type { Collection, Db } from 'mongodb';
import type { Actor, Platform } from '../domain/event.js';
import { balanceDelta, earnedDelta, type LedgerEntry } from './entry.js';

/** A member's projection in one campaign: everything here can be rebuilt from the ledger. */
export interface MemberProjection {
  campaignId: string;
  memberId: string;
  platform: Platform;
  platformUserId: string;
  username?: string;
  hideName: boolean;
  balance: number;
  earned: number;
  /** The ledger seq this projection has applied up to; makes applying idempotent. */
  appliedSeq: number;
  /** When `earned` last changed: ties on the leaderboard go to who got there first. */
  reachedAt: Date;
  firstSeenAt: Date;
}

export interface MemberStore {
  /** Records the member on first sight and keeps the latest username. */
  upsertMember(campaignId: string, memberId: string, platform: Platform, actor: Actor): Promise<void>;
  get(campaignId: string, memberId: string): Promise<MemberProjection | null>;
  getMany(campaignId: string, memberIds: readonly string[]): Promise<MemberProjection[]>;
  count(campaignId: string): Promise<number>;
  /** Applies `entries` (ascending seq, starting right after the projection's appliedSeq). */
  applyEntries(campaignId: string, memberId: string, entries: readonly LedgerEntry[]): Promise<MemberProjection | null>;
}

export class MongoMemberStore implements MemberStore {
  private readonly members: Collection<MemberProjection>;

  constructor(db: Db) {
    this.members = db.collection<MemberProjection>('members');
  }

  async ensureIndexes(): Promise<void> {
    await this.members.createIndex({ campaignId: 1, memberId: 1 }, { unique: true, name: 'member_of_campaign' });
  }

  async upsertMember(campaignId: string, memberId: string, platform: Platform, actor: Actor): Promise<void> {
    const now = new Date();
    await this.members.updateOne(
      { campaignId, memberId },
      {
        $setOnInsert: {
          campaignId, memberId, platform, platformUserId: actor.platformUserId, hideName: false,
          balance: 0, earned: 0, appliedSeq: 0, reachedAt: now, firstSeenAt: now,
        },
        ...(actor.username ? { $set: { username: actor.username } } : {}),
      },
      { upsert: true },
    );
  }

  async get(campaignId: string, memberId: string): Promise<MemberProjection | null> {
    return this.members.findOne({ campaignId, memberId }, { projection: { _id: 0 } });
  }

  async getMany(campaignId: string, memberIds: readonly string[]): Promise<MemberProjection[]> {
    return this.members.find({ campaignId, memberId: { $in: [...memberIds] } }, { projection: { _id: 0 } }).toArray();
  }

  async count(campaignId: string): Promise<number> {
    return this.members.countDocuments({ campaignId });
  }

  async applyEntries(campaignId: string, memberId: string, entries: readonly LedgerEntry[]): Promise<MemberProjection | null> {
    for (const entry of entries) {
      const earned = earnedDelta(entry);
      // Matching on appliedSeq = seq - 1 makes each entry apply exactly once, in order, even when retried.
      await this.members.updateOne(
        { campaignId, memberId, appliedSeq: entry.seq - 1 },
        {
          $inc: { balance: balanceDelta(entry), earned },
          $set: { appliedSeq: entry.seq, ...(earned === 0 ? {} : { reachedAt: entry.createdAt }) },
        },
      );
    }
    return this.get(campaignId, memberId);
  }
}
