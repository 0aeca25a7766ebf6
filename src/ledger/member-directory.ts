import type { Collection, Db } from 'mongodb';
import type { Platform } from '../domain/event.js';
import { duplicateIndexes } from './ledger-store.js';

/**
 * Who took part in a campaign (`members`, `_id` = `campaignId|memberId`):
 * written once when a member is first seen, and again only when their
 * username changes. Points live in the ledger and the member state; this is
 * the durable list that counts participants, feeds offline sweeps (expiry,
 * verify) and knows a member's name should the member state be lost.
 */
export interface MemberIdentity {
  campaignId: string;
  memberId: string;
  platform: Platform;
  platformUserId: string;
  username?: string;
  /** Shown under a pseudonym whatever the board says (an erased member's points). */
  hideName: boolean;
  firstSeenAt: Date;
}

type IdentityDocument = MemberIdentity & { _id: string };

export function memberDocumentId(campaignId: string, memberId: string): string {
  return `${campaignId}|${memberId}`;
}

export class MemberDirectory {
  private readonly members: Collection<IdentityDocument>;

  constructor(db: Db) {
    this.members = db.collection<IdentityDocument>('members');
  }

  /** Records members seen for the first time; one already recorded is left as it is. */
  async add(identities: readonly MemberIdentity[]): Promise<void> {
    if (identities.length === 0) return;
    try {
      await this.members.insertMany(identities.map((identity) => ({ _id: memberDocumentId(identity.campaignId, identity.memberId), ...identity })), { ordered: false });
    } catch (error) {
      if (duplicateIndexes(error) === null) throw error;
    }
  }

  async rename(campaignId: string, memberId: string, username: string): Promise<void> {
    await this.members.updateOne({ _id: memberDocumentId(campaignId, memberId) }, { $set: { username } });
  }

  async get(campaignId: string, memberId: string): Promise<MemberIdentity | null> {
    return this.members.findOne({ _id: memberDocumentId(campaignId, memberId) }, { projection: { _id: 0 } });
  }

  /** The campaign's members with this username (one per platform at most): a scan, for "find me" by handle. */
  async byUsername(campaignId: string, username: string): Promise<MemberIdentity[]> {
    return this.members.find({ campaignId, username }, { projection: { _id: 0 }, limit: 10 }).toArray();
  }

  /** Participants of a campaign: a scan, for KPIs. */
  async count(campaignId: string): Promise<number> {
    return this.members.countDocuments({ campaignId });
  }

  /** The ids of a campaign's members: a scan, for offline sweeps (expiry, verify). */
  async *memberIds(campaignId: string): AsyncIterable<string> {
    for await (const member of this.members.find({ campaignId }, { projection: { _id: 0, memberId: 1 } })) yield member.memberId;
  }
}
