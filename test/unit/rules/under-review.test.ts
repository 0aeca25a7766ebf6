import { describe, expect, it } from 'vitest';
import type { Campaign } from '../../../src/config/campaign-schema.js';
import { isReviewReversal } from '../../../src/domain/ledger.js';
import type { MemberFact } from '../../../src/ledger/entry.js';
import { AWARD_MEMORY_MS, heldPoints, pointsUnderReview } from '../../../src/ledger/member-state.js';
import { settledBy, settlementsOf } from '../../../src/review/flags.js';
import { awardsInReviewWindow, underReviewEntries, type FlaggedEvent } from '../../../src/review/retro-review.js';
import { campaignOf, comment, deletionOf, fact, MemberLedger, play, stateFrom, summary } from './fixtures.js';

const at = (iso: string): Date => new Date(iso);

function flaggedAt(iso: string, decision: FlaggedEvent['decision'] = 'hold', eventKey = 'instagram:comment:flagged'): FlaggedEvent {
  return { eventKey, occurredAt: at(iso), decision };
}

/** The member's ledger after `facts`, with the review reversals written (held, as the scorer writes them) at `writtenAt`. */
function withReview(campaign: Campaign, facts: readonly MemberFact[], flagged: FlaggedEvent, writtenAt: Date = flagged.occurredAt): MemberLedger {
  const ledger = new MemberLedger(campaign, facts);
  ledger.append(underReviewEntries({ campaign, state: ledger.state, flagged }), writtenAt);
  return ledger;
}

/** A reviewer's decision on the reversals alone: posted takes the awards back, rejected lets them be. */
function settleReversals(ledger: MemberLedger, status: 'posted' | 'rejected'): void {
  for (const entry of ledger.facts.filter((candidate) => isReviewReversal(candidate) && candidate.status === 'held')) ledger.settle(entry.seq, status);
}

const standingKeys = (ledger: MemberLedger): string[] => ledger.state.awards.map((award) => award.eventKey);

describe('a posted award under review (a held reversal of it)', () => {
  const campaign = campaignOf({ rules: [{ id: 'comment', on: 'comment', points: 10, limits: { per_day: 2 } }] });
  const c1 = comment('2027-03-05T10:00:00+03:00');
  const c2 = comment('2027-03-05T11:00:00+03:00');
  const c3 = comment('2027-03-05T12:00:00+03:00');
  const { facts, state } = play(campaign, [c1, c2]);
  const flagged = flaggedAt('2027-03-05T13:00:00+03:00');

  it('keeps counting in the balance, in points earned and under its caps until a reviewer decides, but leaves the boards', () => {
    const ledger = withReview(campaign, facts, flagged);
    expect(summary(ledger.facts.slice(2))).toEqual([`review:comment:${c1.eventKey} reverse -10 held`, `review:comment:${c2.eventKey} reverse -10 held`]);
    expect(ledger.state).toMatchObject({ balance: 20, earned: 20, rules: { comment: { n: 2 } } });
    // Boards show only what stands.
    expect(ledger.state.boards['all']?.[0]).toBe(0);
    expect(standingKeys(ledger)).toEqual([c1.eventKey, c2.eventKey]);
    // The daily cap of 2 is still used up: approving the review later must not leave three awards on the day.
    const third = ledger.score(c3);
    expect(third?.entries).toEqual([]);
    expect(third?.nonAwards[0]?.reason.code).toBe('LIMIT_PER_DAY');
  });

  it('is taken back once the reversal is posted (rejected by a reviewer), which frees its slot', () => {
    const ledger = withReview(campaign, facts, flagged);
    settleReversals(ledger, 'posted');
    expect(ledger.state).toMatchObject({ balance: 0, earned: 0, rules: { comment: { n: 0, days: {} } }, awards: [] });
    expect(ledger.state.boards['all']?.[0]).toBe(0);
    expect(summary(ledger.score(c3)?.entries ?? [])).toEqual(['comment earn 10']);
  });

  it('stands as before once the reversal is rejected (approved by a reviewer)', () => {
    const ledger = withReview(campaign, facts, flagged);
    settleReversals(ledger, 'rejected');
    expect(ledger.state).toMatchObject({ balance: 20, earned: 20, rules: { comment: { n: 2 } } });
    expect(ledger.state.boards['all']?.[0]).toBe(20);
    expect(standingKeys(ledger)).toEqual([c1.eventKey, c2.eventKey]);
    expect(pointsUnderReview(ledger.state)).toBe(0);
  });

  it('counts as points under review, not safe to spend, only while the reversal is held', () => {
    expect(pointsUnderReview(state)).toBe(0);
    const ledger = withReview(campaign, facts, flagged);
    expect(pointsUnderReview(ledger.state)).toBe(20);
    // The member's own held points are another matter: none here.
    expect(heldPoints(ledger.state)).toBe(0);
    settleReversals(ledger, 'posted');
    expect(pointsUnderReview(ledger.state)).toBe(0);
  });

  it('is still reversed outright when its comment is deleted, and then no longer under review', () => {
    const ledger = withReview(campaign, facts, flagged);
    const deletion = ledger.score(deletionOf(c1, '2027-03-05T14:00:00+03:00'));
    expect(summary(deletion?.entries ?? [])).toEqual(['reverse:comment reverse -10']);
    expect(pointsUnderReview(ledger.state)).toBe(10);
    expect(standingKeys(ledger)).toEqual([c2.eventKey]);
    expect(ledger.state.balance).toBe(10);
  });
});

