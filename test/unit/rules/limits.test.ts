import { describe, expect, it } from 'vitest';
import { scoreEvent } from '../../../src/scoring/rules/score-event.js';
import { campaignOf, comment, fact, ledgerOf, MemberLedger, play, stateFrom, type CampaignInput, type FactDraft } from './fixtures.js';

type Limits = Record<string, number | string>;

function commentCampaign(limits: Limits, overrides: CampaignInput = {}) {
  return campaignOf({ rules: [{ id: 'comment', on: 'comment', points: 10, limits }], ...overrides });
}

/** Points each comment earned, in the order they were scored. */
function pointsOf(limits: Limits, times: readonly string[], overrides: CampaignInput = {}): number[] {
  const { results } = play(commentCampaign(limits, overrides), times.map((at) => comment(at)));
  return results.map((result) => result.entries.reduce((sum, entry) => sum + entry.points, 0));
}

describe('per_day in Asia/Riyadh (UTC+3)', () => {
  it.each<[string, string[], number[]]>([
    ['23:30 and 00:30 the next Riyadh day are two days (one UTC day)', ['2027-03-05T23:30:00+03:00', '2027-03-06T00:30:00+03:00'], [10, 10]],
    ['00:30 and 23:30 the same Riyadh day are one day (two UTC days)', ['2027-03-05T00:30:00+03:00', '2027-03-05T23:30:00+03:00'], [10, 0]],
    ['the last second and the first second of a Riyadh day', ['2027-03-05T23:59:59+03:00', '2027-03-06T00:00:00+03:00'], [10, 10]],
  ])('%s', (_, times, points) => {
    expect(pointsOf({ per_day: 1 }, times)).toEqual(points);
  });

  it('names the day and the count in the explanation', () => {
    const { results } = play(commentCampaign({ per_day: 1 }), [comment('2027-03-05T23:00:00+03:00'), comment('2027-03-05T23:30:00+03:00')]);
    const [nonAward] = results[1]?.nonAwards ?? [];
    expect(nonAward?.reason.code).toBe('LIMIT_PER_DAY');
    expect(nonAward?.reason.text.en).toBe('Daily limit of rule comment reached (1 per day)');
    expect(nonAward?.explain.limits).toEqual([{ limit: 'per_day', passed: false, max: 1, used: 1, period: '2027-03-05' }]);
  });
});

describe('per_week: ISO weeks starting Monday in the campaign zone', () => {
  it.each<[string, string[], number[]]>([
    ['Sunday 23:30 and Monday 00:30 Riyadh are two weeks', ['2027-03-07T23:30:00+03:00', '2027-03-08T00:30:00+03:00'], [10, 10]],
    ['Monday 00:30 and the next Sunday 23:30 are one week', ['2027-03-08T00:30:00+03:00', '2027-03-14T23:30:00+03:00'], [10, 0]],
    ['Sunday 23:30 Riyadh is Sunday 20:30 UTC, still the same week as the Monday before', ['2027-03-01T09:00:00+03:00', '2027-03-07T23:30:00+03:00'], [10, 0]],
  ])('%s', (_, times, points) => {
    expect(pointsOf({ per_week: 1 }, times)).toEqual(points);
  });

  it('reports the ISO week id', () => {
    const { results } = play(commentCampaign({ per_week: 1 }), [comment('2027-03-08T00:30:00+03:00'), comment('2027-03-10T12:00:00+03:00')]);
    expect(results[1]?.nonAwards[0]?.explain.limits).toEqual([{ limit: 'per_week', passed: false, max: 1, used: 1, period: '2027-W10' }]);
  });
});

describe('per_day across DST switches', () => {
  const london = { timezone: 'Europe/London', starts_at: '2027-03-01T00:00:00Z', ends_at: '2027-04-30T23:00:00Z' };
  const newYork = { timezone: 'America/New_York', starts_at: '2027-11-01T00:00:00-04:00', ends_at: '2027-11-30T23:59:59-05:00' };

  it.each<[string, CampaignInput, string[], number[]]>([
    // Clocks go forward at 01:00 UTC on 2027-03-28: London midnight becomes 23:00 UTC.
    ['London, after the switch: 23:30 BST and 00:30 BST next day are two days', london, ['2027-03-28T22:30:00Z', '2027-03-28T23:30:00Z'], [10, 10]],
    ['London, before the switch: 00:30 and 23:30 GMT are one day', london, ['2027-03-27T00:30:00Z', '2027-03-27T23:30:00Z'], [10, 0]],
    ['London, the 23-hour day: 00:10 GMT and 23:50 BST are one day', london, ['2027-03-28T00:10:00Z', '2027-03-28T22:50:00Z'], [10, 0]],
    // Clocks go back at 06:00 UTC on 2027-11-07: that New York day lasts 25 hours.
    ['New York, the 25-hour day: 00:30 EDT and 23:30 EST are one day', newYork, ['2027-11-07T04:30:00Z', '2027-11-08T04:30:00Z'], [10, 0]],
    ['New York, 23:30 EST and 00:30 EST next day are two days', newYork, ['2027-11-08T04:30:00Z', '2027-11-08T05:30:00Z'], [10, 10]],
  ])('%s', (_, zone, times, points) => {
    expect(pointsOf({ per_day: 1 }, times, zone)).toEqual(points);
  });
});

