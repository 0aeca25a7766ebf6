import { describe, expect, it } from 'vitest';
import { toEngagementEvent, type EngagementEvent, type Order } from '../../../src/domain/event.js';
import type { MemberFact } from '../../../src/ledger/entry.js';
import { emptyState } from '../../../src/ledger/member-state.js';
import { stateSpecOf } from '../../../src/ledger/state-spec.js';
import { replayMember } from '../../../src/scoring/replay-diff.js';
import { codeAdmits, referrerAward, type OrderCountFacts, type ReferralCodeFacts } from '../../../src/scoring/rules/referral.js';
import { scoreEvent } from '../../../src/scoring/rules/score-event.js';
import { campaignOf, comment, deletedAwardsOf, MemberLedger } from './fixtures.js';

const campaign = campaignOf({
  tiers: [{ id: 'member', min_earned: 0, multiplier: 1 }, { id: 'gold', min_earned: 200, multiplier: 2 }],
  referrals: [
    { id: 'friends', codes: 'member', buyer_points: 100, referrer_points: 150, min_order: { amount: 50, currency: 'SAR' } },
    { id: 'audience', codes: 'influencer', buyer_points: 80, first_order_only: false },
  ],
});
const AT = '2027-03-10T12:00:00+03:00';
const SARA: ReferralCodeFacts = { code: 'SARA-7K2M', program: 'friends', ownerId: 'instagram:sara', maxUsesPerMember: 1 };
const FIRST: OrderCountFacts = { firstOrder: true, use: { outcome: 'used', uses: 1 } };

function purchase(order: Partial<Order> & { code?: string }, options: { at?: string; user?: string; id?: string } = {}): EngagementEvent {
  const at = new Date(options.at ?? AT);
  return toEngagementEvent({
    platform: 'instagram', kind: 'purchase', actor: { platformUserId: options.user ?? 'huda' }, target: { accountId: '17841400000000001' },
    occurredAt: at, receivedAt: at, source: 'api', verified: false, platformEventId: options.id ?? 'ord-1',
    order: { amount: 120, currency: 'SAR', ...order },
  });
}

function scored(event: EngagementEvent, code: ReferralCodeFacts | undefined, count: OrderCountFacts = FIRST, status: 'posted' | 'held' | 'rejected' = 'posted') {
  return scoreEvent({ event, campaign, state: emptyState(stateSpecOf(campaign)), status, referral: { code, count } });
}

const refusal = (result: ReturnType<typeof scored>): string | undefined => result.nonAwards[0]?.reason.code;

function refundOf(order: EngagementEvent, at: string): EngagementEvent {
  return toEngagementEvent({
    platform: 'instagram', kind: 'order_refunded', actor: order.actor, target: order.target,
    occurredAt: new Date(at), receivedAt: new Date(at), source: 'api', verified: false, platformEventId: order.platformEventId,
  });
}

