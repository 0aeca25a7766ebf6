/**
 * Expiry, first in first out. Every posted entry that adds points is a lot
 * that expires `after_days` calendar days (campaign zone) after it was
 * written. Spending (redeem, negative adjust) uses the oldest lots first; a
 * reversal takes from the lot it reverses; an expire entry empties its lot.
 * Points spent beyond all lots are a debt that the next lots pay first, so
 * a lot never expires points the balance does not hold.
 */
import type { Campaign } from '../../config/campaign-schema.js';
import { addLocalDays } from './calendar.js';
import { refKey } from './facts.js';
import { reason } from './reasons.js';
import type { ScoredEntry, LedgerFact, LedgerRef } from './types.js';

export interface Lot extends LedgerRef {
  points: number;
  remaining: number;
  expiresAt: Date;
}

export interface LotBook {
  /** In ledger order, oldest first. */
  lots: Lot[];
  /** Points spent that no lot covered (a clawback after a redemption). */
  debt: number;
}

export const EXPIRE_RULE_PREFIX = 'expire:';

/** Replays the posted facts (in ledger order) into lots that expire `afterDays` after they were written. */
export function lotBook(facts: readonly LedgerFact[], afterDays: number, timeZone: string): LotBook {
  const lots: Lot[] = [];
  const byKey = new Map<string, Lot>();
  let debt = 0;
  const takeOldestFirst = (amount: number): void => {
    let left = amount;
    for (const lot of lots) {
      if (left === 0) break;
      const taken = Math.min(lot.remaining, left);
      lot.remaining -= taken;
      left -= taken;
    }
    debt += left;
  };

  for (const fact of facts) {
    if (fact.status !== 'posted' || fact.points === 0) continue;
    if (fact.points > 0) {
      const paid = Math.min(debt, fact.points);
      debt -= paid;
      const expiresAt = addLocalDays(fact.createdAt, afterDays, timeZone);
      const lot: Lot = { eventKey: fact.eventKey, ruleId: fact.ruleId, points: fact.points, remaining: fact.points - paid, expiresAt };
      lots.push(lot);
      byKey.set(refKey(lot), lot);
      continue;
    }
    const amount = -fact.points;
    const target = (fact.kind === 'reverse' || fact.kind === 'expire') && fact.refersTo ? byKey.get(refKey(fact.refersTo)) : undefined;
    const fromTarget = target ? Math.min(target.remaining, amount) : 0;
    if (target) target.remaining -= fromTarget;
    takeOldestFirst(amount - fromTarget);
  }
  return { lots, debt };
}

/**
 * The expire entries due at `now`. Each is keyed by its lot (the lot's
 * eventKey, ruleId `expire:<lot ruleId>`) and an expired lot has nothing left,
 * so running the expiry job twice writes nothing the second time.
 */
export function expireLots(facts: readonly LedgerFact[], campaign: Campaign, now: Date): ScoredEntry[] {
  const { expiry } = campaign;
  if (!expiry) return [];
  return lotBook(facts, expiry.after_days, campaign.timezone)
    .lots.filter((lot) => lot.remaining > 0 && lot.expiresAt <= now)
    .map((lot) => ({
      eventKey: lot.eventKey,
      ruleId: `${EXPIRE_RULE_PREFIX}${lot.ruleId}`,
      kind: 'expire',
      points: -lot.remaining,
      status: 'posted',
      occurredAt: lot.expiresAt,
      refersTo: { eventKey: lot.eventKey, ruleId: lot.ruleId },
      reason: reason('EXPIRED', { points: lot.remaining, days: expiry.after_days }),
      explain: {
        conditions: [{ condition: 'expires_at', passed: true, expected: lot.expiresAt.toISOString(), actual: now.toISOString() }],
        limits: [],
      },
    }));
}

export interface ExpiringPoints {
  points: number;
  /** Soonest first; a lot already due (expiry job not yet run) is included. */
  lots: { eventKey: string; ruleId: string; points: number; expiresAt: Date }[];
}

/** Points that will expire within `days` calendar days of `now` ("120 points expire on 2 Sep"). */
export function expiringSoon(facts: readonly LedgerFact[], campaign: Campaign, now: Date, days = 30): ExpiringPoints {
  const { expiry } = campaign;
  if (!expiry) return { points: 0, lots: [] };
  const horizon = addLocalDays(now, days, campaign.timezone);
  const lots = lotBook(facts, expiry.after_days, campaign.timezone)
    .lots.filter((lot) => lot.remaining > 0 && lot.expiresAt <= horizon)
    .sort((a, b) => a.expiresAt.getTime() - b.expiresAt.getTime())
    .map((lot) => ({ eventKey: lot.eventKey, ruleId: lot.ruleId, points: lot.remaining, expiresAt: lot.expiresAt }));
  return { points: lots.reduce((sum, lot) => sum + lot.points, 0), lots };
}