describe('per_campaign and cooldown', () => {
  it('stops at the campaign cap', () => {
    const times = ['2027-03-02T10:00:00+03:00', '2027-03-03T10:00:00+03:00', '2027-03-04T10:00:00+03:00', '2027-03-05T10:00:00+03:00'];
    const { results } = play(commentCampaign({ per_campaign: 3 }), times.map((at) => comment(at)));
    expect(results.map((result) => result.entries.length)).toEqual([1, 1, 1, 0]);
    expect(results[3]?.nonAwards[0]?.reason.code).toBe('LIMIT_PER_CAMPAIGN');
    expect(results[3]?.nonAwards[0]?.explain.limits).toEqual([{ limit: 'per_campaign', passed: false, max: 3, used: 3, period: 'campaign' }]);
  });

  it.each<[string, string[], number[]]>([
    ['5 minutes apart is too soon', ['2027-03-05T10:00:00+03:00', '2027-03-05T10:05:00+03:00'], [10, 0]],
    ['exactly 10 minutes apart is allowed', ['2027-03-05T10:00:00+03:00', '2027-03-05T10:10:00+03:00'], [10, 10]],
    ['an earlier event arriving later is measured against the later award', ['2027-03-05T10:30:00+03:00', '2027-03-05T10:25:00+03:00'], [10, 0]],
    ['out of order but far enough on both sides', ['2027-03-05T10:00:00+03:00', '2027-03-05T10:30:00+03:00', '2027-03-05T10:15:00+03:00'], [10, 10, 10]],
    ['out of order, too close to the later award', ['2027-03-05T10:00:00+03:00', '2027-03-05T10:30:00+03:00', '2027-03-05T10:25:00+03:00'], [10, 10, 0]],
  ])('cooldown 10m: %s', (_, times, points) => {
    expect(pointsOf({ cooldown: '10m' }, times)).toEqual(points);
  });

  it('explains a cooldown with the gap to the nearest award', () => {
    const { results } = play(commentCampaign({ cooldown: '10m' }), [comment('2027-03-05T10:00:00+03:00'), comment('2027-03-05T10:04:00+03:00')]);
    const [nonAward] = results[1]?.nonAwards ?? [];
    expect(nonAward?.explain.limits).toEqual([{ limit: 'cooldown', passed: false, max: 600_000, used: 240_000, period: 'either side' }]);
    expect(nonAward?.reason.text).toEqual({
      en: 'Too soon after another award of rule comment (awards must be 10 minutes apart)',
      ar: 'جاء قريبًا جدًا من مكافأة أخرى للقاعدة comment (يجب أن يفصل بينهما 10 دقائق)',
    });
  });

  it('reports the broadest limit reached and lists every limit checked', () => {
    const campaign = commentCampaign({ per_day: 1, per_campaign: 1, cooldown: '1h' });
    const { results } = play(campaign, [comment('2027-03-05T10:00:00+03:00'), comment('2027-03-05T10:30:00+03:00')]);
    const [nonAward] = results[1]?.nonAwards ?? [];
    expect(nonAward?.reason.code).toBe('LIMIT_PER_CAMPAIGN');
    expect(nonAward?.explain.limits.map((check) => [check.limit, check.passed])).toEqual([
      ['per_campaign', false],
      ['per_day', false],
      ['cooldown', false],
    ]);
  });

  it('counts awards on the day they happened when events arrive out of order', () => {
    const times = ['2027-03-06T10:00:00+03:00', '2027-03-05T10:00:00+03:00', '2027-03-05T11:00:00+03:00', '2027-03-05T12:00:00+03:00'];
    expect(pointsOf({ per_day: 2 }, times)).toEqual([10, 10, 10, 0]);
  });
});