describe('refunds', () => {
  const shop = campaignOf({
    rules: [{ id: 'comment', on: 'comment', points: 10 }, { id: 'order', on: 'purchase', points: 30, accept_unverified: true }],
    referrals: [{ id: 'friends', codes: 'member', buyer_points: 100, referrer_points: 150 }],
  });

  it('takes back what the order earned, its rule and its referral bonus', () => {
    const member = new MemberLedger(shop);
    const order = purchase({ code: 'SARA-7K2M' });
    const scoredOrder = scoreEvent({ event: order, campaign: shop, state: member.state, referral: { code: SARA, count: FIRST } });
    member.append(scoredOrder.entries, order.receivedAt);
    expect(member.state.balance).toBe(130);
    const refund = refundOf(order, '2027-03-12T09:00:00+03:00');
    const taken = scoreEvent({ event: refund, campaign: shop, state: member.state, deletedAwards: deletedAwardsOf(member.state, member.facts, refund) });
    expect(taken.entries.map((entry) => [entry.ruleId, entry.points, entry.reason.code])).toEqual([
      ['reverse:order', -30, 'REVERSED_REFUNDED'], ['reverse:referral:friends', -100, 'REVERSED_REFUNDED'],
    ]);
    expect(taken.entries[0]?.explain.conditions).toEqual([{ condition: 'not_refunded', passed: false, expected: false, actual: true }]);
  });

  it('refunded before it is scored: a mark, then the order earns nothing under its rule or its code', () => {
    const member = new MemberLedger(shop);
    const order = purchase({ code: 'SARA-7K2M' });
    const refund = refundOf(order, '2027-03-10T11:00:00+03:00');
    const mark = member.score(refund);
    expect(mark?.entries.map((entry) => [entry.ruleId, entry.points, entry.reason.code])).toEqual([['reverse:unscored', 0, 'REFUNDED_BEFORE_SCORED']]);
    const late = scoreEvent({ event: order, campaign: shop, state: member.state, referral: { code: SARA, count: FIRST } });
    expect(late.entries).toEqual([]);
    expect(late.referrer).toBeUndefined();
    expect(late.nonAwards.map((nonAward) => [nonAward.ruleId, nonAward.reason.code])).toEqual([['order', 'ORDER_REFUNDED'], ['referral:friends', 'ORDER_REFUNDED']]);
  });
});

