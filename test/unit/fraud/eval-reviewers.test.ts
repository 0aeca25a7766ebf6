import { describe, expect, it } from 'vitest';
import { SimulatedReviewers } from '../../../src/fraud-eval/reviewers.js';
import type { FraudVerdict } from '../../../src/scoring/fraud/index.js';
import { campaignWith, T0 } from './fixtures.js';

const HOUR = 3_600_000;
const held: FraudVerdict = {
  score: 0.6,
  decision: 'hold',
  signals: [
    { code: 'thin_profile', weight: 0.25, value: 1, text: { en: 'x', ar: 'س' } },
    { code: 'member_burst', weight: 0.7, value: 0.5, text: { en: 'x', ar: 'س' } },
  ],
};

describe('simulated reviewers', () => {
  it('approve an honest member’s flag after the delay, clearing its account-level reasons', () => {
    const reviewers = new SimulatedReviewers(campaignWith(), 24 * HOUR);
    reviewers.flagged('instagram:honest', 'ordinary', held, T0);
    expect([...reviewers.clearedAt('instagram:honest', T0 + 23 * HOUR)]).toEqual([]);
    expect([...reviewers.clearedAt('instagram:honest', T0 + 24 * HOUR)]).toEqual(['thin_profile']);
    expect([...reviewers.clearedAt('instagram:honest', T0 + 24 * HOUR + 30 * 86_400_000)]).toEqual([]);
  });

  it('reject fraud, which clears nothing; allowed events open no flag', () => {
    const reviewers = new SimulatedReviewers(campaignWith(), HOUR);
    reviewers.flagged('instagram:bot', 'fresh_accounts', held, T0);
    reviewers.flagged('instagram:fan', 'ordinary', { score: 0, decision: 'allow', signals: [] }, T0);
    expect([...reviewers.clearedAt('instagram:bot', T0 + 2 * HOUR)]).toEqual([]);
    expect([...reviewers.clearedAt('instagram:fan', T0 + 2 * HOUR)]).toEqual([]);
  });

  it('nobody works a queue without reviewers, and a campaign that never clears keeps asking', () => {
    const idle = new SimulatedReviewers(campaignWith(), false);
    idle.flagged('instagram:honest', 'ordinary', held, T0);
    expect([...idle.clearedAt('instagram:honest', T0 + 48 * HOUR)]).toEqual([]);
    const strict = new SimulatedReviewers(campaignWith({ clearance_days: 0 }), HOUR);
    strict.flagged('instagram:honest', 'ordinary', held, T0);
    expect([...strict.clearedAt('instagram:honest', T0 + 2 * HOUR)]).toEqual([]);
  });
});
