import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Campaign } from '../../../src/config/campaign-schema.js';
import type { EngagementEvent } from '../../../src/domain/event.js';
import { isoWeekId, localDayId } from '../../../src/domain/calendar.js';
import { isAward, refKey, type LedgerStatus } from '../../../src/domain/ledger.js';
import type { MemberFact } from '../../../src/ledger/entry.js';
import { dayOf, type MemberState } from '../../../src/ledger/member-state.js';
import { stateSpecOf } from '../../../src/ledger/state-spec.js';
import { campaignOf, comment, deletionOf, MemberLedger } from './fixtures.js';

// A short campaign (2–15 March, Riyadh) so random events crowd the same days and weeks.
const START = Date.parse('2027-03-02T00:00:00+03:00');
const END = Date.parse('2027-03-15T23:59:59+03:00');
const windowOverrides = { starts_at: '2027-03-02T00:00:00+03:00', ends_at: '2027-03-15T23:59:59+03:00' };

const busyCampaign = campaignOf({
  ...windowOverrides,
  rules: [
    { id: 'comment', on: 'comment', points: 10, when: { min_text_length: 2 }, limits: { per_day: 2, per_week: 5, per_campaign: 8, cooldown: '30m' } },
    { id: 'first_comment', on: 'comment', points: 20, first_time: true },
  ],
  tiers: [
    { id: 'bronze', min_earned: 0, multiplier: 1 },
    { id: 'silver', min_earned: 50, multiplier: 1.25 },
  ],
  challenges: [{ id: 'five', rule: 'comment', count: 5, window: { from: '2027-03-02T00:00:00+03:00', to: '2027-03-09T00:00:00+03:00' }, bonus: 30 }],
  streaks: { rule: 'comment', days: 3, bonus: 25 },
});

interface PoolEvent {
  event: EngagementEvent;
  status: LedgerStatus;
}

/** Comments a member made (a few outside the campaign, some too short), each with the fraud verdict it gets. */
const poolArb = fc
  .array(
    fc.record({
      at: fc.integer({ min: START - 86_400_000, max: END + 86_400_000 }),
      text: fc.constantFrom('ok!', 'x', 'nice coffee'),
      status: fc.constantFrom<LedgerStatus>('posted', 'posted', 'posted', 'held', 'rejected'),
    }),
    { minLength: 1, maxLength: 25 },
  )
  .map((drafts) =>
    drafts.map((draft, index): PoolEvent => ({
      event: comment(new Date(draft.at).toISOString(), { id: `c${index}`, text: draft.text }),
      status: draft.status,
    })),
  );

/** Deliveries: indexes into the pool, repeated and in any order; a negative index delivers the deletion of that comment. */
const deliveriesArb = (size: number) => fc.array(fc.integer({ min: -size, max: size - 1 }), { minLength: 1, maxLength: 60 });

interface Delivered {
  facts: MemberFact[];
  state: MemberState;
}

/** Scores the deliveries in order, as the member's partition does: a delivery of an event already decided writes nothing. */
function deliver(campaign: Campaign, pool: readonly PoolEvent[], deliveries: readonly number[]): Delivered {
  const ledger = new MemberLedger(campaign);
  for (const index of deliveries) {
    const target = pool[index < 0 ? -index - 1 : index];
    if (!target) continue;
    const event = index < 0 ? deletionOf(target.event, new Date(target.event.occurredAt.getTime() + 3_600_000).toISOString()) : target.event;
    const result = ledger.score(event, target.status);
    // The balance the engine reports is the one the ledger holds once its entries are written.
    if (result) expect(result.balance.after).toBe(ledger.state.balance);
  }
  return { facts: ledger.facts, state: ledger.state };
}

/**
 * The ledger's standing awards, read from the entries alone: an award stands
 * unless rejected or reversed, where a posted reversal undoes its award and a
 * held reversal of a held award does too.
 */
function standingAwards(facts: readonly MemberFact[], ruleId: string): MemberFact[] {
  const held = new Set(facts.filter((entry) => isAward(entry) && entry.status === 'held').map(refKey));
  const reversed = new Set(
    facts.flatMap((entry) =>
      entry.kind === 'reverse' && entry.refersTo && (entry.status === 'posted' || (entry.status === 'held' && held.has(refKey(entry.refersTo)))) ? [refKey(entry.refersTo)] : [],
    ),
  );
  return facts.filter((entry) => isAward(entry) && entry.ruleId === ruleId && entry.status !== 'rejected' && !reversed.has(refKey(entry)));
}

function countBy<T>(items: readonly T[], key: (item: T) => string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(key(item), (counts.get(key(item)) ?? 0) + 1);
  return counts;
}

