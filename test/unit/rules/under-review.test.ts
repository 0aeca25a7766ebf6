import { describe, expect, it } from 'vitest';
import type { MemberFact } from '../../../src/ledger/entry.js';
import { settledBy, settlementsOf } from '../../../src/review/flags.js';
import { awardsInReviewWindow, underReviewEntries, type FlaggedEvent } from '../../../src/review/retro-review.js';
import { balanceOf, earnedOf, pointsLeftOf, pointsUnderReview, standingAwards } from '../../../src/scoring/rules/facts.js';
import { scoreEvent } from '../../../src/scoring/rules/score-event.js';
import type { LedgerFact, LedgerStatus } from '../../../src/scoring/rules/types.js';
import { campaignOf, comment, deletionOf, fact, play, summary } from './fixtures.js';

const at = (iso: string): Date => new Date(iso);

/** What the ledger holds once the reversals are written (statuses as given), as scoring reads it. */
function withEntries(facts: readonly LedgerFact[], entries: readonly Pick<LedgerFact, 'eventKey' | 'ruleId' | 'kind' | 'points' | 'occurredAt' | 'refersTo'>[], status: LedgerStatus): LedgerFact[] {
  return [
    ...facts,
    ...entries.map(({ eventKey, ruleId, kind, points, occurredAt, refersTo }) => ({ eventKey, ruleId, kind, points, occurredAt, status, createdAt: occurredAt, ...(refersTo ? { refersTo } : {}) })),
  ];
}

function flaggedAt(iso: string, decision: FlaggedEvent['decision'] = 'hold', eventKey = 'instagram:comment:flagged'): FlaggedEvent {
  return { eventKey, occurredAt: at(iso), decision };
}

const asMemberFacts = (facts: readonly LedgerFact[]): MemberFact[] => facts.map((entry, index) => ({ ...entry, seq: index + 1 }));

describe('a posted award under review (a held reversal of it)', () => {
  const campaign = campaignOf({ rules: [{ id: 'comment', on: 'comment', points: 10, limits: { per_day: 2 } }] });
  const c1 = comment('2027-03-05T10:00:00+03:00');
  const c2 = comment('2027-03-05T11:00:00+03:00');
  const c3 = comment('2027-03-05T12:00:00+03:00');
  const { facts } = play(campaign, [c1, c2]);
  const review = underReviewEntries({ campaign, facts, flagged: flaggedAt('2027-03-05T13:00:00+03:00'), reviewedEvents: new Set() });

  it('keeps counting: in the balance, in points earned and under its caps, until a reviewer decides', () => {
    const underReview = withEntries(facts, review, 'held');
    expect(balanceOf(underReview)).toBe(20);
    expect(earnedOf(underReview)).toBe(20);
    expect(standingAwards(underReview).map((award) => award.eventKey)).toEqual([c1.eventKey, c2.eventKey]);
    // The daily cap of 2 is still used up: approving the review later must not leave three awards on the day.
    const third = scoreEvent({ event: c3, campaign, state: { facts: underReview }, now: c3.occurredAt });
    expect(third.entries).toEqual([]);
    expect(third.nonAwards[0]?.reason.code).toBe('LIMIT_PER_DAY');
  });

  it('is taken back once the reversal is posted (rejected by a reviewer), which frees its slot', () => {
    const rejected = withEntries(facts, review, 'posted');
    expect(balanceOf(rejected)).toBe(0);
    expect(standingAwards(rejected)).toEqual([]);
    expect(summary(scoreEvent({ event: c3, campaign, state: { facts: rejected }, now: c3.occurredAt }).entries)).toEqual(['comment earn 10']);
  });

  it('stands as before once the reversal is rejected (approved by a reviewer)', () => {
    const approved = withEntries(facts, review, 'rejected');
    expect(balanceOf(approved)).toBe(20);
    expect(standingAwards(approved)).toHaveLength(2);
    expect(pointsUnderReview(approved)).toBe(0);
  });

  it('counts as points under review, not safe to spend, only while the reversal is held', () => {
    expect(pointsUnderReview(facts)).toBe(0);
    expect(pointsUnderReview(withEntries(facts, review, 'held'))).toBe(20);
    expect(pointsUnderReview(withEntries(facts, review, 'posted'))).toBe(0);
  });

  it('is still reversed outright when its comment is deleted, and then no longer under review', () => {
    const underReview = withEntries(facts, review, 'held');
    const deletion = scoreEvent({ event: deletionOf(c1, '2027-03-05T14:00:00+03:00'), campaign, state: { facts: underReview }, now: at('2027-03-05T14:00:00+03:00') });
    expect(summary(deletion.entries)).toEqual(['reverse:comment reverse -10']);
    const after = withEntries(underReview, deletion.entries, 'posted');
    expect(pointsUnderReview(after)).toBe(10);
    expect(standingAwards(after).map((award) => award.eventKey)).toEqual([c2.eventKey]);
  });
});