describe('which earlier awards count toward a limit', () => {
  const campaign = commentCampaign({ per_day: 1 });
  const event = comment('2027-03-05T18:00:00+03:00');
  const earlier = (partial: Partial<FactDraft>): FactDraft =>
    fact({ eventKey: 'instagram:comment:old', ruleId: 'comment', kind: 'earn', points: 10, ...partial }, '2027-03-05T09:00:00+03:00');
  const reversal = fact({
    eventKey: 'instagram:comment_deleted:old',
    ruleId: 'reverse:comment',
    kind: 'reverse',
    points: -10,
    refersTo: { eventKey: 'instagram:comment:old', ruleId: 'comment' },
  });
  const pointsAfter = (facts: readonly FactDraft[]): number =>
    scoreEvent({ event, campaign, state: stateFrom(campaign, facts) }).entries.reduce((sum, entry) => sum + entry.points, 0);

  it.each<[string, FactDraft[], number]>([
    ['a posted award fills the slot', [earlier({})], 0],
    ['a held award fills the slot (it may be approved later)', [earlier({ status: 'held' })], 0],
    ['a rejected award leaves the slot free', [earlier({ status: 'rejected' })], 10],
    ['a reversed award leaves the slot free', [earlier({}), reversal], 10],
    ['an award of another rule does not count', [earlier({ ruleId: 'like' })], 10],
    // The writer gives a reversal its award's status and records a review decision with settledAtSeq, so this is a ledger
    // settled before settledAtSeq existed; the rule is the same: only a posted reversal, or a held one of a held award, undoes it.
    ['a rejected reversal does not free the slot', [earlier({}), { ...reversal, status: 'rejected' }], 0],
  ])('%s', (_, facts, points) => {
    expect(pointsAfter(facts)).toBe(points);
  });

  it.each<['approve' | 'reject', number]>([
    ['approve', 0],
    ['reject', 10],
  ])('a held award settled by a reviewer (%s) fills the slot only if approved', (decision, points) => {
    const ledger = new MemberLedger(campaign, ledgerOf([earlier({ status: 'held' })]));
    ledger.settle(1, decision === 'approve' ? 'posted' : 'rejected');
    expect(pointsAfter(ledger.facts)).toBe(points);
    expect(scoreEvent({ event, campaign, state: ledger.state }).entries.reduce((sum, entry) => sum + entry.points, 0)).toBe(points);
  });

  it.each<['approve' | 'reject']>([['approve'], ['reject']])(
    'a held award and the held reversal of its deleted comment leave the slot free whichever way the review goes (%s)',
    (decision) => {
      const ledger = new MemberLedger(campaign, ledgerOf([earlier({ status: 'held' }), { ...reversal, status: 'held' }]));
      expect(pointsAfter(ledger.facts)).toBe(10);
      for (const seq of [1, 2]) ledger.settle(seq, decision === 'approve' ? 'posted' : 'rejected');
      expect(ledger.state.rules['comment']).toEqual({ n: 0, days: {} });
      expect(pointsAfter(ledger.facts)).toBe(10);
    },
  );
});

describe('events already decided', () => {
  it('are not scored again: a retry writes nothing and leaves the state as it was', () => {
    const campaign = commentCampaign({ per_campaign: 1, cooldown: '1h' });
    const event = comment('2027-03-05T10:00:00+03:00');
    const { results, state, duplicates } = play(campaign, [event, event]);
    expect(duplicates).toEqual([1]);
    expect(results[1]?.entries).toEqual([]);
    expect(results[1]?.balance).toEqual({ before: 10, after: 10 });
    expect(state.rules['comment']?.n).toBe(1);
  });

  it('would count against themselves if scored again, which is why the shell skips them', () => {
    const campaign = commentCampaign({ per_campaign: 1, cooldown: '1h' });
    const event = comment('2027-03-05T10:00:00+03:00');
    const { state } = play(campaign, [event]);
    const again = scoreEvent({ event, campaign, state });
    expect(again.entries).toEqual([]);
    expect(again.nonAwards[0]?.reason.code).toBe('LIMIT_PER_CAMPAIGN');
    expect(again.nonAwards[0]?.explain.limits.map((check) => [check.limit, check.passed, check.used])).toEqual([
      ['per_campaign', false, 1],
      ['cooldown', false, 0],
    ]);
  });

  it('do not write a second tier change: the next event finds the tier already recorded', () => {
    const campaign = commentCampaign({}, { tiers: [{ id: 'bronze', min_earned: 0, multiplier: 1 }, { id: 'silver', min_earned: 20, multiplier: 1 }] });
    const first = comment('2027-03-05T10:00:00+03:00');
    const second = comment('2027-03-06T10:00:00+03:00');
    const third = comment('2027-03-07T10:00:00+03:00');
    const { results, state } = play(campaign, [first, second, first, third]);
    expect(results.map((result) => result.entries.map((entry) => entry.ruleId))).toEqual([['comment'], ['comment', 'tier:silver'], [], ['comment']]);
    expect(state.tierId).toBe('silver');
  });
});