function expectWithinCaps(campaign: Campaign, { facts, state }: Delivered): void {
  const zone = campaign.timezone;
  for (const rule of campaign.rules) {
    const awards = standingAwards(facts, rule.id);
    expectTallied(campaign, state, rule.id, awards);
    const { per_day, per_week, per_campaign, cooldown } = rule.limits;
    if (per_campaign !== undefined) expect(awards.length).toBeLessThanOrEqual(per_campaign);
    if (per_week !== undefined) for (const count of countBy(awards, (a) => isoWeekId(a.occurredAt, zone)).values()) expect(count).toBeLessThanOrEqual(per_week);
    if (per_day !== undefined) for (const count of countBy(awards, (a) => localDayId(a.occurredAt, zone)).values()) expect(count).toBeLessThanOrEqual(per_day);
    if (cooldown !== undefined) {
      const times = awards.map((a) => a.occurredAt.getTime()).sort((a, b) => a - b);
      times.slice(1).forEach((time, index) => expect(time - (times[index] ?? 0)).toBeGreaterThanOrEqual(cooldown));
    }
    if (rule.first_time) expect(awards.length).toBeLessThanOrEqual(1);
    for (const award of awards) expect(award.occurredAt >= campaign.starts_at && award.occurredAt <= campaign.ends_at).toBe(true);
  }
  for (const bonus of ['challenge:five', 'streak:comment']) {
    const awards = standingAwards(facts, bonus);
    expect(awards.length).toBeLessThanOrEqual(1);
    expectTallied(campaign, state, bonus, awards);
  }
}

/** The member state's tally of a rule counts exactly the awards the ledger leaves standing, day by day. */
function expectTallied(campaign: Campaign, state: MemberState, ruleId: string, awards: readonly MemberFact[]): void {
  const spec = stateSpecOf(campaign);
  const tally = state.rules[ruleId];
  expect(tally?.n ?? 0).toBe(awards.length);
  expect(tally?.days ?? {}).toEqual(Object.fromEntries(countBy(awards, (award) => String(dayOf(spec, award.occurredAt.getTime())))));
}

describe('properties of scoring', () => {
  it('any interleaving, redelivery (skipped once decided) and deletion of the same events never exceeds a cap, and the state tallies what stands', () => {
    fc.assert(
      fc.property(
        poolArb.chain((pool) => fc.tuple(fc.constant(pool), deliveriesArb(pool.length))),
        ([pool, deliveries]) => {
          expectWithinCaps(busyCampaign, deliver(busyCampaign, pool, deliveries));
        },
      ),
      { numRuns: 150 },
    );
  });

  it('the balance is the sum of posted entries, whatever was held, rejected or reversed', () => {
    fc.assert(
      fc.property(
        poolArb.chain((pool) => fc.tuple(fc.constant(pool), deliveriesArb(pool.length))),
        ([pool, deliveries]) => {
          const { facts, state } = deliver(busyCampaign, pool, deliveries);
          const posted = facts.filter((f) => f.status === 'posted').reduce((sum, f) => sum + f.points, 0);
          expect(state.balance).toBe(posted);
        },
      ),
      { numRuns: 100 },
    );
  });

  // Without a cooldown, tiers or bonuses the number of awards does not depend on the order:
  // each week keeps min(per_week, Σ days min(per_day, comments that day)), the campaign min(per_campaign, Σ weeks).
  const cappedCampaign = campaignOf({
    ...windowOverrides,
    rules: [{ id: 'comment', on: 'comment', points: 10, limits: { per_day: 2, per_week: 5, per_campaign: 8 } }],
  });

  it('scoring the same events in any order never exceeds a cap and gives the same total', () => {
    fc.assert(
      fc.property(
        poolArb.chain((pool) => fc.tuple(fc.constant(pool.map(({ event }) => ({ event, status: 'posted' as const }))), fc.shuffledSubarray(pool.map((_, i) => i), { minLength: pool.length }))),
        ([pool, order]) => {
          const delivered = deliver(cappedCampaign, pool, order);
          expectWithinCaps(cappedCampaign, delivered);

          const zone = cappedCampaign.timezone;
          const inWindow = pool.map(({ event }) => event.occurredAt).filter((at) => at >= cappedCampaign.starts_at && at <= cappedCampaign.ends_at);
          const perDay = countBy(inWindow, (at) => localDayId(at, zone));
          const perWeek = new Map<string, number>();
          for (const [day, count] of perDay) {
            const week = isoWeekId(new Date(`${day}T12:00:00+03:00`), zone);
            perWeek.set(week, (perWeek.get(week) ?? 0) + Math.min(2, count));
          }
          const expected = Math.min(8, [...perWeek.values()].reduce((sum, count) => sum + Math.min(5, count), 0));
          expect(standingAwards(delivered.facts, 'comment').length).toBe(expected);
        },
      ),
      { numRuns: 150 },
    );
  });
});
