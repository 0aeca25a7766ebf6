/**
 * The referral and voucher steps of an erasure. A member's own codes are
 * taken out of use (a code is made from its owner's handle) and read
 * `ERASED` wherever they were written; the orders they bought, or that used
 * their code, move to the anonymous member; the shop references they ordered
 * with go. Other members' entries about those orders (a friend's bonus for
 * using the code, the referrer's award for the member's order) keep their
 * points and lose the member's names. Their vouchers move with their wallet.
 * Campaign figures (uses, revenue, points) stay as they were.
 */
import type { Collection, Db } from 'mongodb';
import type { EngagementEvent } from '../domain/event.js';
import { partitionOf, type IngestQueue } from '../ingestion/ingest-queue.js';
import type { LedgerEntry } from '../ledger/entry.js';
import { ledgerEntryId } from '../ledger/ledger-store.js';
import type { Vouchers } from '../ledger/vouchers.js';
import type { ReferralCounters } from '../referrals/code-uses.js';
import type { ReferralCodes } from '../referrals/codes.js';
import type { ReferralOrder, ReferralOrders } from '../referrals/orders.js';
import { referrerKeyOf } from '../scoring/referrer-task.js';
import type { MongoDecisionStore } from '../scoring/decision-store.js';
import type { ErasureScope } from './erase-documents.js';
import type { Stored } from './member-data.js';
import { REDACTED, replaceEverywhere } from './scrub.js';

export const ERASED_CODE = 'ERASED';

export interface ReferralErasureDeps {
  db: Db;
  queue: Pick<IngestQueue, 'partitions'>;
  decisions: Pick<MongoDecisionStore, 'get'>;
  referralCodes: Pick<ReferralCodes, 'ownedBy' | 'remove'>;
  referralOrders: Pick<ReferralOrders, 'naming' | 'replace'>;
  referralCounters: Pick<ReferralCounters, 'forgetBuyer' | 'forgetCode'>;
}

/** The member's ids, handles and removed codes, each with what it becomes. */
export type Replacements = readonly (readonly [from: string, to: string])[];

export function scrubbed<T>(value: T, replacements: Replacements): T {
  return replacements.reduce((result, [from, to]) => replaceEverywhere(result, from, to), value);
}

/** Returns the codes removed (for the member's own ledger entries) and the counts. */
export async function eraseReferrals(deps: ReferralErasureDeps, scope: Pick<ErasureScope, 'person' | 'anonymous'>, usernames: readonly string[]): Promise<{ codes: string[]; orders: number }> {
  const { person, anonymous } = scope;
  const owned = await deps.referralCodes.ownedBy(person.memberId);
  const removed = new Set(owned.map((code) => `${code.campaignId}|${code.code}`));
  const orders = await deps.referralOrders.naming(person.memberId);
  const replacements: Replacements = [
    [person.memberId, anonymous.memberId],
    ...owned.map((code) => [code.code, ERASED_CODE] as const),
    ...usernames.flatMap((name) => [[`@${name}`, REDACTED], [name, REDACTED]] as const),
  ];
  // Counters first: they are found through the orders, which the last step rewrites.
  const bought = orders.filter((order) => order.buyerId === person.memberId);
  for (const campaignId of new Set(bought.map((order) => order.campaignId))) {
    const uses = bought.filter((order) => order.campaignId === campaignId && !removed.has(`${campaignId}|${order.code}`)).map((order) => ({ code: order.code, orderKey: order.orderKey, at: order.at }));
    await deps.referralCounters.forgetBuyer(campaignId, person.memberId, anonymous.memberId, uses);
  }
  for (const code of owned) await deps.referralCounters.forgetCode(code.campaignId, code.code);
  for (const order of orders) {
    await scrubOtherMember(deps, order, person.memberId, replacements);
    if (removed.has(`${order.campaignId}|${order.code}`)) await scrubOrderEvent(deps, order);
    await deps.referralOrders.replace(scrubbed(order, replacements));
  }
  for (const code of owned) await deps.referralCodes.remove(code);
  return { codes: owned.map((code) => code.code), orders: orders.length };
}

/** The other side of an order: the friend's bonus for the member's code, or the referrer's award for the member's order. */
async function scrubOtherMember(deps: ReferralErasureDeps, order: ReferralOrder, memberId: string, replacements: Replacements): Promise<void> {
  const other = order.buyerId !== memberId
    ? { memberId: order.buyerId, eventKey: order.orderKey }
    : order.ownerId !== undefined && order.ownerId !== memberId
      ? { memberId: order.ownerId, eventKey: referrerKeyOf(order.campaignId, { order: order.orderKey, referrer: { memberId: order.ownerId } }) }
      : undefined;
  if (!other) return;
  const decision = await deps.decisions.get(order.campaignId, other.eventKey);
  if (decision?.memberId !== other.memberId) return;
  const ledger = deps.db.collection<Stored<LedgerEntry>>('ledger');
  for (const seq of decision.entrySeqs) {
    const _id = ledgerEntryId(order.campaignId, other.memberId, seq);
    const entry = await ledger.findOne({ _id });
    if (entry) await ledger.replaceOne({ _id }, scrubbed(entry, replacements));
  }
}

/** The buyer's purchase event named the removed code, and so does its finished queue job (the events index still dedupes the order). */
async function scrubOrderEvent(deps: ReferralErasureDeps, order: ReferralOrder): Promise<void> {
  const events: Collection<Stored<EngagementEvent>> = deps.db.collection('events');
  await events.updateOne({ _id: order.orderKey }, { $set: { 'order.code': ERASED_CODE } });
  const job = await deps.queue.partitions[partitionOf(order.buyerId)]?.getJob(order.orderKey);
  if (job && (await job.isCompleted())) await job.remove();
}

export async function eraseVouchers(vouchers: Pick<Vouchers, 'moveMember'>, { person, anonymous }: Pick<ErasureScope, 'person' | 'anonymous'>): Promise<number> {
  return vouchers.moveMember(person.memberId, anonymous.memberId, (voucher) => replaceEverywhere(voucher, person.memberId, anonymous.memberId));
}
