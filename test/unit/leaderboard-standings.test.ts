import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { campaignSchema } from '../../src/config/campaign-schema.js';
import { boardIdsFor } from '../../src/domain/board-windows.js';
import { EARNING_KINDS, isReviewReversal, LEDGER_KINDS, LEDGER_STATUSES } from '../../src/domain/ledger.js';
import type { MemberFact } from '../../src/ledger/entry.js';
import type { BoardStanding } from '../../src/ledger/member-state.js';
import { MemberLedger, stateFrom, type FactDraft } from './rules/fixtures.js';

const campaign = campaignSchema.parse({
  id: 'standings',
  name: { ar: 'ترتيب', en: 'Standings' },
  timezone: 'Asia/Riyadh',
  starts_at: '2027-03-01T00:00:00+03:00',
  ends_at: '2027-04-30T23:59:59+03:00',
  accounts: { instagram: ['1784'] },
  rules: [{ id: 'comment', on: 'comment', points: 10 }, { id: 'photo', on: 'hashtag_post', points: 30 }],
  challenges: [{ id: 'march', rule: 'photo', count: 2, window: { from: '2027-03-01T00:00:00+03:00', to: '2027-03-31T23:59:59+03:00' }, bonus: 50 }],
  leaderboards: { windows: ['all', 'week', 'month'] },
});

const START = campaign.starts_at.getTime();

/** Entries of any kind and status, and now and then a review decision on an entry still held. */
const stepArbitrary = fc.oneof(
  { weight: 4, arbitrary: fc.record({
    write: fc.constant(true as const),
    ruleId: fc.constantFrom('comment', 'photo', 'reverse:photo', 'review:photo:instagram:hashtag_post:1', 'reward:coffee'),
    kind: fc.constantFrom(...LEDGER_KINDS),
    status: fc.constantFrom(...LEDGER_STATUSES),
    points: fc.integer({ min: -200, max: 200 }),
    minutes: fc.integer({ min: 0, max: 60 * 24 * 60 }),
  }) },
  { weight: 1, arbitrary: fc.record({ write: fc.constant(false as const), target: fc.nat(), approve: fc.boolean() }) },
);

/**
 * The boards by definition, from the ledger as it stands: per board the sum
 * of posted earning entries placed by occurredAt (and the all-time board),
 * reached when the highest-seq entry that changed it was written; and points
 * under review (held review reversals) off the boards while they wait, which
 * leaves when the board was reached as it was.
 */
function boardsByDefinition(facts: readonly MemberFact[]): Record<string, BoardStanding> {
  const boards: Record<string, BoardStanding> = {};
  for (const entry of [...facts].sort((a, b) => a.seq - b.seq)) {
    if (entry.status !== 'posted' || !EARNING_KINDS.has(entry.kind) || entry.points === 0) continue;
    for (const board of new Set(['all', ...boardIdsFor(entry, campaign)])) {
      const [points] = boards[board] ?? [0];
      boards[board] = [points + entry.points, entry.createdAt.getTime(), entry.seq];
    }
  }
  for (const entry of facts) {
    if (entry.status !== 'held' || !isReviewReversal(entry) || entry.points === 0) continue;
    for (const board of new Set(['all', ...boardIdsFor(entry, campaign)])) {
      const [points, reachedAt, reachedSeq] = boards[board] ?? [0, 0, 0];
      boards[board] = [points + entry.points, reachedAt, reachedSeq];
    }
  }
  return boards;
}

describe('leaderboard standings (the member state\u2019s boards)', () => {
  it('are the same kept entry by entry, folded from the ledger, and by definition', () => {
    fc.assert(fc.property(fc.array(stepArbitrary, { maxLength: 40 }), (steps) => {
      const ledger = new MemberLedger(campaign);
      steps.forEach((step, index) => {
        if (step.write) {
          const draft: FactDraft = {
            eventKey: `instagram:comment:${index}`, ruleId: step.ruleId, kind: step.kind, points: step.points, status: step.status,
            occurredAt: new Date(START + step.minutes * 60_000), createdAt: new Date(START + index * 1000),
          };
          ledger.append([draft], draft.createdAt);
          return;
        }
        const held = ledger.facts.filter((entry) => entry.status === 'held');
        const target = held[step.target % Math.max(1, held.length)];
        if (target) ledger.settle(target.seq, step.approve ? 'posted' : 'rejected');
      });
      const expected = boardsByDefinition(ledger.facts);
      expect(ledger.state.boards).toEqual(expected);
      expect(stateFrom(campaign, ledger.facts).boards).toEqual(expected);
    }), { numRuns: 300 });
  });

  it('count only posted earning entries: held, rejected, redeemed and expired points never rank', () => {
    const at = new Date('2027-03-05T12:00:00+03:00');
    const fact = (kind: MemberFact['kind'], status: MemberFact['status'], points: number, seq: number): MemberFact =>
      ({ seq, eventKey: `k${seq}`, ruleId: 'comment', kind, status, points, occurredAt: at, createdAt: new Date(at.getTime() + seq * 1000) });
    const { boards } = stateFrom(campaign, [
      fact('earn', 'posted', 10, 1), fact('earn', 'held', 30, 2), fact('earn', 'rejected', 50, 3), fact('redeem', 'posted', -5, 4), fact('expire', 'posted', -5, 5),
    ]);
    const reached: BoardStanding = [10, at.getTime() + 1000, 1];
    expect(boards).toEqual({ all: reached, 'week:2027-W09': reached, 'month:2027-03': reached });
  });

  it('place a challenge rule\u2019s awards in its window, and their reversals, on the challenge board as well', () => {
    const entry = (seq: number, ruleId: string, points: number, at: string, kind: MemberFact['kind'] = 'earn'): MemberFact =>
      ({ seq, eventKey: `k${seq}`, ruleId, kind, status: 'posted', points, occurredAt: new Date(at), createdAt: new Date(at) });
    const { boards } = stateFrom(campaign, [
      entry(1, 'photo', 30, '2027-03-10T12:00:00+03:00'),
      entry(2, 'comment', 10, '2027-03-10T13:00:00+03:00'),
      entry(3, 'photo', 30, '2027-04-02T12:00:00+03:00'),
      entry(4, 'reverse:photo', -30, '2027-03-10T12:00:00+03:00', 'reverse'),
    ]);
    expect(Object.fromEntries(Object.entries(boards).map(([board, [points]]) => [board, points]))).toEqual({
      all: 40,
      'week:2027-W10': 10,
      'week:2027-W13': 30,
      'month:2027-03': 10,
      'month:2027-04': 30,
      'challenge:march': 0,
    });
  });

  it('keep the time a board was reached when an older held entry is approved later', () => {
    const held: MemberFact = {
      seq: 1, eventKey: 'k1', ruleId: 'comment', kind: 'earn', status: 'held', points: 10,
      occurredAt: new Date('2027-03-05T12:00:00+03:00'), createdAt: new Date('2027-03-05T12:00:00+03:00'),
    };
    const ledger = new MemberLedger(campaign, [held]);
    ledger.append([{ ...held, eventKey: 'k2', status: 'posted' }], new Date('2027-03-06T12:00:00+03:00'));
    ledger.settle(1, 'posted');
    // Approving the first entry adds its points; the board was last changed by seq 2, so it keeps seq 2's time.
    expect(ledger.state.boards['all']).toEqual([20, Date.parse('2027-03-06T12:00:00+03:00'), 2]);
  });
});
