import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { expireLots, expiringSoon } from '../../../src/scoring/rules/expiry.js';
import { appendEntries, campaignOf, fact, ledgerOf, MemberLedger, stateFrom, type FactDraft } from './fixtures.js';

const campaign = campaignOf({ expiry: { after_days: 30 } });

const earn = (eventKey: string, points: number, at: string, partial: Partial<FactDraft> = {}): FactDraft =>
  fact({ eventKey, ruleId: 'comment', kind: 'earn', points, ...partial }, at);
const redeem = (eventKey: string, points: number, at: string): FactDraft => fact({ eventKey, ruleId: 'reward:coffee', kind: 'redeem', points: -points }, at);
const reverse = (of: string, points: number, at: string): FactDraft =>
  fact({ eventKey: `del-${of}`, ruleId: 'reverse:comment', kind: 'reverse', points: -points, refersTo: { eventKey: of, ruleId: 'comment' } }, at);

// Lot A is spent by the redemption, lot B only partly.
const spent = [
  earn('a', 10, '2027-03-01T10:00:00+03:00'),
  earn('b', 20, '2027-03-05T10:00:00+03:00'),
  redeem('r1', 15, '2027-03-10T10:00:00+03:00'),
];
const spentState = stateFrom(campaign, spent);

describe('expireLots', () => {
  it('expires what is left of each lot, oldest lots spent first', () => {
    const entries = expireLots(spentState, campaign, new Date('2027-04-04T10:00:00+03:00'));
    expect(entries).toEqual([
      {
        eventKey: 'b',
        ruleId: 'expire:comment',
        kind: 'expire',
        points: -15,
        status: 'posted',
        occurredAt: new Date('2027-04-04T10:00:00+03:00'),
        refersTo: { eventKey: 'b', ruleId: 'comment' },
        reason: { code: 'EXPIRED', text: { en: '15 points expired (points last 30 days)', ar: 'انتهت صلاحية 15 نقطة (مدة صلاحية النقاط 30 يومًا)' } },
        explain: {
          conditions: [{ condition: 'expires_at', passed: true, expected: '2027-04-04T07:00:00.000Z', actual: '2027-04-04T07:00:00.000Z' }],
          limits: [],
        },
      },
    ]);
  });

  it.each<[string, string, number[]]>([
    ['a second before lot B is due', '2027-04-04T09:59:59+03:00', []],
    ['when lot B is due', '2027-04-04T10:00:00+03:00', [-15]],
  ])('%s', (_, now, points) => {
    expect(expireLots(spentState, campaign, new Date(now)).map((entry) => entry.points)).toEqual(points);
  });

  it('is idempotent: a lot already expired is not expired again', () => {
    const now = new Date('2027-05-01T00:00:00+03:00');
    const first = expireLots(spentState, campaign, now);
    const after = stateFrom(campaign, appendEntries(ledgerOf(spent), first, now));
    expect(expireLots(after, campaign, now)).toEqual([]);
    expect(after.balance).toBe(0);
    expect(after.lots).toEqual([]);
  });

  it.each<[string, FactDraft[], number[]]>([
    ['a reversed lot has nothing left to expire', [earn('c', 10, '2027-03-01T10:00:00+03:00'), reverse('c', 10, '2027-03-02T10:00:00+03:00')], []],
    ['a held lot does not expire (it is not in the balance)', [earn('h', 10, '2027-03-01T10:00:00+03:00', { status: 'held' })], []],
    [
      'a clawback after a redemption is a debt the next lot pays first',
      [
        earn('d', 10, '2027-03-01T10:00:00+03:00'),
        redeem('r2', 10, '2027-03-02T10:00:00+03:00'),
        reverse('d', 10, '2027-03-03T10:00:00+03:00'),
        earn('e', 30, '2027-03-04T10:00:00+03:00'),
      ],
      [-20],
    ],
  ])('%s', (_, facts, points) => {
    expect(expireLots(stateFrom(campaign, facts), campaign, new Date('2027-06-01T00:00:00+03:00')).map((entry) => entry.points)).toEqual(points);
  });

  it('writes nothing for a campaign without expiry', () => {
    expect(spentState.lots).not.toEqual([]);
    expect(expireLots(spentState, campaignOf(), new Date('2030-01-01T00:00:00Z'))).toEqual([]);
  });

  it('keeps no lots for a campaign without expiry', () => {
    const noExpiry = campaignOf();
    expect(stateFrom(noExpiry, spent)).toMatchObject({ lots: [], debt: 0, balance: 15 });
  });

  it('counts calendar days in the campaign zone, across a DST switch', () => {
    const london = campaignOf({ timezone: 'Europe/London', expiry: { after_days: 10 } });
    const { lots } = stateFrom(london, [earn('l', 10, '2027-03-20T10:00:00Z')]);
    // 10:00 GMT on 20 March → 10:00 BST on 30 March, 239 hours later.
    expect(lots.map((lot) => new Date(lot.expiresAt).toISOString())).toEqual(['2027-03-30T09:00:00.000Z']);
  });

  it('spends lots in the order they were posted: an approved award\u2019s lot joins when it is approved', () => {
    const ledger = new MemberLedger(campaign);
    const [held] = ledger.append([earn('a', 10, '2027-03-01T10:00:00+03:00', { status: 'held' })], new Date('2027-03-01T10:00:00+03:00'));
    ledger.append([earn('b', 20, '2027-03-05T10:00:00+03:00')], new Date('2027-03-05T10:00:00+03:00'));
    ledger.settle(held?.seq ?? 0, 'posted');
    ledger.append([redeem('r', 15, '2027-03-10T10:00:00+03:00')], new Date('2027-03-10T10:00:00+03:00'));
    // Lot B was posted first, so the redemption spends it first; lot A keeps its own expiry date (written on 1 March).
    expect(ledger.state.lots.map((lot) => [lot.eventKey, lot.remaining, new Date(lot.expiresAt).toISOString()])).toEqual([
      ['b', 5, '2027-04-04T07:00:00.000Z'],
      ['a', 10, '2027-03-31T07:00:00.000Z'],
    ]);
    expect(expireLots(ledger.state, campaign, new Date('2027-04-01T00:00:00+03:00')).map((entry) => [entry.eventKey, entry.points])).toEqual([['a', -10]]);
    // The ledger records where the approval happened, so the state folded from it spends the lots the same way.
    expect(stateFrom(campaign, ledger.facts).lots).toEqual(ledger.state.lots);
  });
});