describe('referral awards', () => {
  it('gives the friend a fixed bonus and names what the code\'s owner earns', () => {
    const result = scored(purchase({ code: 'SARA-7K2M' }), SARA);
    expect(result.entries).toEqual([expect.objectContaining({
      ruleId: 'referral:friends', kind: 'bonus', points: 100, status: 'posted',
      reason: expect.objectContaining({ code: 'REFERRAL_BONUS', text: { en: 'Order with code SARA-7K2M: 100 points (referral program friends)', ar: 'طلب بالرمز SARA-7K2M: 100 نقطة (برنامج الإحالة friends)' } }),
    })]);
    expect(result.referrer).toEqual({ code: 'SARA-7K2M', program: 'friends', order: 'instagram:purchase:ord-1', referrer: { memberId: 'instagram:sara', points: 150 } });
    expect(result.nonAwards).toEqual([]);
  });

  it('holds the friend\'s bonus with the order, and gives the owner nothing for a rejected order', () => {
    expect(scored(purchase({ code: 'SARA-7K2M' }), SARA, FIRST, 'held').entries[0]?.status).toBe('held');
    const rejected = scored(purchase({ code: 'SARA-7K2M' }), SARA, FIRST, 'rejected');
    expect(rejected.entries[0]?.status).toBe('rejected');
    expect(rejected.referrer).toBeUndefined();
  });

  it('refuses in the order a shop assistant would ask, each with its reason', () => {
    expect(refusal(scored(purchase({ code: 'NOPE' }), undefined))).toBe('REFERRAL_CODE_UNKNOWN');
    expect(refusal(scored(purchase({ code: 'SARA-7K2M' }, { at: '2027-04-02T00:00:00+03:00' }), SARA))).toBe('OUTSIDE_CAMPAIGN_WINDOW');
    expect(refusal(scored(purchase({ code: 'SARA-7K2M' }), { ...SARA, validUntil: new Date('2027-03-05T00:00:00+03:00') }))).toBe('REFERRAL_CODE_NOT_VALID');
    expect(refusal(scored(purchase({ code: 'SARA-7K2M' }), { ...SARA, validFrom: new Date('2027-03-20T00:00:00+03:00') }))).toBe('REFERRAL_CODE_NOT_VALID');
    expect(refusal(scored(purchase({ code: 'SARA-7K2M' }, { user: 'sara' }), SARA))).toBe('REFERRAL_OWN_CODE');
    expect(refusal(scored(purchase({ code: 'SARA-7K2M' }), SARA, { firstOrder: true, use: { outcome: 'exhausted', uses: 20 } }))).toBe('REFERRAL_CODE_EXHAUSTED');
    expect(refusal(scored(purchase({ code: 'SARA-7K2M' }), SARA, { firstOrder: true, use: { outcome: 'member_limit', uses: 3 } }))).toBe('REFERRAL_MEMBER_LIMIT');
    expect(refusal(scored(purchase({ code: 'SARA-7K2M' }), SARA, { firstOrder: false, use: { outcome: 'used', uses: 3 } }))).toBe('REFERRAL_NOT_FIRST_ORDER');
    expect(refusal(scored(purchase({ code: 'SARA-7K2M', amount: 49.5 }), SARA))).toBe('REFERRAL_BELOW_MINIMUM');
    expect(refusal(scored(purchase({ code: 'SARA-7K2M', amount: 500, currency: 'AED' }), SARA))).toBe('REFERRAL_BELOW_MINIMUM');
  });

  it('lets a use be taken only for a known code that works at the order\'s time and is not the buyer\'s own', () => {
    const admits = (event: EngagementEvent, code: ReferralCodeFacts | undefined) =>
      codeAdmits({ event: event as EngagementEvent & { order: Order & { code: string } }, campaign, code }).failure?.code;
    expect(admits(purchase({ code: 'SARA-7K2M' }), SARA)).toBeUndefined();
    expect(admits(purchase({ code: 'SARA-7K2M' }, { user: 'sara' }), SARA)).toBe('REFERRAL_OWN_CODE');
    expect(admits(purchase({ code: 'X' }), { ...SARA, program: 'gone' })).toBe('REFERRAL_CODE_UNKNOWN');
  });

  it('awards an influencer\'s audience on any order when the program says so, and nobody behind the code', () => {
    const result = scored(purchase({ code: 'NOURA10' }), { code: 'NOURA10', program: 'audience', maxUsesPerMember: 5 }, { firstOrder: false, use: { outcome: 'used', uses: 9 } });
    expect(result.entries.map((entry) => [entry.ruleId, entry.points])).toEqual([['referral:audience', 80]]);
    expect(result.referrer).toBeUndefined();
  });

  it('writes the owner\'s award with the tier it reaches', () => {
    const entries = referrerAward({
      campaign, state: { ...emptyState(stateSpecOf(campaign)), earned: 60, balance: 60 }, eventKey: 'instagram:referral:abc', status: 'posted', occurredAt: new Date(AT),
      referral: { code: 'SARA-7K2M', program: 'friends', order: 'instagram:purchase:ord-1', referrer: { memberId: 'instagram:sara', points: 150 }, buyer: { memberId: 'instagram:huda', username: 'huda.m' } },
    });
    expect(entries.map((entry) => [entry.ruleId, entry.points, entry.reason.text.en])).toEqual([
      ['referrer:friends', 150, '@huda.m ordered with your code SARA-7K2M: 150 points'],
      ['tier:gold', 0, 'Tier changed from member to gold'],
    ]);
  });

  it('is kept by a replay as the ledger has it, and still counts towards the tier of later events', () => {
    const order = purchase({ code: 'SARA-7K2M' }, { at: '2027-03-10T12:00:00+03:00' });
    const later = comment('2027-03-11T12:00:00+03:00', { user: 'huda' });
    const fact = (seq: number, eventKey: string, ruleId: string, kind: MemberFact['kind'], points: number, at: string): MemberFact =>
      ({ seq, eventKey, ruleId, kind, points, status: 'posted', occurredAt: new Date(at), createdAt: new Date(at) });
    const facts = [
      fact(1, order.eventKey, 'referral:friends', 'bonus', 100, '2027-03-10T12:00:00+03:00'),
      fact(2, 'instagram:referral:x', 'referrer:friends', 'bonus', 150, '2027-03-10T13:00:00+03:00'),
      fact(3, order.eventKey, 'tier:gold', 'adjust', 0, '2027-03-10T13:00:00+03:00'),
      // Gold doubles the comment.
      fact(4, later.eventKey, 'comment', 'earn', 20, '2027-03-11T12:00:00+03:00'),
    ];
    expect(replayMember({ memberId: 'instagram:huda', campaign, events: [order, later], facts }).events).toEqual([]);
  });
});
