import { MongoServerError, type Collection, type Db } from 'mongodb';
import type { Actor, Platform } from '../domain/event.js';
import { balanceDelta, earnedDelta, factOf, type LedgerEntry, type MemberFact } from './entry.js';

/**
 * A member's projection in one campaign — balance, earned, and the facts later
 * scoring reads — kept in one document so scoring needs one read. Everything
 * here is rebuilt from the ledger by `nuqta verify --repair`.
 */
export interface MemberProjection {
  campaignId: string;
  memberId: string;
  platform: Platform;
  platformUserId: string;
  username?: string;
  hideName: boolean;
  balance: number;
  earned: number;
  /** The ledger seq applied so far; applying is idempotent because it only moves forward one step at a time. */
  appliedSeq: number;
  /** When `earned` last changed: ties on the leaderboard go to who got there first. */
  reachedAt: Date;
  firstSeenAt: Date;
  facts: MemberFact[];
}

type MemberDocument = MemberProjection & { _id: string };

export interface MemberStore {
  /** Records the member on first sight, keeps the latest username, and returns the projection. */
  upsertMember(campaignId: string, memberId: string, platform: Platform, actor: Actor): Promise<MemberProjection>;
  get(campaignId: string, memberId: string): Promise<MemberProjection | null>;
  getMany(campaignId: string, memberIds: readonly string[]): Promise<MemberProjection[]>;
  count(campaignId: string): Promise<number>;
  /** The ids of a campaign's members: a scan, for offline jobs (expiry sweep, verify). */
  memberIds(campaignId: string): AsyncIterable<string>;
  /**
   * Replaces a projection rebuilt from the ledger, only if it still has
   * `appliedSeq` (null: only if there is none), so a member scored meanwhile is
   * left alone. Returns whether it was replaced.
   */
  replace(projection: MemberProjection, appliedSeq: number | null): Promise<boolean>;
  /** Applies `entries` (ascending seq); an entry at or below appliedSeq is skipped. */
  /** `base`, the caller's current copy, saves a read when every entry applies cleanly on top of it. */
  applyEntries(campaignId: string, memberId: string, entries: readonly LedgerEntry[], base?: MemberProjection): Promise<MemberProjection | null>;
}

export function memberDocumentId(campaignId: string, memberId: string): string {
  return `${campaignId}|${memberId}`;
}

const WITHOUT_ID = { projection: { _id: 0 } } as const;
const DUPLICATE_KEY = 11000;

export class MongoMemberStore implements MemberStore {
  private readonly members: Collection<MemberDocument>;

  constructor(db: Db) {
    this.members = db.collection<MemberDocument>('members');
  }

  async ensureIndexes(): Promise<void> {
    await this.members.createIndex({ campaignId: 1, earned: -1 }, { name: 'campaign_members' });
  }

  async upsertMember(campaignId: string, memberId: string, platform: Platform, actor: Actor): Promise<MemberProjection> {
    // Most events come from members already known under the same name: a read, no write.
    const known = await this.get(campaignId, memberId);
    if (known && (actor.username === undefined || known.username === actor.username)) return known;
    const now = new Date();
    // FerretDB's findAndModify takes no projection: strip _id here.
    const found = await this.members.findOneAndUpdate(
      { _id: memberDocumentId(campaignId, memberId) },
      {
        $setOnInsert: {
          campaignId, memberId, platform, platformUserId: actor.platformUserId, hideName: false,
          balance: 0, earned: 0, appliedSeq: 0, reachedAt: now, firstSeenAt: now, facts: [],
        },
        ...(actor.username ? { $set: { username: actor.username } } : {}),
      },
      { upsert: true, returnDocument: 'after' },
    );
    if (!found) throw new Error(`member ${memberId} vanished during upsert`);
    const { _id, ...member } = found;
    return withFacts(member);
  }

  async get(campaignId: string, memberId: string): Promise<MemberProjection | null> {
    const member = await this.members.findOne({ _id: memberDocumentId(campaignId, memberId) }, WITHOUT_ID);
    return member && withFacts(member);
  }

  async getMany(campaignId: string, memberIds: readonly string[]): Promise<MemberProjection[]> {
    const found = await Promise.all(memberIds.map((memberId) => this.get(campaignId, memberId)));
    return found.filter((member): member is MemberProjection => member !== null);
  }

  async count(campaignId: string): Promise<number> {
    return this.members.countDocuments({ campaignId });
  }

  async *memberIds(campaignId: string): AsyncIterable<string> {
    for await (const member of this.members.find({ campaignId }, { projection: { _id: 0, memberId: 1 } })) yield member.memberId;
  }

  async replace(projection: MemberProjection, appliedSeq: number | null): Promise<boolean> {
    const _id = memberDocumentId(projection.campaignId, projection.memberId);
    if (appliedSeq === null) {
      try {
        await this.members.insertOne({ _id, ...projection });
        return true;
      } catch (error) {
        if (error instanceof MongoServerError && error.code === DUPLICATE_KEY) return false;
        throw error;
      }
    }
    const result = await this.members.replaceOne({ _id, appliedSeq }, projection);
    return result.matchedCount > 0;
  }

  async applyEntries(campaignId: string, memberId: string, entries: readonly LedgerEntry[], base?: MemberProjection): Promise<MemberProjection | null> {
    const _id = memberDocumentId(campaignId, memberId);
    let projected = base && entries[0]?.seq === base.appliedSeq + 1 ? base : undefined;
    for (const entry of entries) {
      const earned = earnedDelta(entry);
      // Matching appliedSeq = seq - 1 applies each entry exactly once, in order, even when retried.
      const applied = await this.members.updateOne(
        { _id, appliedSeq: entry.seq - 1 },
        {
          $inc: { balance: balanceDelta(entry), earned },
          $set: { appliedSeq: entry.seq, ...(earned === 0 ? {} : { reachedAt: entry.createdAt }) },
          $push: { facts: factOf(entry) },
        },
      );
      projected = projected && applied.modifiedCount === 1 ? applyTo(projected, entry) : undefined;
    }
    // The caller's copy plus what was applied is the stored document; read it only when unsure.
    return projected ?? this.get(campaignId, memberId);
  }
}

function applyTo(member: MemberProjection, entry: LedgerEntry): MemberProjection {
  const earned = earnedDelta(entry);
  return {
    ...member,
    balance: member.balance + balanceDelta(entry),
    earned: member.earned + earned,
    appliedSeq: entry.seq,
    reachedAt: earned === 0 ? member.reachedAt : entry.createdAt,
    facts: [...member.facts, factOf(entry)],
  };
}

/** FerretDB drops an empty array set on insert; a member without facts has none yet. */
function withFacts(member: MemberProjection): MemberProjection {
  return { ...member, facts: member.facts ?? [] };
}
