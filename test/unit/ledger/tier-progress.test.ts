import { describe, expect, it } from 'vitest';
import { tierProgress } from '../../../src/ledger/tier-progress.js';
import { campaignOf } from '../rules/fixtures.js';

const campaign = campaignOf({
  tiers: [
    { id: 'gold', min_earned: 1500, multiplier: 1.5 },
    { id: 'bronze', min_earned: 0, multiplier: 1 },
    { id: 'silver', min_earned: 500, multiplier: 1.2 },
  ],
});

describe('tierProgress', () => {
  it.each<[number, string, string | null, number | null, number | null]>([
    [0, 'bronze', 'silver', 500, 0],
    [250, 'bronze', 'silver', 250, 0.5],
    [499, 'bronze', 'silver', 1, 0.99],
    [500, 'silver', 'gold', 1000, 0],
    [1499, 'silver', 'gold', 1, 0.99],
    [1500, 'gold', null, null, null],
    // Reversals can take earned below zero: still the lowest tier, and the way to the next is longer.
    [-30, 'bronze', 'silver', 530, 0],
  ])('%i earned: %s, next %s (%s missing, progress %s)', (earned, tier, next, missing, progress) => {
    const result = tierProgress(earned, campaign);
    expect(result.tier.id).toBe(tier);
    expect(result.next?.id ?? null).toBe(next);
    expect(result.next?.missing ?? null).toBe(missing);
    expect(result.next?.progress ?? null).toBe(progress);
  });

  it('says how far the next tier is in both languages', () => {
    expect(tierProgress(1490, campaign).next?.message).toEqual({ en: '10 points to gold', ar: 'باقي 10 نقاط على مستوى gold' });
    expect(tierProgress(1499, campaign).next?.message).toEqual({ en: '1 point to gold', ar: 'باقي نقطة واحدة على مستوى gold' });
  });

  it('names a tier the way the campaign file does', () => {
    const named = campaignOf({
      tiers: [
        { id: 'member', min_earned: 0, multiplier: 1, name: { ar: 'عضو', en: 'Member' } },
        { id: 'gold', min_earned: 1500, multiplier: 1.2, name: { ar: 'ذهبي', en: 'Gold' } },
      ],
    });
    expect(tierProgress(1460, named)).toMatchObject({
      tier: { id: 'member', name: { en: 'Member', ar: 'عضو' } },
      next: { id: 'gold', message: { en: '40 points to Gold', ar: 'باقي 40 نقطة على مستوى ذهبي' } },
    });
  });
});
