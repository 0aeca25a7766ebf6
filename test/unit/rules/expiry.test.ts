import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { expireLots, expiringSoon, lotBook } from '../../../src/scoring/rules/expiry.js';
import { balanceOf } from '../../../src/scoring/rules/facts.js';
import type { LedgerFact } from '../../../src/scoring/rules/types.js';
import { appendEntries, campaignOf, fact } from './fixtures.js';

const campaign = campaignOf({ expiry: { after_days: 30 } });

const earn = (eventKey: string, points: number, at: string, partial: Partial<LedgerFact> = {}): LedgerFact =>
  fact({ eventKey, ruleId: 'comment', kind: 'earn', points, ...partial }, at);
const redeem = (eventKey: string, points: number, at: string): LedgerFact => fact({ eventKey, ruleId: 'reward:coffee', kind: 'redeem', points: -points }, at);
const reverse = (of: string, points: number, at: string): LedgerFact =>
  fact({ eventKey: `del-${of}`, ruleId: 'reverse:comment', kind: 'reverse', points: -points, refersTo: { eventKey: of, ruleId: 'comment' } }, at);

// Lot A is spent by the redemption, lot B only partly.
const spent = [
  earn('a', 10, '2027-03-01T10:00:00+03:00'),
  earn('b', 20, '2027-03-05T10:00:00+03:00'),
  redeem('r1', 15, '2027-03-10T10:00:00+03:00'),
];

describe('expireLots', () => {
  it('expires what is left of each lot, oldest lots spent first', () => {
    const entries = expireLots(spent, campaign, new Date('2027-04-04T10:00:00+03:00'));
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
    expect(expireLots(spent, campaign, new Date(now)).map((entry) => entry.points)).toEqual(points);
  });

  it('is idempotent: a lot already expired is not expired again', () => {
    const now = new Date('2027-05-01T00:00:00+03:00');
    const first = expireLots(spent, campaign, now);
    const after = appendEntries(spent, first, now);
    expect(expireLots(after, campaign, now)).toEqual([]);
    expect(balanceOf(after)).toBe(0);
  });

  it.each<[string, LedgerFact[], number[]]>([
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
    expect(expireLots(facts, campaign, new Date('2027-06-01T00:00:00+03:00')).map((entry) => entry.points)).toEqual(points);
  });

  it('writes nothing for a campaign without expiry', () => {
    expect(expireLots(spent, campaignOf(), new Date('2030-01-01T00:00:00Z'))).toEqual([]);
  });

  it('counts calendar days in the campaign zone, across a DST switch', () => {
    const london = campaignOf({ timezone: 'Europe/London', expiry: { after_days: 10 } });
    const { lots } = lotBook([earn('l', 10, '2027-03-20T10:00:00Z')], 10, london.timezone);
    // 10:00 GMT on 20 March → 10:00 BST on 30 March, 239 hours later.
    expect(lots[0]?.expiresAt.toISOString()).toBe('2027-03-30T09:00:00.000Z');
  });
});

describe('expiringSoon', () => {
  it('sums the points left in lots due within the window, soonest first', () => {
    const facts = [...spent, earn('f', 40, '2027-03-25T10:00:00+03:00')];
    expect(expiringSoon(facts, campaign, new Date('2027-03-20T10:00:00+03:00'), 20)).toEqual({
      points: 15,
      lots: [{ eventKey: 'b', ruleId: 'comment', points: 15, expiresAt: new Date('2027-04-04T10:00:00+03:00') }],
    });
    // The default window is 30 days: from 30 March it reaches lot F, due on 24 April.
    expect(expiringSoon(facts, campaign, new Date('2027-03-30T10:00:00+03:00')).points).toBe(55);
  });

  it('is zero for a campaign without expiry', () => {
    expect(expiringSoon(spent, campaignOf(), new Date('2027-03-20T10:00:00+03:00'))).toEqual({ points: 0, lots: [] });
  });
});

describe('lot book invariant', () => {
  const factArb = fc.oneof(
    fc.record({ kind: fc.constant('earn' as const), points: fc.integer({ min: 1, max: 50 }) }),
    fc.record({ kind: fc.constant('redeem' as const), points: fc.integer({ min: 1, max: 50 }) }),
    fc.record({ kind: fc.constant('reverse' as const), target: fc.nat(), points: fc.integer({ min: 1, max: 50 }) }),
  );

  it('points left in lots minus the debt always equal the balance', () => {
    fc.assert(
      fc.property(fc.array(factArb, { maxLength: 40 }), (steps) => {
        const facts: LedgerFact[] = [];
        steps.forEach((step, index) => {
          const at = new Date(Date.UTC(2027, 2, 1) + index * 3_600_000).toISOString();
          if (step.kind === 'earn') facts.push(earn(`e${index}`, step.points, at));
          if (step.kind === 'redeem') facts.push(redeem(`r${index}`, step.points, at));
          if (step.kind === 'reverse') {
            const earns = facts.filter((f) => f.kind === 'earn');
            const target = earns[step.target % Math.max(1, earns.length)];
            if (target) facts.push(reverse(target.eventKey, target.points, at));
          }
        });
        const { lots, debt } = lotBook(facts, 30, 'Asia/Riyadh');
        expect(lots.reduce((sum, lot) => sum + lot.remaining, 0) - debt).toBe(balanceOf(facts));
        expect(lots.every((lot) => lot.remaining >= 0 && lot.remaining <= lot.points)).toBe(true);
      }),
    );
  });
});