describe('a held award with a held reversal (deleted while waiting for review)', () => {
  it('no longer stands: whichever way the review goes, it ends without points', () => {
    const campaign = campaignOf({ rules: [{ id: 'comment', on: 'comment', points: 10, limits: { per_day: 1 } }] });
    const c1 = comment('2027-03-05T10:00:00+03:00');
    const held = play(campaign, [c1], { status: 'held' });
    const { facts, state } = play(campaign, [deletionOf(c1, '2027-03-05T10:30:00+03:00')], { facts: held.facts });
    expect(summary(facts)).toEqual(['comment earn 10 held', 'reverse:comment reverse -10 held']);
    expect(state.rules['comment']?.n).toBe(0);
    expect(state.awards).toEqual([]);
    expect(pointsUnderReview(state)).toBe(0);
    expect(heldPoints(state)).toBe(0);
    expect(summary(play(campaign, [comment('2027-03-05T11:00:00+03:00')], { facts }).results[0]?.entries ?? [])).toEqual(['comment earn 10']);
  });
});

describe('which awards go under review with a flagged event', () => {
  const campaign = campaignOf({ rules: [{ id: 'comment', on: 'comment', points: 10 }, { id: 'first_comment', on: 'comment', points: 20, first_time: true }] });
  const old = comment('2027-03-01T09:00:00+03:00');
  const dayBefore = comment('2027-03-04T14:00:00+03:00');
  const hourBefore = comment('2027-03-05T12:00:00+03:00');
  const { facts, state } = play(campaign, [old, dayBefore, hourBefore]);
  const keysOf = (entries: readonly { refersTo?: { eventKey: string; ruleId: string } }[]): string[] => entries.map((entry) => `${entry.refersTo?.eventKey} ${entry.refersTo?.ruleId}`);

  it('a hold looks back a day, a rejection a week', () => {
    const hold = flaggedAt('2027-03-05T13:00:00+03:00', 'hold');
    expect(keysOf(underReviewEntries({ campaign, state, flagged: hold }))).toEqual([`${dayBefore.eventKey} comment`, `${hourBefore.eventKey} comment`]);
    const reject = flaggedAt('2027-03-05T13:00:00+03:00', 'reject');
    expect(keysOf(underReviewEntries({ campaign, state, flagged: reject }))).toEqual([
      `${old.eventKey} comment`,
      `${old.eventKey} first_comment`,
      `${dayBefore.eventKey} comment`,
      `${hourBefore.eventKey} comment`,
    ]);
  });

  it('writes held reversals under the flagged event, at each award\u2019s time, with a reason in both languages', () => {
    const entries = underReviewEntries({ campaign, state, flagged: flaggedAt('2027-03-05T12:30:00+03:00') });
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

  it('leaves out the flagged event itself', () => {
    const flagged = flaggedAt('2027-03-05T12:00:00+03:00', 'hold', hourBefore.eventKey);
    expect(keysOf(underReviewEntries({ campaign, state, flagged }))).toEqual([`${dayBefore.eventKey} comment`]);
  });

  it('leaves out events a reviewer already decided: awards written held keep that mark once approved', () => {
    const ledger = new MemberLedger(campaign);
    ledger.score(old);
    ledger.score(dayBefore, 'held');
    for (const entry of settledBy(ledger.state, dayBefore.eventKey)) ledger.settle(entry.seq, 'posted');
    ledger.score(hourBefore);
    expect(ledger.state.awards.find((award) => award.eventKey === dayBefore.eventKey)).toMatchObject({ status: 'posted', wasHeld: true });
    const flagged = flaggedAt('2027-03-05T13:00:00+03:00', 'hold', 'instagram:comment:flagged');
    expect(keysOf(underReviewEntries({ campaign, state: ledger.state, flagged }))).toEqual([`${hourBefore.eventKey} comment`]);
  });

  it.each<['held' | 'posted' | 'rejected']>([['held'], ['posted'], ['rejected']])('leaves out awards already under review once (reversal %s)', (status) => {
    const ledger = withReview(campaign, facts, flaggedAt('2027-03-05T13:00:00+03:00'));
    if (status !== 'held') settleReversals(ledger, status);
    const later = flaggedAt('2027-03-05T13:30:00+03:00', 'hold', 'instagram:comment:later');
    expect(awardsInReviewWindow(ledger.state, later)).toEqual([]);
  });

  it('leaves out held and rejected awards, and deleted comments', () => {
    const ledger = new MemberLedger(campaign, facts);
    ledger.score(comment('2027-03-05T12:10:00+03:00'), 'held');
    ledger.score(comment('2027-03-05T12:15:00+03:00'), 'rejected');
    ledger.score(deletionOf(hourBefore, '2027-03-05T12:20:00+03:00'));
    expect(keysOf(underReviewEntries({ campaign, state: ledger.state, flagged: flaggedAt('2027-03-05T13:00:00+03:00') }))).toEqual([`${dayBefore.eventKey} comment`]);
  });

  it('takes back only what expiry left of an award', () => {
    const award = fact({ eventKey: 'e1', ruleId: 'comment', kind: 'earn', points: 10 }, '2027-03-05T10:00:00+03:00');
    const expired = fact({ eventKey: 'e1', ruleId: 'expire:comment', kind: 'expire', points: -4, refersTo: { eventKey: 'e1', ruleId: 'comment' } }, '2027-03-05T11:00:00+03:00');
    const spent = stateFrom(campaign, [award, expired]);
    expect(spent.awards.map((note) => [note.eventKey, note.points, note.expired])).toEqual([['e1', 10, 4]]);
    const entries = underReviewEntries({ campaign, state: spent, flagged: flaggedAt('2027-03-05T12:00:00+03:00') });
    expect(entries.map((entry) => entry.points)).toEqual([-6]);
  });

  it('adds the challenge bonus that would no longer qualify without the awards under review', () => {
    const challenge = campaignOf({
      rules: [{ id: 'comment', on: 'comment', points: 10 }],
      challenges: [{ id: 'week1', rule: 'comment', count: 3, window: { from: '2027-03-01T00:00:00+03:00', to: '2027-03-07T23:59:59+03:00' }, bonus: 50 }],
    });
    const played = play(challenge, ['2027-03-01T10:00:00+03:00', '2027-03-02T10:00:00+03:00', '2027-03-05T12:00:00+03:00'].map((time) => comment(time)));
    const entries = underReviewEntries({ campaign: challenge, state: played.state, flagged: flaggedAt('2027-03-05T13:00:00+03:00') });
    expect(entries.map((entry) => `${entry.refersTo?.ruleId} ${entry.points}`)).toEqual(['comment -10', 'challenge:week1 -50']);
  });

  it('cannot reach an award the state has forgotten: one more than a week older than the member\u2019s newest award', () => {
    const single = campaignOf({ rules: [{ id: 'comment', on: 'comment', points: 10 }] });
    const early = comment('2027-03-01T10:00:00+03:00');
    const late = comment('2027-03-09T12:00:00+03:00');
    const { state: after } = play(single, [early, late]);
    expect(late.occurredAt.getTime() - early.occurredAt.getTime()).toBeGreaterThan(AWARD_MEMORY_MS);
    expect(after.awards.map((award) => award.eventKey)).toEqual([late.eventKey]);
    // A rejected event that happened on 5 March (delivered late) looks back to 26 February, which covers the early award:
    // only the award the state remembers goes under review (a documented limit of the member state).
    const flagged = flaggedAt('2027-03-05T10:00:00+03:00', 'reject');
    expect(keysOf(underReviewEntries({ campaign: single, state: after, flagged }))).toEqual([`${late.eventKey} comment`]);
    // Within the week it is still remembered, and goes under review.
    const { state: withinWeek } = play(single, [early, comment('2027-03-08T09:00:00+03:00', { id: 'within' })]);
    expect(keysOf(underReviewEntries({ campaign: single, state: withinWeek, flagged }))).toEqual([`${early.eventKey} comment`, 'instagram:comment:within comment']);
  });
});

describe('settling a flag with earlier awards under review', () => {
  const campaign = campaignOf({ rules: [{ id: 'comment', on: 'comment', points: 10 }] });
  const c1 = comment('2027-03-05T10:00:00+03:00');
  const c2 = comment('2027-03-05T11:00:00+03:00');
  const flaggedEvent = comment('2027-03-05T12:00:00+03:00');
  const posted = play(campaign, [c1, c2]).facts;

  /** The flagged event scored held, with its review reversals, as one event's turn writes them. */
  function flaggedLedger(): MemberLedger {
    const ledger = new MemberLedger(campaign, posted);
    const review = underReviewEntries({ campaign, state: ledger.state, flagged: flaggedAt('2027-03-05T12:00:00+03:00', 'hold', flaggedEvent.eventKey) });
    ledger.score(flaggedEvent, 'held');
    ledger.append(review, flaggedEvent.receivedAt);
    return ledger;
  }

  it('settles the event\u2019s held award and the reversals written under it', () => {
    const { state } = flaggedLedger();
    expect(summary(settledBy(state, flaggedEvent.eventKey))).toEqual([
      'comment earn 10',
      `review:comment:${c1.eventKey} reverse -10`,
      `review:comment:${c2.eventKey} reverse -10`,
    ]);
    expect(settledBy(state, flaggedEvent.eventKey).map((note) => note.seq)).toEqual([3, 4, 5]);
    // The earlier events have no flag of their own; their reversals belong to the flagged event.
    expect(settledBy(state, c1.eventKey)).toEqual([]);
  });

  it.each<['approve' | 'reject', string[], number]>([
    ['reject', ['rejected', 'posted', 'posted'], 0],
    ['approve', ['posted', 'rejected', 'rejected'], 30],
  ])('%s', (decision, statuses, balance) => {
    const ledger = flaggedLedger();
    const settlements = settlementsOf(settledBy(ledger.state, flaggedEvent.eventKey), decision);
    expect(settlements.map(({ status }) => status)).toEqual(statuses);
    for (const { note, status } of settlements) ledger.settle(note.seq, status);
    expect(ledger.state.balance).toBe(balance);
    expect(ledger.facts.filter((entry) => entry.status === 'posted').reduce((sum, entry) => sum + entry.points, 0)).toBe(balance);
    expect(ledger.state.held).toEqual([]);
    // The state folded from the settled ledger is the one kept entry by entry.
    expect(stateFrom(campaign, ledger.facts)).toEqual(ledger.state);
  });

  it('never takes back twice: an award whose comment was deleted meanwhile keeps its reversal rejected', () => {
    const ledger = flaggedLedger();
    ledger.score(deletionOf(c1, '2027-03-05T12:30:00+03:00'));
    const settlements = settlementsOf(settledBy(ledger.state, flaggedEvent.eventKey), 'reject');
    expect(settlements.map(({ note, status }) => `${note.ruleId} ${status}`)).toEqual([
      'comment rejected',
      `review:comment:${c1.eventKey} rejected`,
      `review:comment:${c2.eventKey} posted`,
    ]);
    for (const { note, status } of settlements) ledger.settle(note.seq, status);
    expect(ledger.state).toMatchObject({ balance: 0, earned: 0, rules: { comment: { n: 0 } } });
  });
});
