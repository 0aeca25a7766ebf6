import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { campaignSchema } from '../../src/config/campaign-schema.js';
import { LEDGER_KINDS, LEDGER_STATUSES, type MemberFact } from '../../src/ledger/entry.js';
import { boardsOf, standingsOf } from '../../src/leaderboard/standings.js';

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
const factArbitrary = fc.record({
  ruleId: fc.constantFrom('comment', 'photo', 'reverse:photo', 'redeem-coffee'),
  kind: fc.constantFrom(...LEDGER_KINDS),
  status: fc.constantFrom(...LEDGER_STATUSES),
  points: fc.integer({ min: -200, max: 200 }),
  minutes: fc.integer({ min: 0, max: 60 * 24 * 60 }),
});

/** What the scorer does: after each write, recompute the touched boards from all facts so far. */
function incrementally(facts: readonly MemberFact[]): Map<string, number> {
  const index = new Map<string, number>();
  for (let count = 1; count <= facts.length; count += 1) {
    const seen = facts.slice(0, count);
    const touched = new Set(boardsOf(facts[count - 1] as MemberFact, campaign));
    const standings = standingsOf(seen, campaign, touched);
    for (const board of touched) {
      const points = standings.get(board)?.points ?? 0;
      if (points > 0) index.set(board, points);
      else index.delete(board);
    }
  }
  return index;
}

describe('leaderboard standings', () => {
  it('rebuilding every board from the ledger gives the boards the incremental index holds', () => {
    fc.assert(fc.property(fc.array(factArbitrary, { maxLength: 40 }), (drawn) => {
      const facts: MemberFact[] = drawn.map((fact, seq) => ({
        seq: seq + 1,
        eventKey: `instagram:comment:${seq}`,
        ruleId: fact.ruleId,
        kind: fact.kind,
        points: fact.points,
        status: fact.status,
        occurredAt: new Date(START + fact.minutes * 60_000),
        createdAt: new Date(START + seq * 1000),
      }));
      const allBoards = new Set(facts.flatMap((fact) => boardsOf(fact, campaign)));
      const rebuilt = new Map([...standingsOf(facts, campaign, allBoards)].filter(([, s]) => s.points > 0).map(([board, s]) => [board, s.points]));
      expect(incrementally(facts)).toEqual(rebuilt);
    }), { numRuns: 300 });
  });

  it('counts only posted earning entries: held, rejected, redeemed and expired points never rank', () => {
    const at = new Date('2027-03-05T12:00:00+03:00');
    const fact = (kind: MemberFact['kind'], status: MemberFact['status'], points: number, seq: number): MemberFact =>
      ({ seq, eventKey: `k${seq}`, ruleId: 'comment', kind, status, points, occurredAt: at, createdAt: at });
    const standings = standingsOf(
      [fact('earn', 'posted', 10, 1), fact('earn', 'held', 30, 2), fact('earn', 'rejected', 50, 3), fact('redeem', 'posted', -5, 4), fact('expire', 'posted', -5, 5)],
      campaign,
      new Set(['all', 'week:2027-W09', 'month:2027-03']),
    );
    expect([...standings].map(([board, s]) => [board, s.points])).toEqual([['all', 10], ['week:2027-W09', 10], ['month:2027-03', 10]]);
  });
});
