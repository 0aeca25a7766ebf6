import { describe, expect, it } from 'vitest';
import { campaignSchema } from '../../../src/config/campaign-schema.js';
import { campaignWith } from './fixtures.js';

const base = {
  id: 'cafe',
  name: { ar: 'قهوة', en: 'Coffee' },
  timezone: 'Asia/Riyadh',
  starts_at: '2027-03-01T00:00:00+03:00',
  ends_at: '2027-03-31T00:00:00+03:00',
  accounts: { instagram: ['1'] },
  rules: [{ id: 'comment', on: 'comment', points: 10 }],
};

describe('campaign fraud settings', () => {
  it('defaults: thresholds, no weight overrides, empty lists, approvals clear for 30 days', () => {
    expect(campaignWith().fraud).toEqual({ hold_at: 0.5, reject_at: 0.85, weights: {}, staff: [], blocked: [], clearance_days: 30 });
  });

  it('accepts weights by signal code and lists of usernames or member ids', () => {
    const fraud = campaignWith({ weights: { generic_comment: 0, member_burst: 1 }, staff: ['@Cafe.Ahmed'], blocked: ['tiktok:abc-123'] }).fraud;
    expect(fraud.weights).toEqual({ generic_comment: 0, member_burst: 1 });
    expect(fraud.staff).toEqual(['@cafe.ahmed']);
    expect(fraud.blocked).toEqual(['tiktok:abc-123']);
  });

  it.each([
    ['an unknown signal code', { weights: { acount_new: 0.2 } }, ['fraud', 'weights', 'acount_new']],
    ['a weight above 1', { weights: { member_burst: 2 } }, ['fraud', 'weights', 'member_burst']],
    ['a list entry that is neither', { staff: ['ahmed'] }, ['fraud', 'staff', 0]],
  ])('rejects %s', (_name, fraud, path) => {
    const result = campaignSchema.safeParse({ ...base, fraud });
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((issue) => issue.path)).toContainEqual(path);
  });
});
