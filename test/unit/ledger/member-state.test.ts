import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dayNumber } from '../../../src/domain/calendar.js';
import type { EngagementEvent } from '../../../src/domain/event.js';
import { EARNING_KINDS } from '../../../src/domain/ledger.js';
import type { MemberFact } from '../../../src/ledger/entry.js';
import { AWARD_MEMORY_MS, emptyState, heldPoints, pointsUnderReview, settleEntry, stateOf, type MemberState } from '../../../src/ledger/member-state.js';
import { stateDifferences } from '../../../src/ledger/state-differences.js';
import { stateSpecOf } from '../../../src/ledger/state-spec.js';
import { settledBy, settlementsOf } from '../../../src/review/flags.js';
import { reviewLookbackOf, underReviewEntries } from '../../../src/review/retro-review.js';
import { expireLots } from '../../../src/scoring/rules/expiry.js';
import { campaignOf, comment, deletionOf, fact, ledgerOf, MemberLedger, play, stateFrom, type FactDraft } from '../rules/fixtures.js';

const T0 = Date.parse('2027-03-05T09:00:00Z');
const plain = campaignOf();
const spec = stateSpecOf(plain);

/** Hand-written entries a minute apart, each written a second after it happened. */
function entry(partial: Partial<FactDraft> & Pick<FactDraft, 'kind' | 'points'>, minute: number): FactDraft {
  return {
    eventKey: `instagram:comment:${minute}`, ruleId: 'comment', status: 'posted',
    occurredAt: new Date(T0 + minute * 60_000), createdAt: new Date(T0 + minute * 60_000 + 1_000),
    ...partial,
  };
}

const ledger = ledgerOf([
  entry({ kind: 'earn', points: 10 }, 1),
  entry({ kind: 'earn', points: 20, status: 'held' }, 2),
  entry({ kind: 'bonus', points: 5, ruleId: 'first_comment' }, 3),
  entry({ kind: 'redeem', points: -12, ruleId: 'reward:coffee' }, 4),
  entry({ kind: 'adjust', points: 0, ruleId: 'tier:silver' }, 5),
]);

describe('stateOf: a member\u2019s ledger folded into their state', () => {
  it('sums posted points into the balance and posted earning points into earned; held points count for neither', () => {
    const state = stateOf(ledger, spec);
    expect(state).toMatchObject({ seq: 5, balance: 3, earned: 15, tierId: 'silver', debt: 0, deletions: [] });
    expect(heldPoints(state)).toBe(20);
    expect(state.held.map((note) => [note.seq, note.points])).toEqual([[2, 20]]);
    // The held award keeps its slot: it may be approved.
    // All five happened on 5 March, Riyadh time.
    const day = String(dayNumber('2027-03-05'));
    expect(state.rules).toEqual({ comment: { n: 2, days: { [day]: 2 } }, first_comment: { n: 1, days: { [day]: 1 } } });
  });

  it('places the boards: the bonus (seq 3) was the last entry to change them, so ties go to who got there first', () => {
    const { boards } = stateOf(ledger, spec);
    expect(boards['all']).toEqual([15, ledger[2]?.createdAt.getTime(), 3]);
  });

  it('is the empty state for an empty ledger', () => {
    expect(stateOf([], spec)).toEqual(emptyState(spec));
    expect(emptyState(spec)).toMatchObject({ spec: spec.fingerprint, seq: 0, balance: 0, earned: 0, tierId: null });
  });

  it('records a deletion that came before its comment was scored', () => {
    const c1 = comment('2027-03-05T10:00:00+03:00');
    const deletion = deletionOf(c1, '2027-03-05T10:05:00+03:00');
    const { state } = play(plain, [deletion]);
    expect(state.deletions).toEqual([deletion.eventKey]);
  });

  it('forgets posted awards more than a week older than the newest, but keeps held awards and campaign bonuses', () => {
    const campaign = campaignOf({ rules: [{ id: 'comment', on: 'comment', points: 10 }], streaks: { rule: 'comment', days: 2, bonus: 25 } });
    const early = [comment('2027-03-01T10:00:00+03:00'), comment('2027-03-02T10:00:00+03:00')];
    const heldEarly = comment('2027-03-02T12:00:00+03:00');
    const late = comment('2027-03-12T10:00:00+03:00');
    const ledgerOfMember = new MemberLedger(campaign);
    for (const event of early) ledgerOfMember.score(event);
    ledgerOfMember.score(heldEarly, 'held');
    ledgerOfMember.score(late);
    const { state } = ledgerOfMember;
    expect(late.occurredAt.getTime() - (early[1]?.occurredAt.getTime() ?? 0)).toBeGreaterThan(AWARD_MEMORY_MS);
    expect(state.awards.map((award) => `${award.eventKey} ${award.ruleId} ${award.status}`)).toEqual([
      `${early[1]?.eventKey} streak:comment posted`,
      `${heldEarly.eventKey} comment held`,
      `${late.eventKey} comment posted`,
    ]);
    // Forgotten is not uncounted: the tallies still hold every standing award.
    expect(state.rules['comment']?.n).toBe(4);
    expect(stateFrom(campaign, ledgerOfMember.facts)).toEqual(state);
  });

  it('still holds every award a rejection puts under review: the longest look-back fits in what the state remembers', () => {
    const rejectedAt = Date.parse('2027-03-12T10:00:00+03:00');
    const atEdge = comment(new Date(rejectedAt - reviewLookbackOf('reject')).toISOString());
    const member = new MemberLedger(plain, play(plain, [atEdge]).facts);
    // A newer award, just before the rejected event, moves the memory's horizon as far as it can go.
    member.score(comment(new Date(rejectedAt - 1_000).toISOString()));
    const flagged = { eventKey: 'instagram:comment:rejected', occurredAt: new Date(rejectedAt), decision: 'reject' as const };
    const underReview = underReviewEntries({ campaign: plain, state: member.state, flagged });
    expect(underReview.map((decision) => decision.refersTo?.eventKey)).toEqual([atEdge.eventKey, expect.any(String)]);
  });
});