describe('a held award with a held reversal (deleted while waiting for review)', () => {
  it('no longer stands: whichever way the review goes, it ends without points', () => {
    const campaign = campaignOf({ rules: [{ id: 'comment', on: 'comment', points: 10, limits: { per_day: 1 } }] });
    const c1 = comment('2027-03-05T10:00:00+03:00');
    const held = play(campaign, [c1], { status: 'held' });
    const { facts } = play(campaign, [deletionOf(c1, '2027-03-05T10:30:00+03:00')], { facts: held.facts });
    expect(standingAwards(facts)).toEqual([]);
    expect(pointsUnderReview(facts)).toBe(0);
    expect(summary(play(campaign, [comment('2027-03-05T11:00:00+03:00')], { facts }).results[0]?.entries ?? [])).toEqual(['comment earn 10']);
  });
});

describe('which awards go under review with a flagged event', () => {
  const campaign = campaignOf({ rules: [{ id: 'comment', on: 'comment', points: 10 }, { id: 'first_comment', on: 'comment', points: 20, first_time: true }] });
  const old = comment('2027-03-01T09:00:00+03:00');
  const dayBefore = comment('2027-03-04T14:00:00+03:00');
  const hourBefore = comment('2027-03-05T12:00:00+03:00');
  const { facts } = play(campaign, [old, dayBefore, hourBefore]);
  const keysOf = (entries: readonly { refersTo?: { eventKey: string; ruleId: string } }[]): string[] => entries.map((entry) => `${entry.refersTo?.eventKey} ${entry.refersTo?.ruleId}`);

  it('a hold looks back a day, a rejection a week', () => {
    const hold = flaggedAt('2027-03-05T13:00:00+03:00', 'hold');
    expect(keysOf(underReviewEntries({ campaign, facts, flagged: hold, reviewedEvents: new Set() }))).toEqual([`${dayBefore.eventKey} comment`, `${hourBefore.eventKey} comment`]);
    const reject = flaggedAt('2027-03-05T13:00:00+03:00', 'reject');
    expect(keysOf(underReviewEntries({ campaign, facts, flagged: reject, reviewedEvents: new Set() }))).toEqual([
      `${old.eventKey} comment`,
      `${old.eventKey} first_comment`,
      `${dayBefore.eventKey} comment`,
      `${hourBefore.eventKey} comment`,
    ]);
  });

  it('writes held reversals under the flagged event, at each award\u2019s time, with a reason in both languages', () => {
    const entries = underReviewEntries({ campaign, facts, flagged: flaggedAt('2027-03-05T12:30:00+03:00'), reviewedEvents: new Set() });
    const entry = entries.find((candidate) => candidate.refersTo?.eventKey === hourBefore.eventKey);
    expect(entry).toMatchObject({
      eventKey: 'instagram:comment:flagged',
      ruleId: `review:comment:${hourBefore.eventKey}`,
      kind: 'reverse',
      points: -10,
      status: 'held',
      occurredAt: hourBefore.occurredAt,
      refersTo: { eventKey: hourBefore.eventKey, ruleId: 'comment' },
      reason: {
        code: 'UNDER_REVIEW',
        text: {
          en: 'Under review because a later action of this account was held: a reviewer who rejects it takes back 10 points (rule comment)',
          ar: 'قيد المراجعة لأن تفاعلًا لاحقًا لهذا الحساب عُلِّق: تُسترجع 10 نقاط إذا رفضه المراجِع (القاعدة comment)',
        },
      },
    });
  });

  it('leaves out events a reviewer already decided, awards already under review, and the flagged event itself', () => {
    const flagged = flaggedAt('2027-03-05T13:00:00+03:00', 'hold', hourBefore.eventKey);
    expect(keysOf(underReviewEntries({ campaign, facts, flagged, reviewedEvents: new Set([dayBefore.eventKey]) }))).toEqual([]);
    const first = underReviewEntries({ campaign, facts, flagged: flaggedAt('2027-03-05T13:00:00+03:00'), reviewedEvents: new Set() });
    for (const status of ['held', 'posted', 'rejected'] as const) {
      const later = flaggedAt('2027-03-05T13:30:00+03:00', 'hold', 'instagram:comment:later');
      expect(awardsInReviewWindow(withEntries(facts, first, status), later)).toEqual([]);
    }
  });

  it('leaves out held and rejected awards, and deleted comments', () => {
    const c = comment('2027-03-05T12:10:00+03:00');
    const held = play(campaign, [c], { facts, status: 'held' }).facts;
    const deleted = play(campaign, [deletionOf(hourBefore, '2027-03-05T12:20:00+03:00')], { facts: held }).facts;
    expect(keysOf(underReviewEntries({ campaign, facts: deleted, flagged: flaggedAt('2027-03-05T13:00:00+03:00'), reviewedEvents: new Set() }))).toEqual([`${dayBefore.eventKey} comment`]);
  });

  it('takes back only what expiry left of an award', () => {
    const award = fact({ eventKey: 'e1', ruleId: 'comment', kind: 'earn', points: 10 }, '2027-03-05T10:00:00+03:00');
    const expired = fact({ eventKey: 'e1', ruleId: 'expire:comment', kind: 'expire', points: -4, refersTo: { eventKey: 'e1', ruleId: 'comment' } }, '2027-03-05T11:00:00+03:00');
    expect(pointsLeftOf(award, [award, expired])).toBe(6);
    const entries = underReviewEntries({ campaign, facts: [award, expired], flagged: flaggedAt('2027-03-05T12:00:00+03:00'), reviewedEvents: new Set() });
    expect(entries.map((entry) => entry.points)).toEqual([-6]);
  });

  it('adds the challenge bonus that would no longer qualify without the awards under review', () => {
    const challenge = campaignOf({
      rules: [{ id: 'comment', on: 'comment', points: 10 }],
      challenges: [{ id: 'week1', rule: 'comment', count: 3, window: { from: '2027-03-01T00:00:00+03:00', to: '2027-03-07T23:59:59+03:00' }, bonus: 50 }],
    });
    const played = play(challenge, ['2027-03-01T10:00:00+03:00', '2027-03-02T10:00:00+03:00', '2027-03-05T12:00:00+03:00'].map((time) => comment(time)));
    const entries = underReviewEntries({ campaign: challenge, facts: played.facts, flagged: flaggedAt('2027-03-05T13:00:00+03:00'), reviewedEvents: new Set() });
    expect(entries.map((entry) => `${entry.refersTo?.ruleId} ${entry.points}`)).toEqual(['comment -10', 'challenge:week1 -50']);
  });
});

