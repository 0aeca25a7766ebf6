import { describe, expect, it } from 'vitest';
import type { Campaign } from '../../../src/config/campaign-schema.js';
import type { EngagementEvent } from '../../../src/domain/event.js';
import { emptyState } from '../../../src/ledger/member-state.js';
import { stateSpecOf } from '../../../src/ledger/state-spec.js';
import { scoreEvent } from '../../../src/scoring/rules/score-event.js';
import type { ScoringResult } from '../../../src/scoring/rules/types.js';
import { campaignOf, comment, eventOf, play, type EventOptions } from './fixtures.js';

/** The event scored for a member with nothing in the ledger yet. */
function scoreAlone(event: EngagementEvent, campaign: Campaign = campaignOf()): ScoringResult {
  return scoreEvent({ event, campaign, state: emptyState(stateSpecOf(campaign)) });
}

describe('rule conditions', () => {
  const campaign = campaignOf({
    rules: [{ id: 'comment', on: 'comment', points: 10, when: { min_text_length: 3, on_campaign_media: true } }],
  });

  it.each<[string, EventOptions, string]>([
    ['an Arabic text of 3 letters', { text: 'واو' }, 'EARNED'],
    ['a text of 2 letters', { text: 'ok' }, 'CONDITION_FAILED'],
    ['surrounding spaces do not count', { text: '   a  ' }, 'CONDITION_FAILED'],
    ['three emoji are three characters', { text: '🔥🔥🔥' }, 'EARNED'],
    ['two emoji are two characters, not four UTF-16 units', { text: '🔥🔥' }, 'CONDITION_FAILED'],
    ['a post that is not the campaign’s', { mediaId: 'someone-elses-post' }, 'CONDITION_FAILED'],
    ['no post at all', { mediaId: '' }, 'CONDITION_FAILED'],
  ])('%s → %s', (_, options, code) => {
    const result = scoreAlone(comment('2027-03-05T10:00:00+03:00', options), campaign);
    const codes = [...result.entries.map((entry) => entry.reason.code), ...result.nonAwards.map((n) => n.reason.code)];
    expect(codes).toEqual([code]);
  });

  it('explains a short text with the length it saw and the length it wanted', () => {
    const result = scoreAlone(comment('2027-03-05T10:00:00+03:00', { text: 'ok' }), campaign);
    const [nonAward] = result.nonAwards;
    expect(nonAward?.ruleId).toBe('comment');
    expect(nonAward?.explain.conditions).toContainEqual({ condition: 'min_text_length', passed: false, expected: 3, actual: 2 });
    expect(nonAward?.reason.text).toEqual({
      en: 'Text shorter than 3 characters (rule comment)',
      ar: 'النص أقصر من 3 أحرف (القاعدة comment)',
    });
  });

  it('records every check, passed or not, when an event fails several', () => {
    const late = comment('2027-04-02T10:00:00+03:00', { text: 'ok', mediaId: 'other', verified: false });
    const [nonAward] = scoreAlone(late, campaign).nonAwards;
    expect(nonAward?.reason.code).toBe('OUTSIDE_CAMPAIGN_WINDOW');
    expect(nonAward?.explain.conditions.map((check) => [check.condition, check.passed])).toEqual([
      ['campaign_window', false],
      ['verified', false],
      ['not_deleted', true],
      ['min_text_length', false],
      ['on_campaign_media', false],
    ]);
    expect(nonAward?.explain.limits).toEqual([]);
  });
});

describe('hashtag and platform conditions', () => {
  const campaign = campaignOf({
    rules: [
      { id: 'hashtag_photo', on: 'hashtag_post', points: 30, when: { hashtag: true } },
      { id: 'tiktok_comment', on: 'comment', points: 15, when: { platform: 'tiktok' } },
    ],
  });

  it.each<[string, string, boolean]>([
    ['the campaign hashtag as written', 'صباح #قهوة_نقطة', true],
    ['the same hashtag with other Arabic letter forms', 'صباح #قهوه_نقطه', true],
    ['the Latin hashtag in capitals', 'morning #NuqtaCafe', true],
    ['another hashtag', 'morning #coffee', false],
    ['no hashtag', 'morning', false],
  ])('a hashtag post with %s earns: %s', (_, text, earns) => {
    const result = scoreAlone(eventOf('hashtag_post', '2027-03-05T10:00:00+03:00', { text }), campaign);
    expect(result.entries.map((entry) => entry.points)).toEqual(earns ? [30] : []);
    if (!earns) expect(result.nonAwards[0]?.explain.conditions).toContainEqual(expect.objectContaining({ condition: 'hashtag', passed: false }));
  });

  it.each<['instagram' | 'tiktok', number[]]>([
    ['tiktok', [15]],
    ['instagram', []],
  ])('a rule for TikTok only, on a %s comment, awards %j', (platform, points) => {
    const result = scoreAlone(comment('2027-03-05T10:00:00+03:00', { platform }), campaign);
    expect(result.entries.map((entry) => entry.points)).toEqual(points);
    if (points.length === 0) {
      expect(result.nonAwards[0]?.explain.conditions).toContainEqual({ condition: 'platform', passed: false, expected: 'tiktok', actual: 'instagram' });
      expect(result.nonAwards[0]?.reason.text.ar).toBe('القاعدة tiktok_comment خاصة بمنصة tiktok');
    }
  });
});