describe('settleEntry: a review decision on a held entry', () => {
  const c1 = comment('2027-03-05T10:00:00+03:00');
  const expiring = campaignOf({ expiry: { after_days: 30 } });

  it('approving a held award moves the balance, points earned, boards and lots; the award already stood', () => {
    const member = new MemberLedger(expiring);
    member.score(c1, 'held');
    expect(member.state).toMatchObject({ balance: 0, earned: 0, boards: {}, lots: [], rules: { comment: { n: 1 } } });
    member.settle(1, 'posted');
    expect(member.state).toMatchObject({ balance: 10, earned: 10, rules: { comment: { n: 1 } }, held: [] });
    expect(member.state.boards['all']?.[0]).toBe(10);
    expect(member.state.lots.map((lot) => [lot.eventKey, lot.remaining])).toEqual([[c1.eventKey, 10]]);
    expect(member.state.awards).toMatchObject([{ eventKey: c1.eventKey, status: 'posted', wasHeld: true }]);
  });

  it('rejecting a held award stops it standing and moves nothing', () => {
    const member = new MemberLedger(expiring);
    member.score(c1, 'held');
    member.settle(1, 'rejected');
    expect(member.state).toMatchObject({ balance: 0, earned: 0, boards: {}, lots: [], awards: [], held: [], rules: { comment: { n: 0, days: {} } } });
  });

  it('rejecting a held award its held reversal already undid does not undo it twice', () => {
    const member = new MemberLedger(expiring);
    member.score(c1, 'held');
    member.score(deletionOf(c1, '2027-03-05T11:00:00+03:00'));
    for (const { note, status } of settlementsOf(settledBy(member.state, c1.eventKey), 'reject')) member.settle(note.seq, status);
    expect(member.state).toMatchObject({ balance: 0, earned: 0, held: [], rules: { comment: { n: 0, days: {} } } });
  });

  it('approving a held award and its held reversal together nets to zero', () => {
    const member = new MemberLedger(expiring);
    member.score(c1, 'held');
    member.score(deletionOf(c1, '2027-03-05T11:00:00+03:00'));
    for (const { note, status } of settlementsOf(settledBy(member.state, c1.eventKey), 'approve')) member.settle(note.seq, status);
    expect(member.state).toMatchObject({ balance: 0, earned: 0, held: [], lots: [], rules: { comment: { n: 0, days: {} } } });
  });

  it('a review reversal posted takes its award back; rejected, it lets the award be', () => {
    const flagged = { eventKey: 'instagram:comment:flagged', occurredAt: new Date('2027-03-05T12:00:00+03:00'), decision: 'hold' as const };
    for (const [status, balance, standing] of [['posted', 0, 0], ['rejected', 10, 1]] as const) {
      const member = new MemberLedger(expiring, play(expiring, [c1]).facts);
      member.append(underReviewEntries({ campaign: expiring, state: member.state, flagged }), flagged.occurredAt);
      expect(pointsUnderReview(member.state)).toBe(10);
      member.settle(2, status);
      expect(member.state).toMatchObject({ balance, earned: balance, rules: { comment: { n: standing } } });
      expect(pointsUnderReview(member.state)).toBe(0);
      expect(member.state.lots.reduce((sum, lot) => sum + lot.remaining, 0)).toBe(balance);
    }
  });

  it('a review reversal whose award was taken back meanwhile does not take it back again', () => {
    const flagged = { eventKey: 'instagram:comment:flagged', occurredAt: new Date('2027-03-05T12:00:00+03:00'), decision: 'hold' as const };
    const member = new MemberLedger(plain, play(plain, [c1]).facts);
    member.append(underReviewEntries({ campaign: plain, state: member.state, flagged }), flagged.occurredAt);
    member.score(deletionOf(c1, '2027-03-05T12:30:00+03:00'));
    expect(member.state.held).toMatchObject([{ seq: 2, counts: false }]);
    const state = structuredClone(member.state);
    settleEntry(state, 2, 'posted', spec);
    expect(state.rules['comment']).toEqual({ n: 0, days: {} });
  });

  it('ignores a seq that is not held', () => {
    const state = stateOf(ledger, spec);
    const before = structuredClone(state);
    settleEntry(state, 1, 'rejected', spec);
    settleEntry(state, 99, 'posted', spec);
    expect(state).toEqual(before);
  });

  it('is applied by the fold where it happened in the ledger (settledAtSeq), not at the end', () => {
    const campaign = campaignOf({ expiry: { after_days: 30 } });
    const drafts = [
      fact({ eventKey: 'a', ruleId: 'comment', kind: 'earn', points: 10, status: 'held' }, '2027-03-01T10:00:00+03:00'),
      fact({ eventKey: 'b', ruleId: 'comment', kind: 'earn', points: 20 }, '2027-03-02T10:00:00+03:00'),
      fact({ eventKey: 'r', ruleId: 'reward:coffee', kind: 'redeem', points: -15 }, '2027-03-03T10:00:00+03:00'),
    ];
    const approvedAt = (seq: number): MemberFact[] => ledgerOf(drafts).map((known) => (known.seq === 1 ? { ...known, status: 'posted', settledAtSeq: seq } : known));
    // Approved before B was posted, lot A is the oldest and the redemption spends it first.
    expect(stateFrom(campaign, approvedAt(1)).lots.map((lot) => [lot.eventKey, lot.remaining])).toEqual([['b', 15]]);
    // Approved after the redemption, lot A joins last and keeps its points.
    expect(stateFrom(campaign, approvedAt(3)).lots.map((lot) => [lot.eventKey, lot.remaining])).toEqual([['b', 5], ['a', 10]]);
    // Each is the state kept entry by entry by a member whose review was decided at that moment.
    for (const seq of [1, 3]) {
      const member = new MemberLedger(campaign);
      drafts.forEach((draft, index) => {
        member.append([draft], draft.createdAt);
        if (index + 1 === seq) member.settle(1, 'posted');
      });
      expect(member.facts).toEqual(approvedAt(seq));
      expect(member.state).toEqual(stateFrom(campaign, approvedAt(seq)));
    }
  });

  it('gives the fold the state kept entry by entry when two flags are decided one after the other, the newer first', () => {
    const campaign = campaignOf({ expiry: { after_days: 30 } });
    const member = new MemberLedger(campaign);
    const older = comment('2027-03-02T10:00:00+03:00');
    const newer = comment('2027-03-03T10:00:00+03:00');
    member.score(older, 'held');
    member.score(newer, 'held');
    for (const event of [newer, older]) {
      for (const { note, status } of settlementsOf(settledBy(member.state, event.eventKey), 'approve')) member.settle(note.seq, status);
    }
    expect(member.facts.map((known) => [known.seq, known.status, known.settledAtSeq])).toEqual([[1, 'posted', 2], [2, 'posted', 2]]);
    // What `nuqta verify` compares: the stored state against the one rebuilt from the ledger.
    expect(stateDifferences(member.state, stateFrom(campaign, member.facts))).toEqual([]);
    expect(stateFrom(campaign, member.facts)).toEqual(member.state);
  });
});

