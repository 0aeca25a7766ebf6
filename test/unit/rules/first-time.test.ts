import { describe, expect, it } from 'vitest';
import { campaignOf, comment, play, summary } from './fixtures.js';

const rules = [
  { id: 'comment', on: 'comment', points: 10 },
  { id: 'first_comment', on: 'comment', points: 20, first_time: true, when: { min_text_length: 3 } },
];

describe('first_time rules', () => {
  it('award a bonus on the first qualifying event only', () => {
    const { results } = play(campaignOf({ rules }), [comment('2027-03-05T10:00:00+03:00'), comment('2027-03-06T10:00:00+03:00')]);
    expect(results.map((result) => summary(result.entries))).toEqual([['comment earn 10', 'first_comment bonus 20'], ['comment earn 10']]);
    const [nonAward] = results[1]?.nonAwards ?? [];
    expect(nonAward?.reason.code).toBe('FIRST_TIME_ALREADY_AWARDED');
    expect(nonAward?.explain.conditions).toContainEqual({ condition: 'first_time', passed: false, expected: 0, actual: 1 });
  });

  it('wait for the first event that meets their conditions', () => {
    const { results } = play(campaignOf({ rules }), [
      comment('2027-03-05T10:00:00+03:00', { text: 'ok' }),
      comment('2027-03-06T10:00:00+03:00', { text: 'lovely' }),
    ]);
    expect(results.map((result) => summary(result.entries))).toEqual([['comment earn 10'], ['comment earn 10', 'first_comment bonus 20']]);
  });

  it('are not blocked by an award the fraud scorer rejected', () => {
    const campaign = campaignOf({ rules });
    const first = play(campaign, [comment('2027-03-05T10:00:00+03:00')], { status: 'rejected' });
    const second = play(campaign, [comment('2027-03-06T10:00:00+03:00')], { facts: first.facts });
    expect(summary(first.results[0]?.entries ?? [])).toEqual(['comment earn 10 rejected', 'first_comment bonus 20 rejected']);
    expect(summary(second.results[0]?.entries ?? [])).toEqual(['comment earn 10', 'first_comment bonus 20']);
  });

  it('are a fixed bonus the tier does not multiply', () => {
    const campaign = campaignOf({ rules, tiers: [{ id: 'gold', min_earned: 0, multiplier: 2 }] });
    const { results } = play(campaign, [comment('2027-03-05T10:00:00+03:00')]);
    expect(summary(results[0]?.entries ?? [])).toEqual(['comment earn 20', 'first_comment bonus 20']);
    expect(results[0]?.entries[1]?.reason.text).toEqual({
      en: 'First-time bonus: 20 points (rule first_comment)',
      ar: 'مكافأة المرة الأولى: 20 نقطة (القاعدة first_comment)',
    });
  });
});
