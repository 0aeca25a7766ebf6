/**
 * A paid order in its buyer's turn: the code it names read by key, the
 * order counted (src/referrals/code-uses.ts, a use of the code taken when
 * it may be), what the fraud scorer and the rules need from both, and the
 * attribution record the buyer's turn writes before its commit.
 */
import type { Campaign } from '../config/campaign-schema.js';
import { eventKeyOf, type EngagementEvent, type Order } from '../domain/event.js';
import type { ReferralCounters } from '../referrals/code-uses.js';
import type { ReferralCode, ReferralCodes } from '../referrals/codes.js';
import type { ReferralOrder, ReferralOrders } from '../referrals/orders.js';
import type { QueuedTask } from '../ingestion/ingest-queue.js';
import { referrerReversalTask } from './referrer-task.js';
import type { ReferralEvidence } from './fraud/index.js';
import { codeAdmits } from './rules/referral.js';
import type { ScoreEventInput, ScoringResult } from './rules/index.js';

/** A code's other uses read for the fraud scorer: the week before the order. */
const RECENT_USES_MS = 7 * 86_400_000;

export interface OrderDeps {
  referralCodes: Pick<ReferralCodes, 'get'>;
  referralCounters: Pick<ReferralCounters, 'count'>;
}

export interface CountedOrder {
  /** What the rules read; absent when the order names no code. */
  facts?: NonNullable<ScoreEventInput['referral']>;
  /** What the fraud scorer weighs; absent when no use of a code was taken. */
  evidence?: ReferralEvidence;
  code?: ReferralCode;
  firstOrder: boolean;
}

export async function countOrder(deps: OrderDeps, input: { event: EngagementEvent & { order: Order }; campaign: Campaign; buyerId: string }): Promise<CountedOrder> {
  const { event, campaign, buyerId } = input;
  const { order } = event;
  const facts = { campaignId: campaign.id, orderKey: event.eventKey, buyerId, at: event.occurredAt, customerRef: order.customerRef, shippingRef: order.shippingRef };
  if (order.code === undefined) return { firstOrder: (await deps.referralCounters.count(facts)).firstOrder };
  const code = await deps.referralCodes.get(campaign.id, order.code);
  const admitted = codeAdmits({ event: { ...event, order: { ...order, code: order.code } }, campaign, code });
  const claim = code && !admitted.failure
    ? { code: code.code, ownerId: code.ownerId, maxUses: code.maxUses, maxUsesPerMember: code.maxUsesPerMember, windowMs: RECENT_USES_MS }
    : undefined;
  const count = await deps.referralCounters.count(facts, claim);
  const evidence: ReferralEvidence | undefined = count.use && admitted.program && code
    ? { code: code.code, codes: admitted.program.codes, ownerShares: count.use.ownerShares, recent: count.use.recent }
    : undefined;
  return {
    facts: { code, count },
    firstOrder: count.firstOrder,
    ...(evidence ? { evidence } : {}),
    ...(code ? { code } : {}),
  };
}

/** The attribution record of a scored order that named a known code. */
export function referralOrderOf(input: { event: EngagementEvent & { order: Order }; campaignId: string; buyerId: string; counted: CountedOrder; result: ScoringResult }): ReferralOrder | undefined {
  const { event, campaignId, buyerId, counted, result } = input;
  const { code } = counted;
  if (!code) return undefined;
  const bonus = result.entries.find((entry) => entry.explain.referral !== undefined);
  const refusal = result.nonAwards.find((nonAward) => nonAward.reason.code.startsWith('REFERRAL_') || nonAward.reason.code === 'OUTSIDE_CAMPAIGN_WINDOW' || nonAward.reason.code === 'CAMPAIGN_PAUSED');
  const earned = bonus !== undefined || result.referrer !== undefined;
  return {
    campaignId, orderKey: event.eventKey, orderId: event.platformEventId, code: code.code, program: code.program,
    ...(code.ownerId === undefined ? {} : { ownerId: code.ownerId }),
    ...(code.influencer === undefined ? {} : { influencer: code.influencer }),
    buyerId, amount: event.order.amount, currency: event.order.currency, firstOrder: counted.firstOrder,
    outcome: earned ? 'REFERRAL_BONUS' : (refusal?.reason.code ?? 'REFERRAL_CODE_UNKNOWN'),
    points: { buyer: bonus?.points ?? 0, referrer: result.referrer?.referrer.points ?? 0 },
    at: event.occurredAt,
  };
}

/**
 * A refunded order: its attribution record says so (before the commit, like
 * the record itself), and when the order earned its code's owner an award,
 * the task that takes it back in the owner's partition is returned.
 */
export async function refundOrder(deps: { referralOrders: Pick<ReferralOrders, 'get' | 'markRefunded'> }, input: { event: EngagementEvent; campaignId: string }): Promise<QueuedTask[]> {
  const { event, campaignId } = input;
  const orderKey = eventKeyOf(event.platform, 'purchase', event.platformEventId);
  const order = await deps.referralOrders.get(campaignId, orderKey);
  if (!order) return [];
  if (order.refundedAt === undefined) await deps.referralOrders.markRefunded(campaignId, orderKey, event.occurredAt);
  if (order.ownerId === undefined || order.points.referrer === 0) return [];
  return [referrerReversalTask(campaignId, { order: orderKey, referrerId: order.ownerId, program: order.program })];
}
