import { describe, expect, it } from 'vitest';
import { memberIdOf, toEngagementEvent, type Order } from '../../../src/domain/event.js';
import { referralFarm, selfReferral } from '../../../src/scoring/fraud/signals/referral.js';
import type { SignalContext } from '../../../src/scoring/fraud/signals/signal.js';
import type { ReferralEvidence } from '../../../src/scoring/fraud/types.js';

const AT = new Date('2027-03-10T12:00:00+03:00');
const HOUR = 3_600_000;

function context(order: Partial<Order>, referral: Partial<ReferralEvidence>): SignalContext {
  const event = toEngagementEvent({
    platform: 'instagram', kind: 'purchase', actor: { platformUserId: 'buyer' }, target: { accountId: 'brand' },
    occurredAt: AT, receivedAt: AT, source: 'api', verified: false, platformEventId: 'ord-9',
    order: { amount: 60, currency: 'SAR', code: 'SARA-7K2M', ...order },
  });
  return {
    event, memberId: memberIdOf('instagram', 'buyer'), at: AT.getTime(), text: undefined, campaignStartsAt: 0,
    lists: { staff: new Set(), blocked: new Set() },
    history: { member: [], media: [], texts: [], coActors: [], firstSeenAt: { get: () => undefined }, arrival: undefined },
    referral: { code: 'SARA-7K2M', codes: 'member', ownerShares: undefined, recent: [], ...referral },
  };
}

const uses = (count: number, shared: Partial<{ customerRef: string; shippingRef: string }> = {}, spacingMs = HOUR) =>
  Array.from({ length: count }, (_, index) => ({ buyerId: `instagram:friend-${index}`, at: AT.getTime() - (index + 1) * spacingMs, ...shared }));

describe('self_referral', () => {
  it('fires fully when the order is the owner\'s own shop customer, and less for their address alone', () => {
    expect(selfReferral(context({}, { ownerShares: 'customer' }))).toMatchObject({ value: 1, text: { en: 'The order was placed by the shop customer who owns code SARA-7K2M, from another account' } });
    // A member's partner at home orders with her code: a reviewer looks, the order is not refused.
    expect(selfReferral(context({}, { ownerShares: 'shipping' }))?.value).toBe(0.75);
    expect(selfReferral(context({}, {}))).toBeUndefined();
    expect(selfReferral({ ...context({}, {}), referral: undefined })).toBeUndefined();
  });
});

describe('referral_farm', () => {
  it('grows with the other accounts that used the code as the same customer or to the same address', () => {
    expect(referralFarm(context({ shippingRef: 'addr-1' }, { recent: uses(2, { shippingRef: 'addr-2' }) }))).toBeUndefined();
    expect(referralFarm(context({ shippingRef: 'addr-1' }, { recent: uses(1, { shippingRef: 'addr-1' }) }))?.value).toBe(0.6);
    expect(referralFarm(context({ customerRef: 'c-1' }, { recent: uses(2, { customerRef: 'c-1' }) }))?.value).toBeCloseTo(0.8);
    expect(referralFarm(context({ customerRef: 'c-1' }, { recent: uses(5, { customerRef: 'c-1' }) }))?.value).toBe(1);
  });

  it('counts a member code used by many accounts in a day, but never an influencer code\'s crowd', () => {
    expect(referralFarm(context({}, { recent: uses(3, {}, HOUR) }))).toBeUndefined();
    expect(referralFarm(context({}, { recent: uses(10, {}, HOUR) }))).toMatchObject({ value: 1, text: { en: 'Member code SARA-7K2M was used by 10 accounts more in the last day (a member\'s code is meant for friends)' } });
    // Spread over a week, the same ten friends are no burst.
    expect(referralFarm(context({}, { recent: uses(10, {}, 15 * HOUR) }))?.value ?? 0).toBeLessThan(0.3);
    expect(referralFarm(context({}, { codes: 'influencer', recent: uses(50, {}, 60_000) }))).toBeUndefined();
  });

  it('never counts the buyer\'s own earlier uses as others', () => {
    const own = uses(3, { shippingRef: 'addr-1' }).map((use) => ({ ...use, buyerId: memberIdOf('instagram', 'buyer') }));
    expect(referralFarm(context({ shippingRef: 'addr-1' }, { recent: own }))).toBeUndefined();
  });
});