describe('expiringSoon', () => {
  it('sums the points left in lots due within the window, soonest first', () => {
    const state = stateFrom(campaign, [...spent, earn('f', 40, '2027-03-25T10:00:00+03:00')]);
    expect(expiringSoon(state, campaign, new Date('2027-03-20T10:00:00+03:00'), 20)).toEqual({
      points: 15,
      lots: [{ eventKey: 'b', ruleId: 'comment', points: 15, expiresAt: new Date('2027-04-04T10:00:00+03:00') }],
    });
    // The default window is 30 days: from 30 March it reaches lot F, due on 24 April.
    expect(expiringSoon(state, campaign, new Date('2027-03-30T10:00:00+03:00')).points).toBe(55);
  });

  it('is zero for a campaign without expiry', () => {
    expect(expiringSoon(spentState, campaignOf(), new Date('2027-03-20T10:00:00+03:00'))).toEqual({ points: 0, lots: [] });
  });
});

describe('lot invariant', () => {
  const stepArb = fc.oneof(
    fc.record({ kind: fc.constant('earn' as const), points: fc.integer({ min: 1, max: 50 }), held: fc.boolean() }),
    fc.record({ kind: fc.constant('redeem' as const), points: fc.integer({ min: 1, max: 50 }) }),
    fc.record({ kind: fc.constant('reverse' as const), target: fc.nat() }),
    fc.record({ kind: fc.constant('settle' as const), target: fc.nat(), approve: fc.boolean() }),
  );

  it('points left in lots minus the debt always equal the balance, whatever is redeemed, reversed, approved or rejected', () => {
    fc.assert(
      fc.property(fc.array(stepArb, { maxLength: 40 }), (steps) => {
        const ledger = new MemberLedger(campaign);
        steps.forEach((step, index) => {
          const at = new Date(Date.UTC(2027, 2, 1) + index * 3_600_000);
          const iso = at.toISOString();
          if (step.kind === 'earn') ledger.append([earn(`e${index}`, step.points, iso, step.held ? { status: 'held' } : {})], at);
          if (step.kind === 'redeem') ledger.append([redeem(`r${index}`, step.points, iso)], at);
          if (step.kind === 'reverse') {
            const posted = ledger.facts.filter((entry) => entry.kind === 'earn' && entry.status === 'posted');
            const target = posted[step.target % Math.max(1, posted.length)];
            if (target) ledger.append([reverse(target.eventKey, target.points, iso)], at);
          }
          if (step.kind === 'settle') {
            const held = ledger.facts.filter((entry) => entry.status === 'held');
            const target = held[step.target % Math.max(1, held.length)];
            if (target) ledger.settle(target.seq, step.approve ? 'posted' : 'rejected');
          }
          const { lots, debt, balance } = ledger.state;
          expect(lots.reduce((sum, lot) => sum + lot.remaining, 0) - debt).toBe(balance);
          expect(lots.every((lot) => lot.remaining > 0 && lot.remaining <= lot.points)).toBe(true);
          expect(debt).toBeGreaterThanOrEqual(0);
        });
        const posted = ledger.facts.filter((entry) => entry.status === 'posted').reduce((sum, entry) => sum + entry.points, 0);
        expect(ledger.state.balance).toBe(posted);
      }),
      { numRuns: 200 },
    );
  });
});
