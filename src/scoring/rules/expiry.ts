/**
 * Expiry, first in first out: the member state keeps the lots (ledger
 * state-lots.ts); this file decides which are due and words the entries.
 */
import type { Campaign } from '../../config/campaign-schema.js';
import { addLocalDays } from '../../domain/calendar.js';
import { EXPIRE_RULE_PREFIX } from '../../domain/ledger.js';
import type { MemberState } from '../../ledger/member-state.js';
import { reason } from './reasons.js';
import type { ScoredEntry } from './types.js';

/**
 * The expire entries due at `now`. Each is keyed by its lot (the lot's
 * eventKey, ruleId `expire:<lot ruleId>`) and an expired lot has nothing left,
 * so running the expiry job twice writes nothing the second time.
 */
export function expireLots(state: MemberState, campaign: Campaign, now: Date): ScoredEntry[] {
  const { expiry } = campaign;
  if (!expiry) return [];
  return state.lots
    .filter((lot) => lot.remaining > 0 && lot.expiresAt <= now.getTime())
    .map((lot) => ({
      eventKey: lot.eventKey,
      ruleId: `${EXPIRE_RULE_PREFIX}${lot.ruleId}`,
      kind: 'expire',
      points: -lot.remaining,
      status: 'posted',
      occurredAt: new Date(lot.expiresAt),
      refersTo: { eventKey: lot.eventKey, ruleId: lot.ruleId },
      reason: reason('EXPIRED', { points: lot.remaining, days: expiry.after_days }),
      explain: {
        conditions: [{ condition: 'expires_at', passed: true, expected: new Date(lot.expiresAt).toISOString(), actual: now.toISOString() }],
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
export function expiringSoon(state: MemberState, campaign: Campaign, now: Date, days = 30): ExpiringPoints {
  if (!campaign.expiry) return { points: 0, lots: [] };
  const horizon = addLocalDays(now, days, campaign.timezone).getTime();
  const lots = state.lots
    .filter((lot) => lot.remaining > 0 && lot.expiresAt <= horizon)
    .sort((a, b) => a.expiresAt - b.expiresAt)
    .map((lot) => ({ eventKey: lot.eventKey, ruleId: lot.ruleId, points: lot.remaining, expiresAt: new Date(lot.expiresAt) }));
  return { points: lots.reduce((sum, lot) => sum + lot.points, 0), lots };
}
