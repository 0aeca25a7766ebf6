import { describe, expect, it } from 'vitest';
import { campaignSchema } from '../../../src/config/campaign-schema.js';
import { applyMultiplier, tierFor } from '../../../src/domain/tiers.js';
import { emptyState } from '../../../src/ledger/member-state.js';
import { stateSpecOf } from '../../../src/ledger/state-spec.js';
import { recordedTierId } from '../../../src/scoring/rules/index.js';
import { campaignFileOf, campaignOf, comment, fact, ledgerOf, play, summary } from './fixtures.js';

const tiers = [
  { id: 'bronze', min_earned: 0, multiplier: 1 },
  { id: 'silver', min_earned: 30, multiplier: 1.5 },
  { id: 'gold', min_earned: 100, multiplier: 2 },
];

describe('applyMultiplier rounds down to whole points', () => {
  it.each<[number, number, number]>([
    [10, 1, 10],
    [10, 1.2, 12],
    [5, 1.1, 5],
    [7, 1.5, 10],
    [100, 1.15, 115],
    [3, 1.333, 3],
    [1_000_000, 1.001, 1_001_000],
  ])('%i × %d = %i', (points, multiplier, expected) => {
    expect(applyMultiplier(points, multiplier)).toBe(expected);
  });
});

describe('tierFor', () => {
  it.each<[number, string]>([
    [0, 'bronze'],
    [29, 'bronze'],
    [30, 'silver'],
    [99, 'silver'],
    [100, 'gold'],
    [5000, 'gold'],
  ])('%i earned points → %s', (earned, id) => {
    expect(tierFor(earned, campaignOf({ tiers: [...tiers].reverse() }).tiers).id).toBe(id);
  });

  it('falls back to the lowest tier when the earned points are below every threshold', () => {
    expect(tierFor(-30, campaignOf({ tiers }).tiers).id).toBe('bronze');
  });
});

describe('tiers while scoring', () => {
  const campaign = campaignOf({ tiers });
  const days = ['2027-03-02', '2027-03-03', '2027-03-04', '2027-03-05'].map((day) => comment(`${day}T10:00:00+03:00`));

  it('write a zero-point adjust entry on the event that reaches a tier, then multiply later earn points', () => {
    const { results } = play(campaign, days);
    expect(results.map((result) => summary(result.entries))).toEqual([
      ['comment earn 10'],
      ['comment earn 10'],
      ['comment earn 10', 'tier:silver adjust 0'],
      ['comment earn 15'],
    ]);
    expect(results[2]?.tierChange).toEqual({ from: 'bronze', to: 'silver' });
    expect(results[2]?.entries[1]?.reason.text.en).toBe('Tier changed from bronze to silver');
    expect(results[2]?.entries[1]?.explain.conditions).toEqual([{ condition: 'min_earned', passed: true, expected: 30, actual: 30 }]);
    expect(results[3]?.entries[0]?.explain.tier).toEqual({ id: 'silver', multiplier: 1.5, basePoints: 10, points: 15 });
  });

  it('count points earned, so redemptions and expiry do not lower the tier', () => {
    const spent = ledgerOf([
      fact({ eventKey: 'old', ruleId: 'comment', kind: 'earn', points: 40 }),
      fact({ eventKey: 'old', ruleId: 'tier:silver', kind: 'adjust', points: 0 }),
      fact({ eventKey: 'redeem-1', ruleId: 'reward:coffee', kind: 'redeem', points: -30 }),
      fact({ eventKey: 'old', ruleId: 'expire:comment', kind: 'expire', points: -10, refersTo: { eventKey: 'old', ruleId: 'comment' } }),
    ]);
    const { results, state } = play(campaign, [comment('2027-03-06T10:00:00+03:00')], { facts: spent });
    expect(summary(results[0]?.entries ?? [])).toEqual(['comment earn 15']);
    expect(state).toMatchObject({ balance: 15, earned: 55, tierId: 'silver' });
  });

  it('do not count held points until they are approved', () => {
    const { results, state } = play(campaign, days, { status: 'held' });
    expect(results.flatMap((result) => summary(result.entries))).toEqual([
      'comment earn 10 held',
      'comment earn 10 held',
      'comment earn 10 held',
      'comment earn 10 held',
    ]);
    expect(state).toMatchObject({ earned: 0, tierId: null });
  });

  it('rewrite a tier change that never reached the ledger on the next event', () => {
    const lost = ledgerOf([fact({ eventKey: 'old', ruleId: 'comment', kind: 'earn', points: 40 })]);
    const { results, state } = play(campaign, [comment('2027-03-06T10:00:00+03:00')], { facts: lost });
    expect(summary(results[0]?.entries ?? [])).toEqual(['comment earn 15', 'tier:silver adjust 0']);
    expect(results[0]?.tierChange).toEqual({ from: 'bronze', to: 'silver' });
    expect(state.tierId).toBe('silver');
  });

  it('read the tier last written to the ledger, the lowest tier before any', () => {
    expect(recordedTierId(emptyState(stateSpecOf(campaign)), campaign)).toBe('bronze');
    expect(recordedTierId(play(campaign, days).state, campaign)).toBe('silver');
  });
});

describe('tier schema', () => {
  const base = campaignFileOf();
  it.each<[string, unknown, boolean]>([
    ['multipliers in thousandths', [{ id: 'member', min_earned: 0, multiplier: 1.125 }], true],
    ['a multiplier finer than thousandths', [{ id: 'member', min_earned: 0, multiplier: 1.0005 }], false],
    ['no tier at all', [], false],
  ])('accepts %s: %s', (_, tierList, ok) => {
    expect(campaignSchema.safeParse({ ...base, tiers: tierList }).success).toBe(ok);
  });
});