describe('settling a flag with earlier awards under review', () => {
  const campaign = campaignOf({ rules: [{ id: 'comment', on: 'comment', points: 10 }] });
  const c1 = comment('2027-03-05T10:00:00+03:00');
  const c2 = comment('2027-03-05T11:00:00+03:00');
  const flaggedEvent = comment('2027-03-05T12:00:00+03:00');
  const posted = play(campaign, [c1, c2]).facts;
  const held = play(campaign, [flaggedEvent], { facts: posted, status: 'held' }).facts;
  const review = underReviewEntries({ campaign, facts: held, flagged: flaggedAt('2027-03-05T12:00:00+03:00', 'hold', flaggedEvent.eventKey), reviewedEvents: new Set() });
  const facts = asMemberFacts(withEntries(held, review, 'held'));

  it('settles the event\u2019s held award and the reversals written under it', () => {
    expect(summary(settledBy(facts, flaggedEvent.eventKey))).toEqual([
      'comment earn 10 held',
      `review:comment:${c1.eventKey} reverse -10 held`,
      `review:comment:${c2.eventKey} reverse -10 held`,
    ]);
    // The earlier events have no flag of their own; their reversals belong to the flagged event.
    expect(settledBy(facts, c1.eventKey)).toEqual([]);
  });

  it.each<['approve' | 'reject', string[], number]>([
    ['reject', ['rejected', 'posted', 'posted'], 0],
    ['approve', ['posted', 'rejected', 'rejected'], 30],
  ])('%s', (decision, statuses, balance) => {
    const settlements = settlementsOf(facts, settledBy(facts, flaggedEvent.eventKey), decision);
    expect(settlements.map(({ status }) => status)).toEqual(statuses);
    const decided = facts.map((entry) => settlements.find(({ fact: settled }) => settled.seq === entry.seq)?.status ?? entry.status);
    expect(balanceOf(facts.map((entry, index) => ({ ...entry, status: decided[index] ?? entry.status })))).toBe(balance);
  });

  it('never takes back twice: an award whose comment was deleted meanwhile keeps its reversal rejected', () => {
    const deletion = scoreEvent({ event: deletionOf(c1, '2027-03-05T12:30:00+03:00'), campaign, state: { facts }, now: at('2027-03-05T12:30:00+03:00') });
    const afterDeletion = asMemberFacts(withEntries(facts, deletion.entries, 'posted'));
    const settlements = settlementsOf(afterDeletion, settledBy(afterDeletion, flaggedEvent.eventKey), 'reject');
    expect(settlements.map(({ fact: settled, status }) => `${settled.ruleId} ${status}`)).toEqual([
      'comment rejected',
      `review:comment:${c1.eventKey} rejected`,
      `review:comment:${c2.eventKey} posted`,
    ]);
  });
});
