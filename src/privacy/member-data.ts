/**
 * Where a person's data lives in MongoDB, found by the fields that name them:
 *
 *   events       actor (platform user id, username, profile signals), text, hashtags
 *   members      member id (also in _id), platform user id, username
 *                (and in Redis: the member record, the boards, the names beside them)
 *   ledger       member id (also in _id, and in redemption eventKeys)
 *   decisions    member id
 *   flags        member id, the reviewer's note
 *   reviews      member id, reviewers' notes
 *   blocks       member id (_id)
 *   clearances   member id (in _id, with the campaign id)
 *   redemptions  member id (also in _id, and in the remembered answers)
 *
 * Finds other than by `_id` scan the collection on FerretDB: erasure and
 * export are rare admin operations, so that is accepted here and nowhere hot.
 */
import type { Db } from 'mongodb';
import type { EngagementEvent } from '../domain/event.js';
import type { LedgerEntry } from '../ledger/entry.js';
import type { LedgerStore } from '../ledger/ledger-store.js';
import type { MemberIdentity } from '../ledger/member-directory.js';
import type { RedemptionAnswer } from '../ledger/redemption-store.js';
import type { Flag } from '../review/flags.js';
import type { ReviewRecord } from '../review/review-store.js';
import type { Person } from './scrub.js';

export type Stored<T> = T & { _id: string };

export interface Membership extends Stored<MemberIdentity> {
  /** The member's ledger entries in the campaign. */
  entries: LedgerEntry[];
}

export interface MemberData {
  events: Stored<EngagementEvent>[];
  /** One per campaign the member took part in. */
  memberships: Membership[];
}

export async function findMemberData(db: Db, ledger: Pick<LedgerStore, 'entriesAfter'>, person: Person): Promise<MemberData> {
  const [events, identities] = await Promise.all([
    db.collection<Stored<EngagementEvent>>('events').find({ platform: person.platform, 'actor.platformUserId': person.platformUserId }).toArray(),
    db.collection<Stored<MemberIdentity>>('members').find({ memberId: person.memberId }).toArray(),
  ]);
  const memberships = await Promise.all(identities.map(async (identity) => ({ ...identity, entries: await ledger.entriesAfter(identity.campaignId, person.memberId, 0) })));
  return { events, memberships };
}

export async function flagsOf(db: Db, memberId: string): Promise<Stored<Omit<Flag, 'id'>>[]> {
  return db.collection<Stored<Omit<Flag, 'id'>>>('flags').find({ memberId }).toArray();
}

export async function reviewsOf(db: Db, memberId: string): Promise<Stored<Omit<ReviewRecord, 'id'>>[]> {
  return db.collection<Stored<Omit<ReviewRecord, 'id'>>>('reviews').find({ memberId }).toArray();
}

export async function redemptionsOf(db: Db, memberId: string): Promise<Stored<RedemptionAnswer>[]> {
  return db.collection<Stored<RedemptionAnswer>>('redemptions').find({ memberId }).toArray();
}

/** The usernames the person went by: notes that name them are redacted with these. */
export function usernamesIn(data: MemberData): string[] {
  const names = [...data.events.map((event) => event.actor.username), ...data.memberships.map((membership) => membership.username)];
  return [...new Set(names.filter((name): name is string => name !== undefined))];
}
