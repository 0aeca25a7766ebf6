import { describe, expect, it } from 'vitest';
import type { LedgerEntry } from '../../../src/ledger/entry.js';
import type { MemberProjection } from '../../../src/ledger/member-store.js';
import { projectionDifferences, projectionOf, repairedProjection } from '../../../src/ledger/projection.js';

const T0 = Date.parse('2027-03-05T09:00:00Z');

function entry(seq: number, partial: Partial<LedgerEntry> & Pick<LedgerEntry, 'kind' | 'points'>): LedgerEntry {
  return {
    campaignId: 'cafe', memberId: 'instagram:1', seq, eventKey: `instagram:comment:${seq}`, ruleId: 'comment', status: 'posted',
    reason: { code: 'EARNED', text: { en: '', ar: '' } }, explain: {}, campaignRevision: 'v1', by: 'system',
    occurredAt: new Date(T0 + seq * 60_000), createdAt: new Date(T0 + seq * 60_000 + 1_000),
    ...partial,
  };
}

const ledger: LedgerEntry[] = [
  entry(1, { kind: 'earn', points: 10 }),
  entry(2, { kind: 'earn', points: 20, status: 'held' }),
  entry(3, { kind: 'bonus', points: 5 }),
  entry(4, { kind: 'redeem', points: -12, ruleId: 'reward:coffee' }),
  entry(5, { kind: 'adjust', points: 0, ruleId: 'tier:silver' }),
];

function stored(overrides: Partial<MemberProjection> = {}): MemberProjection {
  const { facts, balance, earned, appliedSeq, reachedAt } = projectionOf(ledger);
  return {
    campaignId: 'cafe', memberId: 'instagram:1', platform: 'instagram', platformUserId: '1', username: 'noura', hideName: true,
    balance, earned, appliedSeq, reachedAt: reachedAt ?? new Date(0), firstSeenAt: new Date(T0), facts, ...overrides,
  };
}

describe('projectionOf', () => {
  it('sums posted points into the balance and posted earning points into earned; held points count for neither', () => {
    const projection = projectionOf(ledger);
    expect(projection).toMatchObject({ balance: 3, earned: 15, appliedSeq: 5, missingSeqs: [] });
    // The bonus (seq 3) was the last entry to change earned: ties on the boards go to who got there first.
    expect(projection.reachedAt).toEqual(ledger[2]?.createdAt);
    expect(projection.facts.map((fact) => fact.seq)).toEqual([1, 2, 3, 4, 5]);
  });

  it('reports seqs missing from the ledger', () => {
    expect(projectionOf([ledger[0], ledger[3]].filter((e): e is LedgerEntry => e !== undefined)).missingSeqs).toEqual([2, 3]);
  });

  it('leaves reachedAt to the projection when no entry earned anything', () => {
    expect(projectionOf([]).reachedAt).toBeNull();
    expect(projectionOf([]).appliedSeq).toBe(0);
  });
});

describe('projectionDifferences', () => {
  it('finds none when the stored projection follows the ledger', () => {
    expect(projectionDifferences(stored(), projectionOf(ledger))).toEqual([]);
  });

  it('names each field that differs, and the first fact that does', () => {
    const facts = stored().facts.map((fact) => (fact.seq === 3 ? { ...fact, points: 50 } : fact));
    expect(projectionDifferences(stored({ balance: 40, appliedSeq: 4, facts }), projectionOf(ledger))).toEqual([
      { field: 'balance', projection: 40, ledger: 3 },
      { field: 'appliedSeq', projection: 4, ledger: 5 },
      { field: 'facts', projection: '5 facts', ledger: '5 facts, first difference at seq 3' },
    ]);
  });

  it('reports a missing projection, and a ledger with holes', () => {
    const holed = projectionOf([ledger[0], ledger[2]].filter((e): e is LedgerEntry => e !== undefined));
    expect(projectionDifferences(null, holed)).toEqual([
      { field: 'ledger', projection: null, ledger: 'seq 2 missing' },
      { field: 'projection', projection: null, ledger: '2 entries' },
    ]);
    expect(projectionDifferences(null, projectionOf([]))).toEqual([]);
  });
});

describe('repairedProjection', () => {
  it('takes points from the ledger and keeps what only the projection knows', () => {
    const repaired = repairedProjection('cafe', 'instagram:1', stored({ balance: 999, facts: [] }), projectionOf(ledger));
    expect(repaired).toEqual(stored());
  });

  it('recreates a lost projection from the member id and the ledger', () => {
    const repaired = repairedProjection('cafe', 'tiktok:open-id-7', null, projectionOf(ledger));
    expect(repaired).toMatchObject({ platform: 'tiktok', platformUserId: 'open-id-7', hideName: false, balance: 3, earned: 15, appliedSeq: 5, firstSeenAt: ledger[0]?.createdAt });
    expect(repaired.username).toBeUndefined();
    expect(() => repairedProjection('cafe', 'myspace:1', null, projectionOf(ledger))).toThrow(/names no platform/);
  });
});