describe('the state kept entry by entry and the state folded from the ledger', () => {
  const campaign = campaignOf({
    rules: [
      { id: 'comment', on: 'comment', points: 10, limits: { per_day: 2, cooldown: '30m' } },
      { id: 'first_comment', on: 'comment', points: 20, first_time: true },
    ],
    tiers: [
      { id: 'bronze', min_earned: 0, multiplier: 1 },
      { id: 'silver', min_earned: 60, multiplier: 1.5 },
    ],
    challenges: [{ id: 'four', rule: 'comment', count: 4, window: { from: '2027-03-01T00:00:00+03:00', to: '2027-03-14T23:59:59+03:00' }, bonus: 30 }],
    streaks: { rule: 'comment', days: 3, bonus: 25 },
    expiry: { after_days: 5 },
  });
  const START = campaign.starts_at.getTime();
  const HOUR = 3_600_000;

  type Verdict = 'allow' | 'hold' | 'reject';
  const STATUS_OF = { allow: 'posted', hold: 'held', reject: 'rejected' } as const;
  const stepArb = fc.oneof(
    { weight: 6, arbitrary: fc.record({ op: fc.constant('comment' as const), hour: fc.integer({ min: 0, max: 24 * 24 }), verdict: fc.constantFrom<Verdict>('allow', 'allow', 'hold', 'hold', 'reject') }) },
    { weight: 1, arbitrary: fc.record({ op: fc.constant('redeliver' as const), target: fc.nat() }) },
    { weight: 2, arbitrary: fc.record({ op: fc.constant('delete' as const), target: fc.nat() }) },
    { weight: 1, arbitrary: fc.record({ op: fc.constant('redeem' as const), points: fc.integer({ min: 1, max: 40 }) }) },
    { weight: 1, arbitrary: fc.record({ op: fc.constant('expire' as const) }) },
    // A reviewer deciding one flag, or several in one go (the bulk decision), in any order.
    { weight: 3, arbitrary: fc.record({ op: fc.constant('decide' as const), decisions: fc.array(fc.record({ target: fc.nat(), approve: fc.boolean() }), { minLength: 1, maxLength: 3 }) }) },
  );

  type Step = typeof stepArb extends fc.Arbitrary<infer T> ? T : never;
  // Always tried first: two held comments approved in one go, the newer first (see the settleEntry tests above).
  const newestFirst: Step[] = [
    { op: 'comment', hour: 0, verdict: 'hold' },
    { op: 'comment', hour: 1, verdict: 'hold' },
    { op: 'decide', decisions: [{ target: 1, approve: true }, { target: 0, approve: true }] },
  ];

  it('are the same after any mix of scoring, holds and rejections, deletions, redemptions, expiry and review decisions', () => {
    fc.assert(
      fc.property(fc.array(stepArb, { minLength: 1, maxLength: 40 }), (steps) => {
        const member = new MemberLedger(campaign);
        const comments: EngagementEvent[] = [];
        const flags: string[] = [];
        steps.forEach((step, index) => {
          // The clock of redemptions and expiry runs: half a day per step.
          const now = new Date(START + index * 12 * HOUR);
          if (step.op === 'comment' || step.op === 'redeliver') {
            const event = step.op === 'comment' ? comment(new Date(START + step.hour * HOUR).toISOString(), { id: `c${index}` }) : comments[step.target % Math.max(1, comments.length)];
            if (!event) return;
            if (step.op === 'comment') comments.push(event);
            const verdict: Verdict = step.op === 'comment' ? step.verdict : 'allow';
            if (member.hasDecided(event.eventKey)) return;
            // As one event's turn: the awards put under review are read from the state before the event's entries.
            const review = verdict === 'allow' ? [] : underReviewEntries({ campaign, state: member.state, flagged: { eventKey: event.eventKey, occurredAt: event.occurredAt, decision: verdict } });
            const before = member.facts.length;
            member.score(event, STATUS_OF[verdict]);
            member.append(review, event.receivedAt);
            if (member.facts.slice(before).some((written) => written.status === 'held')) flags.push(event.eventKey);
          }
          if (step.op === 'delete') {
            const original = comments[step.target % Math.max(1, comments.length)];
            if (original) member.score(deletionOf(original, new Date(original.occurredAt.getTime() + HOUR).toISOString()));
          }
          if (step.op === 'redeem' && member.state.balance - pointsUnderReview(member.state) >= step.points) {
            member.append([{ eventKey: `redeem-${index}`, ruleId: 'reward:coffee', kind: 'redeem', points: -step.points, status: 'posted', occurredAt: now }], now);
          }
          if (step.op === 'expire') member.append(expireLots(member.state, campaign, now), now);
          if (step.op === 'decide') {
            for (const { target, approve } of step.decisions) {
              const [flag] = flags.splice(target % Math.max(1, flags.length), 1);
              if (flag) for (const { note, status } of settlementsOf(settledBy(member.state, flag), approve ? 'approve' : 'reject')) member.settle(note.seq, status);
            }
          }
          expectConsistent(member);
        });
      }),
      { numRuns: 300, examples: [[newestFirst]] },
    );
  });

  function expectConsistent(member: MemberLedger): void {
    const { facts, state } = member;
    expect(stateFrom(campaign, facts)).toEqual(state);
    const posted = facts.filter((known) => known.status === 'posted');
    expect(state.balance).toBe(posted.reduce((sum, known) => sum + known.points, 0));
    expect(state.earned).toBe(posted.filter((known) => EARNING_KINDS.has(known.kind)).reduce((sum, known) => sum + known.points, 0));
    expect(state.held.map((note) => note.seq)).toEqual(facts.filter((known) => known.status === 'held').map((known) => known.seq));
    expect(state.lots.reduce((sum, lot) => sum + lot.remaining, 0) - state.debt).toBe(state.balance);
    expect(stateDifferences(state, stateFrom(campaign, facts))).toEqual([]);
  }
});

