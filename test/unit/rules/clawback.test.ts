import { describe, expect, it } from 'vitest';
import { scoreEvent } from '../../../src/scoring/rules/score-event.js';
import { campaignOf, comment, deletedAwardsOf, deletionOf, eventOf, fact, ledgerOf, play, summary } from './fixtures.js';

const commentRules = [
  { id: 'comment', on: 'comment', points: 10 },
  { id: 'first_comment', on: 'comment', points: 20, first_time: true },
];

describe('a deleted comment', () => {
  const campaign = campaignOf({ rules: commentRules });
  const c1 = comment('2027-03-02T10:00:00+03:00');
  const c2 = comment('2027-03-03T10:00:00+03:00');

  it('reverses its own awards, pointing at each original', () => {
    const { results, facts, state } = play(campaign, [c1, c2, deletionOf(c1, '2027-03-04T10:00:00+03:00')]);
    const deletion = results[2];
    expect(summary(deletion?.entries ?? [])).toEqual(['reverse:comment reverse -10', 'reverse:first_comment reverse -20']);
    expect(deletion?.entries.map((entry) => entry.refersTo)).toEqual([
      { eventKey: c1.eventKey, ruleId: 'comment' },
      { eventKey: c1.eventKey, ruleId: 'first_comment' },
    ]);
    expect(deletion?.entries[0]?.occurredAt).toEqual(c1.occurredAt);
    expect(deletion?.entries[0]?.reason.text).toEqual({
      en: 'Comment deleted: 10 points taken back (rule comment)',
      ar: 'حُذف التعليق: استُرجعت 10 نقاط (القاعدة comment)',
    });
    expect(deletion?.balance).toEqual({ before: 40, after: 10 });
    expect(state.balance).toBe(10);
    expect(facts.filter((entry) => entry.status === 'posted').reduce((sum, entry) => sum + entry.points, 0)).toBe(10);
  });

  it('gives its first-time bonus back to the next qualifying comment', () => {
    const c3 = comment('2027-03-05T10:00:00+03:00');
    const { results } = play(campaign, [c1, deletionOf(c1, '2027-03-04T10:00:00+03:00'), c3]);
    expect(summary(results[2]?.entries ?? [])).toEqual(['comment earn 10', 'first_comment bonus 20']);
  });

  it('reverses a reply the same way', () => {
    const replies = campaignOf({ rules: [{ id: 'reply', on: 'reply', points: 5 }] });
    const reply = eventOf('reply', '2027-03-02T10:00:00+03:00', { id: '1799' });
    const { results } = play(replies, [reply, deletionOf(reply, '2027-03-02T11:00:00+03:00')]);
    expect(summary(results[1]?.entries ?? [])).toEqual(['reverse:reply reverse -5']);
  });

  it('reports a negative balance when the points were already redeemed', () => {
    const redeemed = ledgerOf([...play(campaign, [c1]).facts, fact({ eventKey: 'redeem-1', ruleId: 'reward:coffee', kind: 'redeem', points: -30 })]);
    const { results, state } = play(campaign, [deletionOf(c1, '2027-03-04T10:00:00+03:00')], { facts: redeemed });
    expect(results[0]?.balance).toEqual({ before: 0, after: -30 });
    expect(results[0]?.negativeBalance).toBe(true);
    expect(state.balance).toBe(-30);
  });

  it('reverses a held award with a held reversal, leaving the balance alone', () => {
    const held = play(campaign, [c1], { status: 'held' });
    const { results } = play(campaign, [deletionOf(c1, '2027-03-04T10:00:00+03:00')], { facts: held.facts });
    expect(summary(results[0]?.entries ?? [])).toEqual(['reverse:comment reverse -10 held', 'reverse:first_comment reverse -20 held']);
    expect(results[0]?.balance).toEqual({ before: 0, after: 0 });
    expect(results[0]?.negativeBalance).toBe(false);
  });

  it('deleted before it is scored leaves a mark, and the comment then earns nothing', () => {
    const { results } = play(campaign, [deletionOf(c1, '2027-03-02T10:05:00+03:00'), c1]);
    expect(summary(results[0]?.entries ?? [])).toEqual(['reverse:unscored reverse 0']);
    expect(results[0]?.entries[0]?.reason.code).toBe('DELETED_BEFORE_SCORED');
    expect(results[1]?.entries).toEqual([]);
    expect(results[1]?.nonAwards.map((nonAward) => [nonAward.ruleId, nonAward.reason.code])).toEqual([
      ['comment', 'EVENT_DELETED'],
      ['first_comment', 'EVENT_DELETED'],
    ]);
  });

  it('delivered twice writes its reversals once: the second delivery is a duplicate of a decided event', () => {
    const deletion = deletionOf(c1, '2027-03-04T10:00:00+03:00');
    const { results, facts, state, duplicates } = play(campaign, [c1, deletion, deletion]);
    expect(duplicates).toEqual([2]);
    expect(results[2]?.entries).toEqual([]);
    expect(results[2]?.balance).toEqual({ before: 0, after: 0 });
    expect(facts.filter((f) => f.kind === 'reverse').length).toBe(2);
    expect(state.balance).toBe(0);
  });

  it('has nothing left to take back once its reversals are written (why a duplicate is never scored again)', () => {
    const deletion = deletionOf(c1, '2027-03-04T10:00:00+03:00');
    const { state, facts } = play(campaign, [c1, deletion]);
    expect(state.awards).toEqual([]);
    expect(state.rules['comment']?.n).toBe(0);
    expect(state.rules['first_comment']?.n).toBe(0);
    expect(deletedAwardsOf(state, facts, deletion)).toEqual([]);
    // Scored again, it would find no standing award and leave a "deleted before scored" mark instead.
    const again = scoreEvent({ event: deletion, campaign, state, deletedAwards: [] });
    expect(summary(again.entries)).toEqual(['reverse:unscored reverse 0']);
  });

  it('takes back only what expiry left of the award', () => {
    const single = campaignOf({ rules: [{ id: 'comment', on: 'comment', points: 10 }] });
    const spent = ledgerOf([
      ...play(single, [c1]).facts,
      fact({ eventKey: 'redeem-1', ruleId: 'reward:pin', kind: 'redeem', points: -6 }),
      fact({ eventKey: c1.eventKey, ruleId: 'expire:comment', kind: 'expire', points: -4, refersTo: { eventKey: c1.eventKey, ruleId: 'comment' } }),
    ]);
    const { results, state } = play(single, [deletionOf(c1, '2027-09-04T10:00:00+03:00')], { facts: spent });
    expect(summary(results[0]?.entries ?? [])).toEqual(['reverse:comment reverse -6']);
    expect(results[0]?.balance).toEqual({ before: 0, after: -6 });
    expect(state.earned).toBe(4);
  });

  it('drops the member to a lower tier when the earned points fall below it', () => {
    const tiered = campaignOf({ rules: commentRules, tiers: [{ id: 'bronze', min_earned: 0, multiplier: 1 }, { id: 'silver', min_earned: 30, multiplier: 1.5 }] });
    const { results } = play(tiered, [c1, deletionOf(c1, '2027-03-04T10:00:00+03:00')]);
    expect(summary(results[0]?.entries ?? [])).toEqual(['comment earn 10', 'first_comment bonus 20', 'tier:silver adjust 0']);
    expect(summary(results[1]?.entries ?? [])).toEqual(['reverse:comment reverse -10', 'reverse:first_comment reverse -20', 'tier:bronze adjust 0']);
    expect(results[1]?.tierChange).toEqual({ from: 'silver', to: 'bronze' });
  });
});

