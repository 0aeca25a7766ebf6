import { describe, expect, it } from 'vitest';
import type { CampaignReward } from '../../../src/config/campaign-schema.js';
import { isNuqtaError } from '../../../src/errors.js';
import { checkRedemption, nextReward, redemptionError } from '../../../src/scoring/rules/rewards.js';
import { campaignOf } from './fixtures.js';

const campaign = campaignOf({
  rewards: [
    { id: 'mug', name: { ar: 'كوب قهوة', en: 'Coffee mug' }, cost: 500 },
    { id: 'coffee', name: { ar: 'قهوة مجانية', en: 'Free coffee' }, cost: 200, stock: 500 },
    { id: 'croissant', name: { ar: 'كرواسون', en: 'Croissant' }, cost: 120, stock: 0 },
    { id: 'lounge', name: { ar: 'صالة كبار الزوار', en: 'VIP lounge' }, cost: 2000 },
  ],
});
const reward = (id: string): CampaignReward => {
  const found = campaign.rewards.find((r) => r.id === id);
  if (!found) throw new Error(id);
  return found;
};
const NOW = new Date('2027-03-10T12:00:00+03:00');

describe('checkRedemption', () => {
  it('allows a redemption the balance and the stock cover, as a redeem entry', () => {
    const check = checkRedemption({ balance: 250, reward: reward('coffee'), stockLeft: 10, redemptionKey: 'idem-1', now: NOW });
    expect(check).toMatchObject({
      ok: true,
      balanceAfter: 50,
      entry: { eventKey: 'idem-1', ruleId: 'reward:coffee', kind: 'redeem', points: -200, status: 'posted', occurredAt: NOW },
    });
    expect(check.ok && check.entry.reason).toEqual({
      code: 'REDEEMED',
      text: { en: 'Redeemed 200 points for Free coffee', ar: 'استبدلت 200 نقطة بـقهوة مجانية' },
    });
  });

  it.each<[string, number, number | null, string]>([
    ['exactly the cost', 200, 1, 'ok'],
    ['no stock limit', 200, null, 'ok'],
    ['one point short', 199, 5, 'NUQTA_INSUFFICIENT_POINTS'],
    ['no stock left', 1000, 0, 'NUQTA_OUT_OF_STOCK'],
    ['short of points and of stock: stock is reported', 10, 0, 'NUQTA_OUT_OF_STOCK'],
  ])('%s', (_, balance, stockLeft, outcome) => {
    const check = checkRedemption({ balance, reward: reward('coffee'), stockLeft, redemptionKey: 'idem-2', now: NOW });
    expect(check.ok ? 'ok' : check.code).toBe(outcome);
  });

  it('says how many points are missing, in both languages, and maps to a 409 error', () => {
    const check = checkRedemption({ balance: 160, reward: reward('coffee'), stockLeft: 3, redemptionKey: 'idem-3', now: NOW });
    if (check.ok) throw new Error('expected a refusal');
    expect(check).toEqual({
      ok: false,
      code: 'NUQTA_INSUFFICIENT_POINTS',
      missing: 40,
      message: {
        en: 'Free coffee costs 200 points; the balance is 160 points, 40 points short',
        ar: 'قهوة مجانية تكلف 200 نقطة، ورصيدك 160 نقطة، ينقصك 40 نقطة',
      },
    });
    const error = redemptionError(check);
    expect(isNuqtaError(error, 'NUQTA_INSUFFICIENT_POINTS')).toBe(true);
    expect(error.status).toBe(409);
    expect(error.details).toMatchObject({ missing: 40 });
  });
});

describe('nextReward', () => {
  it('names the cheapest reward not yet affordable and the points missing', () => {
    expect(nextReward(160, campaign)).toEqual({
      reward: reward('coffee'),
      missing: 40,
      message: { en: '40 points to your free coffee', ar: 'باقي 40 نقطة على قهوة مجانية' },
    });
  });

  it.each<[number, string | null]>([
    [0, 'coffee'],
    [100, 'coffee'], // the croissant is cheaper but has no stock
    [200, 'mug'],
    [499, 'mug'],
    [500, 'lounge'],
    [2000, null],
  ])('balance %i → %s', (balance, id) => {
    expect(nextReward(balance, campaign)?.reward.id ?? null).toBe(id);
  });

  it('skips rewards the shell reports sold out', () => {
    expect(nextReward(160, campaign, new Set(['coffee']))?.reward.id).toBe('mug');
  });

  it.each<[number, string, string]>([
    [1, '1 point to your coffee mug', 'باقي نقطة واحدة على كوب قهوة'],
    [2, '2 points to your coffee mug', 'باقي نقطتان على كوب قهوة'],
    [5, '5 points to your coffee mug', 'باقي 5 نقاط على كوب قهوة'],
    [10, '10 points to your coffee mug', 'باقي 10 نقاط على كوب قهوة'],
    [11, '11 points to your coffee mug', 'باقي 11 نقطة على كوب قهوة'],
    [100, '100 points to your coffee mug', 'باقي 100 نقطة على كوب قهوة'],
    [103, '103 points to your coffee mug', 'باقي 103 نقاط على كوب قهوة'],
  ])('counts %i missing points in both languages', (missing, en, ar) => {
    expect(nextReward(500 - missing, campaign)?.message).toEqual({ en, ar });
  });

  it('keeps the capitals of a name that is not a plain capitalized word', () => {
    expect(nextReward(1500, campaign)?.message.en).toBe('500 points to your VIP lounge');
  });
});