describe('stateDifferences', () => {
  const state = stateOf(ledger, spec);

  it('finds none when the stored state follows the ledger, whatever order its keys were written in', () => {
    const reordered: MemberState = { ...structuredClone(state), rules: Object.fromEntries(Object.entries(state.rules).reverse()) };
    expect(Object.keys(reordered.rules)).not.toEqual(Object.keys(state.rules));
    expect(stateDifferences(reordered, state)).toEqual([]);
  });

  it('names each part that differs, with both sides', () => {
    const stored: MemberState = { ...structuredClone(state), seq: 4, balance: 40, rules: { ...state.rules, comment: { n: 1, days: {} } } };
    expect(stateDifferences(stored, state)).toEqual([
      { field: 'seq', stored: 4, ledger: 5 },
      { field: 'balance', stored: 40, ledger: 3 },
      { field: 'tallies', stored: JSON.stringify(stored.rules), ledger: JSON.stringify(state.rules) },
    ]);
  });

  it('shortens a long part to 120 characters', () => {
    const stored: MemberState = { ...structuredClone(state), awards: [] };
    const [difference] = stateDifferences(stored, state);
    expect(difference?.field).toBe('awards');
    expect(difference?.stored).toBe('[]');
    expect(String(difference?.ledger)).toHaveLength(120);
    expect(String(difference?.ledger).endsWith('...')).toBe(true);
  });

  it('reports a missing record, and a ledger with holes', () => {
    const holed = stateOf([ledger[0], ledger[2]].filter((known): known is MemberFact => known !== undefined), spec);
    expect(stateDifferences(null, holed, [2])).toEqual([
      { field: 'ledger', stored: null, ledger: 'seq 2 missing' },
      { field: 'record', stored: null, ledger: '3 entries' },
    ]);
    expect(stateDifferences(null, emptyState(spec))).toEqual([]);
  });
});
