import { describe, expect, it } from 'vitest';
import type { MemberFact } from '../../../src/ledger/entry.js';
import { decisionTaskId } from '../../../src/review/decide-flag.js';
import { heldEvents, settledBy, settlementsOf, verdictWithoutBlock } from '../../../src/review/flags.js';
import type { FraudSignal } from '../../../src/scoring/fraud/index.js';
import { campaignWith } from '../fraud/fixtures.js';
import { campaignOf, stateFrom } from '../rules/fixtures.js';

const AT = new Date('2027-03-05T12:00:00+03:00');

function fact(seq: number, overrides: Partial<MemberFact>): MemberFact {
  return { seq, eventKey: 'instagram:comment:c1', ruleId: 'comment', kind: 'earn', points: 10, status: 'held', occurredAt: AT, createdAt: AT, ...overrides };
}

function signal(code: FraudSignal['code'], weight: number, value = 1): FraudSignal {
  return { code, weight, value, text: { en: code, ar: code } };
}

describe('the entries a decision settles', () => {
  const facts = [
    fact(1, { eventKey: 'instagram:comment:c0', status: 'posted' }),
    fact(2, {}),
    fact(3, { ruleId: 'first_comment', kind: 'bonus', points: 20 }),
    fact(4, { ruleId: 'tier:silver', kind: 'adjust', points: 0, status: 'posted' }),
    fact(5, { eventKey: 'instagram:comment:c2' }),
    fact(6, { eventKey: 'instagram:comment_deleted:c1', ruleId: 'reverse:comment', kind: 'reverse', points: -10, refersTo: { eventKey: 'instagram:comment:c1', ruleId: 'comment' } }),
    fact(7, { eventKey: 'instagram:comment:c2', ruleId: 'review:comment:instagram:comment:c0', kind: 'reverse', points: -10, refersTo: { eventKey: 'instagram:comment:c0', ruleId: 'comment' } }),
  ];
  const state = stateFrom(campaignOf(), facts);

  it('takes the event\u2019s held entries and held reversals pointing at them, nothing posted and nothing of other events', () => {
    expect(settledBy(state, 'instagram:comment:c1').map((settled) => settled.seq)).toEqual([2, 3, 6]);
    expect(settledBy(state, 'instagram:comment:c2').map((settled) => settled.seq)).toEqual([5, 7]);
    // The review reversal points at c0's award but belongs to the flagged event c2.
    expect(settledBy(state, 'instagram:comment:c0')).toEqual([]);
  });

  it('counts only the events of held earn and bonus entries as waiting for a reviewer', () => {
    expect([...heldEvents(state)].sort()).toEqual(['instagram:comment:c1', 'instagram:comment:c2']);
  });

  it.each<['approve' | 'reject', string[]]>([
    ['approve', ['5 posted', '7 rejected']],
    ['reject', ['5 rejected', '7 posted']],
  ])('settles the event\u2019s own entries with the decision and its review reversals the other way (%s)', (decision, statuses) => {
    expect(settlementsOf(settledBy(state, 'instagram:comment:c2'), decision).map(({ note, status }) => `${note.seq} ${status}`)).toEqual(statuses);
  });

  it('rejects a review reversal either way once its award was taken back', () => {
    const deleted = stateFrom(campaignOf(), [
      ...facts,
      fact(8, { eventKey: 'instagram:comment_deleted:c0', ruleId: 'reverse:comment', kind: 'reverse', points: -10, status: 'posted', refersTo: { eventKey: 'instagram:comment:c0', ruleId: 'comment' } }),
    ]);
    for (const decision of ['approve', 'reject'] as const) {
      expect(settlementsOf(settledBy(deleted, 'instagram:comment:c2'), decision).find(({ note }) => note.seq === 7)?.status).toBe('rejected');
    }
  });
});

describe('a flag reconsidered after an unblock', () => {
  const fraud = campaignWith({ hold_at: 0.4, reject_at: 0.9 }).fraud;

  it('drops the block and re-scores the recorded signals against the hold line', () => {
    expect(verdictWithoutBlock({ signals: [signal('blocked_member', 0.5), signal('generic_comment', 0.08)] }, fraud, false)).toEqual({ score: 0.08, decision: 'allow' });
    expect(verdictWithoutBlock({ signals: [signal('blocked_member', 0.5), signal('member_burst', 0.7, 0.6)] }, fraud, false)).toEqual({ score: 0.42, decision: 'hold' });
  });

  it('keeps the block when the campaign file still blocks the member', () => {
    expect(verdictWithoutBlock({ signals: [signal('blocked_member', 0.5)] }, fraud, true)).toEqual({ score: 0.5, decision: 'hold' });
  });
});

describe('decision task ids', () => {
  it('are valid job ids, one per flag and decision', () => {
    const flagId = 'cafe|instagram:comment:17900000000000201';
    const approve = decisionTaskId(flagId, 'approve');
    expect(approve).not.toContain(':');
    expect(approve).toBe(decisionTaskId(flagId, 'approve'));
    expect(decisionTaskId(flagId, 'reject')).not.toBe(approve);
    expect(decisionTaskId('cafe|instagram:comment:17900000000000202', 'approve')).not.toBe(approve);
  });
});
