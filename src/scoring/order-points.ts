/**
 * What each referral order's awards stand at in the ledger, the truth the
 * attribution report reads: the buyer's bonus and the referrer's award, as
 * posted or held now (a reviewer's decision moves them), less what a
 * refund, a deletion or a review took back. Found by key: each award's
 * decision lists its entries and the later ones about them.
 */
import pLimit from 'p-limit';
import { EXPIRE_RULE_PREFIX, REFERRAL_RULE_PREFIX, REFERRER_RULE_PREFIX, REVERSE_RULE_PREFIX, REVIEW_RULE_PREFIX } from '../domain/ledger.js';
import type { LedgerEntry } from '../ledger/entry.js';
import type { ReferralCodes } from '../referrals/codes.js';
import type { ReferralOrder, ReferralOrders } from '../referrals/orders.js';
import { attributionReport, type AttributionReport, type OrderPoints } from '../referrals/attribution.js';
import { BatchRecords } from './batch-records.js';
import { entriesAbout, type EventEntriesDeps } from './event-entries.js';
import { referrerKeyOf } from './referrer-task.js';

const READS_IN_FLIGHT = 32;

/** A referral award, or what took it back (a refund's or a deletion's reversal, a rejected review's); expiry does not un-issue points. */
function countsFor(entry: LedgerEntry, prefix: string): boolean {
  if (entry.ruleId.startsWith(EXPIRE_RULE_PREFIX)) return false;
  const rule = entry.ruleId.startsWith(REVERSE_RULE_PREFIX) ? entry.ruleId.slice(REVERSE_RULE_PREFIX.length)
    : entry.ruleId.startsWith(REVIEW_RULE_PREFIX) ? entry.ruleId.slice(REVIEW_RULE_PREFIX.length)
      : entry.ruleId;
  return rule.startsWith(prefix);
}

/** Posted entries are issued (awards, and reversals that stand); a held award is waiting for a reviewer; a held reversal changes nothing yet. */
function tally(entries: readonly LedgerEntry[], prefix: string): OrderPoints {
  const points = { issued: 0, held: 0 };
  for (const entry of entries) {
    if (!countsFor(entry, prefix)) continue;
    if (entry.status === 'posted') points.issued += entry.points;
    else if (entry.status === 'held' && entry.kind === 'bonus') points.held += entry.points;
  }
  return points;
}

export async function orderPoints(deps: EventEntriesDeps, orders: readonly ReferralOrder[]): Promise<Map<string, OrderPoints>> {
  const reads = pLimit(READS_IN_FLIGHT);
  const about = (campaignId: string, memberId: string, eventKey: string): Promise<LedgerEntry[]> =>
    reads(() => entriesAbout(deps, { campaignId, memberId, eventKeys: [eventKey] }, { records: new BatchRecords(), entries: [] }));
  const found = await Promise.all(orders.map(async (order) => {
    const [buyer, referrer] = await Promise.all([
      about(order.campaignId, order.buyerId, order.orderKey),
      order.ownerId === undefined ? Promise.resolve([]) : about(order.campaignId, order.ownerId, referrerKeyOf(order.campaignId, { order: order.orderKey, referrer: { memberId: order.ownerId } })),
    ]);
    const bought = tally(buyer, REFERRAL_RULE_PREFIX);
    const referred = tally(referrer, REFERRER_RULE_PREFIX);
    return [order.orderKey, { issued: bought.issued + referred.issued, held: bought.held + referred.held }] as const;
  }));
  return new Map(found);
}

/** The attribution report of a campaign, its points read from the ledger. */
export async function referralReport(
  deps: EventEntriesDeps & { referralCodes: Pick<ReferralCodes, 'list'>; referralOrders: Pick<ReferralOrders, 'ofCampaign'> },
  campaignId: string,
): Promise<AttributionReport> {
  const [codes, orders] = await Promise.all([deps.referralCodes.list(campaignId), deps.referralOrders.ofCampaign(campaignId)]);
  return attributionReport(codes, orders, await orderPoints(deps, orders));
}