describe('verified actions', () => {
  const campaign = campaignOf({
    rules: [
      { id: 'comment', on: 'comment', points: 10 },
      { id: 'like', on: 'like', points: 5, accept_unverified: true },
    ],
  });

  it.each<[string, EngagementEvent, string]>([
    ['a verified comment earns', comment('2027-03-05T10:00:00+03:00'), 'EARNED'],
    ['an unverified comment earns nothing', comment('2027-03-05T10:00:00+03:00', { verified: false }), 'UNVERIFIED_NOT_ACCEPTED'],
    ['an unverified like earns under accept_unverified', eventOf('like', '2027-03-05T10:00:00+03:00', { verified: false }), 'EARNED'],
  ])('%s', (_, event, code) => {
    const result = scoreAlone(event, campaign);
    expect([...result.entries, ...result.nonAwards].map((decision) => decision.reason.code)).toEqual([code]);
  });

  it('says which rule wanted a verified action', () => {
    const [nonAward] = scoreAlone(comment('2027-03-05T10:00:00+03:00', { verified: false }), campaign).nonAwards;
    expect(nonAward?.explain.conditions).toContainEqual({ condition: 'verified', passed: false, expected: 'verified', actual: 'unverified' });
  });
});

describe('campaign window (starts_at 2027-03-01T00:00:00+03:00, ends_at 2027-03-31T23:59:59+03:00)', () => {
  it.each<[string, string, string]>([
    ['exactly at starts_at', '2027-03-01T00:00:00+03:00', 'EARNED'],
    ['1 ms before starts_at', '2027-02-28T23:59:59.999+03:00', 'OUTSIDE_CAMPAIGN_WINDOW'],
    ['exactly at ends_at (inclusive)', '2027-03-31T23:59:59+03:00', 'EARNED'],
    ['1 s after ends_at', '2027-04-01T00:00:00+03:00', 'OUTSIDE_CAMPAIGN_WINDOW'],
  ])('%s', (_, at, code) => {
    const result = scoreAlone(comment(at));
    expect([...result.entries, ...result.nonAwards].map((decision) => decision.reason.code)).toEqual([code]);
  });

  it('says on which side of the window an event fell', () => {
    const [early] = scoreAlone(comment('2027-02-20T10:00:00+03:00')).nonAwards;
    const [late] = scoreAlone(comment('2027-04-20T10:00:00+03:00')).nonAwards;
    expect(early?.reason.text.en).toBe('Happened before the campaign started (2027-02-28T21:00:00.000Z)');
    expect(late?.reason.text.ar).toBe('حدث بعد انتهاء الحملة (2027-03-31T20:59:59.000Z)');
  });

  it('scores a backdated event by when it happened, not when it arrived', () => {
    const event = comment('2027-03-31T23:00:00+03:00', { receivedAt: '2027-04-03T09:00:00+03:00' });
    const { results, facts } = play(campaignOf(), [event]);
    expect(results[0]?.entries.map((entry) => [entry.ruleId, entry.points, entry.occurredAt.toISOString()])).toEqual([
      ['comment', 10, '2027-03-31T20:00:00.000Z'],
    ]);
    // Written when it arrived, placed when it happened.
    expect(facts.map((entry) => [entry.createdAt.toISOString(), entry.occurredAt.toISOString()])).toEqual([['2027-04-03T06:00:00.000Z', '2027-03-31T20:00:00.000Z']]);
  });
});

describe('events no rule covers', () => {
  it('records one non-award without a rule', () => {
    const result = scoreAlone(eventOf('save', '2027-03-05T10:00:00+03:00'));
    expect(result.entries).toEqual([]);
    expect(result.nonAwards).toEqual([
      {
        eventKey: expect.stringMatching(/^instagram:save:/),
        reason: {
          code: 'NO_RULE_FOR_KIND',
          text: { en: 'No rule of this campaign awards points for a save', ar: 'لا توجد قاعدة في هذه الحملة تمنح نقاطًا على الحفظ' },
        },
        explain: { conditions: [], limits: [] },
      },
    ]);
  });

  it('decides each rule on the same kind separately', () => {
    const campaign = campaignOf({
      rules: [
        { id: 'comment', on: 'comment', points: 10 },
        { id: 'long_comment', on: 'comment', points: 25, when: { min_text_length: 40 } },
      ],
    });
    const result = scoreAlone(comment('2027-03-05T10:00:00+03:00', { text: 'short and sweet' }), campaign);
    expect(result.entries.map((entry) => entry.ruleId)).toEqual(['comment']);
    expect(result.nonAwards.map((nonAward) => [nonAward.ruleId, nonAward.reason.code])).toEqual([['long_comment', 'CONDITION_FAILED']]);
  });
});

describe('rule schema', () => {
  it('refuses a rule that would award points for deleting a comment or refunding an order', () => {
    expect(() => campaignOf({ rules: [{ id: 'bad', on: 'comment_deleted', points: 5 }] })).toThrow(/comment_deleted and order_refunded take points back/);
    expect(() => campaignOf({ rules: [{ id: 'bad', on: 'order_refunded', points: 5 }] })).toThrow(/comment_deleted and order_refunded take points back/);
  });
});