describe('bonuses unlocked by a deleted comment', () => {
  const campaign = campaignOf({
    rules: [{ id: 'comment', on: 'comment', points: 10 }],
    challenges: [{ id: 'three', rule: 'comment', count: 3, window: { from: '2027-03-01T00:00:00+03:00', to: '2027-03-31T23:59:59+03:00' }, bonus: 50 }],
    streaks: { rule: 'comment', days: 3, bonus: 40 },
  });
  const [d2, d3, d4] = ['2027-03-02', '2027-03-03', '2027-03-04'].map((day) => comment(`${day}T12:00:00+03:00`));
  if (!d2 || !d3 || !d4) throw new Error('fixture');

  it('are reversed when they no longer qualify', () => {
    const { results } = play(campaign, [d2, d3, d4, deletionOf(d3, '2027-03-05T10:00:00+03:00')]);
    expect(summary(results[2]?.entries ?? [])).toEqual(['comment earn 10', 'challenge:three bonus 50', 'streak:comment bonus 40']);
    const deletion = results[3];
    expect(summary(deletion?.entries ?? [])).toEqual(['reverse:comment reverse -10', 'reverse:challenge:three reverse -50', 'reverse:streak:comment reverse -40']);
    expect(deletion?.entries[1]?.refersTo).toEqual({ eventKey: d4.eventKey, ruleId: 'challenge:three' });
    expect(deletion?.entries[1]?.explain.conditions).toEqual([{ condition: 'challenge_count', passed: false, expected: 3, actual: 2 }]);
    expect(deletion?.entries[2]?.explain.conditions).toEqual([{ condition: 'streak_days', passed: false, expected: 3, actual: 1 }]);
    expect(deletion?.entries[1]?.reason.text.en).toBe('Bonus "three" taken back (50 points): it no longer qualifies after a deleted comment');
  });

  it('stay when they still qualify without it', () => {
    const extra = comment('2027-03-03T18:00:00+03:00');
    const { results } = play(campaign, [d2, d3, d4, extra, deletionOf(d3, '2027-03-05T10:00:00+03:00')]);
    expect(summary(results[4]?.entries ?? [])).toEqual(['reverse:comment reverse -10']);
  });

  it('are judged one by one, even when the deleted comment is the one that unlocked them', () => {
    // Without d4 the challenge still has 3 comments (d2, d3, d5) but the run of days breaks.
    const d5 = comment('2027-03-05T12:00:00+03:00');
    const { results } = play(campaign, [d2, d3, d4, d5, deletionOf(d4, '2027-03-06T10:00:00+03:00')]);
    expect(summary(results[4]?.entries ?? [])).toEqual(['reverse:comment reverse -10', 'reverse:streak:comment reverse -40']);
  });
});
