import { describe, expect, it } from 'vitest';
import { campaignOf, comment, eventOf, play, summary } from './fixtures.js';

describe('challenges', () => {
  const campaign = campaignOf({
    rules: [{ id: 'hashtag_photo', on: 'hashtag_post', points: 30, limits: { per_day: 1 } }],
    challenges: [
      { id: 'week1', rule: 'hashtag_photo', count: 3, window: { from: '2027-03-01T00:00:00+03:00', to: '2027-03-07T23:59:59+03:00' }, bonus: 50 },
    ],
  });
  const post = (at: string) => eventOf('hashtag_post', at, { text: '#nuqtacafe' });

  it('award the bonus once, on the award that completes the count', () => {
    const { results } = play(campaign, ['2027-03-02', '2027-03-03', '2027-03-05', '2027-03-06'].map((day) => post(`${day}T10:00:00+03:00`)));
    expect(results.map((result) => summary(result.entries))).toEqual([
      ['hashtag_photo earn 30'],
      ['hashtag_photo earn 30'],
      ['hashtag_photo earn 30', 'challenge:week1 bonus 50'],
      ['hashtag_photo earn 30'],
    ]);
    expect(results[2]?.entries[1]?.explain.conditions).toEqual([{ condition: 'challenge_count', passed: true, expected: 3, actual: 3 }]);
    expect(results[2]?.entries[1]?.reason.text.ar).toBe('أكملت تحدي "week1": 50 نقطة');
  });

  it.each<[string, string[], boolean]>([
    ['an award after the window does not count', ['2027-03-02T10:00:00+03:00', '2027-03-03T10:00:00+03:00', '2027-03-09T10:00:00+03:00'], false],
    ['a capped post does not count', ['2027-03-02T10:00:00+03:00', '2027-03-03T10:00:00+03:00', '2027-03-03T18:00:00+03:00'], false],
    ['the last second of the window counts', ['2027-03-02T10:00:00+03:00', '2027-03-03T10:00:00+03:00', '2027-03-07T23:59:59+03:00'], true],
    ['events arriving out of order still complete it', ['2027-03-09T10:00:00+03:00', '2027-03-04T10:00:00+03:00', '2027-03-02T10:00:00+03:00', '2027-03-03T10:00:00+03:00'], true],
  ])('%s', (_, times, completed) => {
    const { facts } = play(campaign, times.map(post));
    expect(facts.filter((f) => f.ruleId === 'challenge:week1').length).toBe(completed ? 1 : 0);
  });
});

describe('streaks (once per campaign)', () => {
  const campaign = campaignOf({
    rules: [{ id: 'comment', on: 'comment', points: 10 }],
    streaks: { rule: 'comment', days: 3, bonus: 40 },
  });

  it('count campaign-local days: 23:30 and 00:30 Riyadh are two days', () => {
    // In UTC the first two comments fall on the same day (20:30Z and 21:30Z on 2027-03-02).
    const { results } = play(campaign, [comment('2027-03-02T23:30:00+03:00'), comment('2027-03-03T00:30:00+03:00'), comment('2027-03-04T12:00:00+03:00')]);
    expect(results.map((result) => summary(result.entries))).toEqual([['comment earn 10'], ['comment earn 10'], ['comment earn 10', 'streak:comment bonus 40']]);
    expect(results[2]?.entries[1]?.explain.conditions).toEqual([{ condition: 'streak_days', passed: true, expected: 3, actual: 3 }]);
    expect(results[2]?.entries[1]?.reason.text).toEqual({
      en: 'Streak of 3 days in a row: 40 points',
      ar: 'مكافأة المواظبة (3 أيام متتالية): 40 نقطة',
    });
  });

  it('are broken by a missing day, and mended when the missing day arrives late', () => {
    const { results } = play(campaign, ['2027-03-02', '2027-03-03', '2027-03-05', '2027-03-04'].map((day) => comment(`${day}T12:00:00+03:00`)));
    expect(results.map((result) => result.entries.length)).toEqual([1, 1, 1, 2]);
    expect(results[3]?.entries[1]?.explain.conditions[0]).toEqual({ condition: 'streak_days', passed: true, expected: 3, actual: 4 });
  });

  it('pay once even when the member keeps going for two more runs', () => {
    const days = ['02', '03', '04', '05', '06', '07', '08', '09', '10'].map((day) => comment(`2027-03-${day}T12:00:00+03:00`));
    const { facts } = play(campaign, days);
    expect(facts.filter((f) => f.ruleId === 'streak:comment').length).toBe(1);
  });

  it('unlocked by a held award are held too', () => {
    const { results } = play(campaign, ['2027-03-02', '2027-03-03', '2027-03-04'].map((day) => comment(`${day}T12:00:00+03:00`)), { status: 'held' });
    expect(summary(results[2]?.entries ?? [])).toEqual(['comment earn 10 held', 'streak:comment bonus 40 held']);
  });
});
