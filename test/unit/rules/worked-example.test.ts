/**
 * The worked example quoted in the README ("How points are computed"): keep
 * the two in step when either changes.
 */
import { describe, expect, it } from 'vitest';
import { nextReward } from '../../../src/scoring/rules/rewards.js';
import { campaignOf, comment, deletionOf, eventOf, play } from './fixtures.js';

const cafe = campaignOf({
  id: 'cafe-ramadan',
  timezone: 'Asia/Riyadh',
  starts_at: '2027-03-01T00:00:00+03:00',
  ends_at: '2027-03-31T23:59:59+03:00',
  hashtags: ['قهوة_نقطة', 'nuqtacafe'],
  media: ['media-1'],
  rules: [
    { id: 'comment', on: 'comment', points: 10, when: { min_text_length: 3, on_campaign_media: true }, limits: { per_day: 2, cooldown: '10m' } },
    { id: 'first_comment', on: 'comment', points: 20, first_time: true },
    { id: 'hashtag_photo', on: 'hashtag_post', points: 30, when: { hashtag: true }, limits: { per_week: 3 } },
    { id: 'like', on: 'like', points: 5, accept_unverified: true, limits: { per_day: 1 } },
  ],
  tiers: [
    { id: 'bronze', min_earned: 0, multiplier: 1 },
    { id: 'silver', min_earned: 100, multiplier: 1.2 },
  ],
  rewards: [{ id: 'coffee', name: { ar: 'قهوة مجانية', en: 'Free coffee' }, cost: 200, stock: 500 }],
  challenges: [{ id: 'week1', rule: 'hashtag_photo', count: 2, window: { from: '2027-03-01T00:00:00+03:00', to: '2027-03-07T23:59:59+03:00' }, bonus: 50 }],
  streaks: { rule: 'comment', days: 3, bonus: 40 },
});

const lateNight = comment('2027-03-02T00:30:00+03:00', { id: 'c4', text: 'صباح الخير' });
const events = [
  comment('2027-03-01T20:00:00+03:00', { id: 'c1', text: 'ما شاء الله 😍' }),
  comment('2027-03-01T20:05:00+03:00', { id: 'c2', text: 'تحفة' }),
  comment('2027-03-01T23:30:00+03:00', { id: 'c3', text: 'رائع' }),
  lateNight,
  eventOf('hashtag_post', '2027-03-02T10:00:00+03:00', { id: 'p1', text: 'قهوة الصباح #قهوة_نقطة' }),
  eventOf('like', '2027-03-03T09:00:00+03:00', { id: 'l1', verified: false }),
  eventOf('hashtag_post', '2027-03-03T12:00:00+03:00', { id: 'p2', text: 'again #NuqtaCafe' }),
  comment('2027-03-03T18:00:00+03:00', { id: 'c5', text: 'لذيذ' }),
  comment('2027-04-01T00:10:00+03:00', { id: 'c6', text: 'متأخر' }),
  deletionOf(lateNight, '2027-03-04T09:00:00+03:00'),
];

describe('worked example: café campaign', () => {
  it('produces these ledger entries, non-awards and balances', () => {
    const { results, state } = play(cafe, events);
    const rows = results.map((result) => ({
      entries: result.entries.map((entry) => `${entry.kind} ${entry.ruleId} ${entry.points > 0 ? '+' : ''}${entry.points}`),
      nothing: result.nonAwards.map((nonAward) => `${nonAward.ruleId ?? '-'}: ${nonAward.reason.code}`),
      balance: result.balance.after,
    }));
    expect(rows).toEqual([
      { entries: ['earn comment +10', 'bonus first_comment +20'], nothing: [], balance: 30 },
      { entries: [], nothing: ['comment: COOLDOWN', 'first_comment: FIRST_TIME_ALREADY_AWARDED'], balance: 30 },
      { entries: ['earn comment +10'], nothing: ['first_comment: FIRST_TIME_ALREADY_AWARDED'], balance: 40 },
      { entries: ['earn comment +10'], nothing: ['first_comment: FIRST_TIME_ALREADY_AWARDED'], balance: 50 },
      { entries: ['earn hashtag_photo +30'], nothing: [], balance: 80 },
      { entries: ['earn like +5'], nothing: [], balance: 85 },
      { entries: ['earn hashtag_photo +30', 'bonus challenge:week1 +50', 'adjust tier:silver 0'], nothing: [], balance: 165 },
      { entries: ['earn comment +12', 'bonus streak:comment +40'], nothing: ['first_comment: FIRST_TIME_ALREADY_AWARDED'], balance: 217 },
      { entries: [], nothing: ['comment: OUTSIDE_CAMPAIGN_WINDOW', 'first_comment: OUTSIDE_CAMPAIGN_WINDOW'], balance: 217 },
      { entries: ['reverse reverse:comment -10', 'reverse reverse:streak:comment -40'], nothing: [], balance: 167 },
    ]);
    expect(state).toMatchObject({ balance: 167, earned: 167, tierId: 'silver' });
    expect(nextReward(167, cafe)?.message).toEqual({ en: '33 points to your free coffee', ar: 'باقي 33 نقطة على قهوة مجانية' });
  });

  it('explains the silver comment and the cooldown in words', () => {
    const { results } = play(cafe, events);
    expect(results[7]?.entries[0]?.explain.tier).toEqual({ id: 'silver', multiplier: 1.2, basePoints: 10, points: 12 });
    expect(results[1]?.nonAwards[0]?.reason.text).toEqual({
      en: 'Too soon after another award of rule comment (awards must be 10 minutes apart)',
      ar: 'جاء قريبًا جدًا من مكافأة أخرى للقاعدة comment (يجب أن يفصل بينهما 10 دقائق)',
    });
  });
});
