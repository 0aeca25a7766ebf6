/**
 * The MongoDB steps of an erasure. Documents whose `_id` names the member
 * (ledger entries, projections, redemption answers) move to the anonymous
 * member: copy first, then delete the original, so a retry after a crash
 * finishes the move. Ledger copies are staged in the erasure record first,
 * because the ledger's unique (campaignId, eventKey, ruleId) key lets the
 * copy in only after the original is gone.
 */
import type { Db } from 'mongodb';
import { insertOnce } from '../insert-once.js';
import type { EngagementEvent } from '../domain/event.js';
import type { LedgerEntry } from '../ledger/entry.js';
import { ledgerEntryId } from '../ledger/ledger-store.js';
import { memberDocumentId, type MemberIdentity } from '../ledger/member-directory.js';
import type { RedemptionAnswer } from '../ledger/redemption-store.js';
import type { Flag } from '../review/flags.js';
import { decisionId } from '../scoring/decision-store.js';
import type { MongoErasureStore } from './erasure-store.js';
import { flagsOf, redemptionsOf, reviewsOf, type MemberData, type Stored } from './member-data.js';
import { redact, replaceEverywhere, type Person } from './scrub.js';

export interface ErasureScope {
  db: Db;
  person: Person;
  anonymous: Person;
  data: MemberData;
}


/** Reviewers' notes keep their reasoning; the person's names and ids are cut out. */
export async function eraseReviews({ db, person, anonymous }: ErasureScope, identifiers: readonly string[]): Promise<number> {
  const reviews = db.collection<Stored<{ memberId: string; note?: string }>>('reviews');
  const found = await reviewsOf(db, person.memberId);
  for (const review of found) {
    const note = review.note === undefined ? {} : { note: redact(review.note, identifiers) };
    await reviews.updateOne({ _id: review._id }, { $set: { memberId: anonymous.memberId, ...note } });
  }
  return found.length;
}

/** A decided flag repeats the reviewer's note: it is redacted like the audit record's. */
export async function eraseFlags({ db, person, anonymous }: ErasureScope, identifiers: readonly string[]): Promise<number> {
  const found = await flagsOf(db, person.memberId);
  const flags = db.collection<Stored<Omit<Flag, 'id'>>>('flags');
  for (const flag of found) {
    const note = flag.decision?.note === undefined ? {} : { 'decision.note': redact(flag.decision.note, identifiers) };
    await flags.updateOne({ _id: flag._id }, { $set: { memberId: anonymous.memberId, ...note } });
  }
  return found.length;
}

/** Decisions are keyed by campaign and event: the member's events and ledger entries name them all. */
export async function eraseDecisions({ db, person, anonymous, data }: ErasureScope): Promise<number> {
  const decisions = db.collection<Stored<{ memberId: string }>>('decisions');
  let changed = 0;
  for (const membership of data.memberships) {
    const eventKeys = new Set([...data.events.map((event) => event.eventKey), ...membership.entries.map((entry) => entry.eventKey)]);
    for (const eventKey of eventKeys) {
      // By key alone (an exact `_id` filter is the one FerretDB looks up by index); the member check is on the document.
      const _id = decisionId(membership.campaignId, eventKey);
      const decision = await decisions.findOne({ _id });
      if (decision?.memberId !== person.memberId) continue;
      await decisions.updateOne({ _id }, { $set: { memberId: anonymous.memberId } });
      changed += 1;
    }
  }
  return changed;
}

/** `also`: further words to replace in the entries (the member's referral codes, which carry their handle). */
export async function eraseLedger({ db, person, anonymous, data }: ErasureScope, erasures: MongoErasureStore, erasureId: string, also: readonly (readonly [string, string])[] = []): Promise<number> {
  let staged = await erasures.stagedLedger(erasureId);
  if (staged === null) {
    staged = data.memberships.flatMap((membership) => membership.entries)
      .map((entry) => [[person.memberId, anonymous.memberId] as const, ...also].reduce((result, [from, to]) => replaceEverywhere(result, from, to), entry));
    await erasures.stageLedger(erasureId, staged);
  }
  const collection = db.collection<Stored<LedgerEntry>>('ledger');
  for (const copy of staged) {
    await collection.deleteOne({ _id: ledgerEntryId(copy.campaignId, person.memberId, copy.seq) });
    await insertOnce(collection, { _id: ledgerEntryId(copy.campaignId, anonymous.memberId, copy.seq), ...copy });
  }
  return staged.length;
}

/** The anonymous member keeps the participation (campaign figures stay right) and shows a pseudonym. */
export async function eraseMemberships({ db, person, anonymous, data }: ErasureScope): Promise<number> {
  const members = db.collection<Stored<MemberIdentity>>('members');
  for (const { _id, username: _username, entries: _entries, ...membership } of data.memberships) {
    const copy = replaceEverywhere(membership, person.memberId, anonymous.memberId);
    await insertOnce(members, {
      ...copy,
      _id: memberDocumentId(membership.campaignId, anonymous.memberId),
      memberId: anonymous.memberId,
      platformUserId: anonymous.platformUserId,
      hideName: true,
    });
    await members.deleteOne({ _id });
  }
  return data.memberships.length;
}

export async function eraseRedemptions({ db, person, anonymous }: ErasureScope): Promise<number> {
  const redemptions = db.collection<Stored<RedemptionAnswer>>('redemptions');
  const found = await redemptionsOf(db, person.memberId);
  for (const answer of found) {
    await insertOnce(redemptions, replaceEverywhere(answer, person.memberId, anonymous.memberId));
    await redemptions.deleteOne({ _id: answer._id });
  }
  return found.length;
}

/**
 * Events stay, so the ledger keeps its events and a re-delivery is still a
 * duplicate; the actor becomes the anonymous member, the text goes, and only
 * the campaigns' own hashtags remain.
 */
export async function eraseEvents({ db, anonymous, data }: ErasureScope, campaignHashtags: ReadonlySet<string>): Promise<number> {
  const events = db.collection<Stored<EngagementEvent>>('events');
  for (const event of data.events) {
    await events.updateOne(
      { _id: event._id },
      {
        $set: { actor: { platformUserId: anonymous.platformUserId }, hashtags: event.hashtags.filter((tag) => campaignHashtags.has(tag)) },
        // An order's shop references name the customer and the address.
        $unset: { text: '', 'order.customerRef': '', 'order.shippingRef': '' },
      },
    );
  }
  return data.events.length;
}
