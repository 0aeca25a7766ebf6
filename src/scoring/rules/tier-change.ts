/**
 * A tier change is written as a zero-point `adjust` entry after the awards
 * that reach a new tier, by an event's scoring or any award a member task
 * writes (a referral's).
 */
import type { Campaign } from '../../config/campaign-schema.js';
import type { EngagementEvent } from '../../domain/event.js';
import { earnedDelta, TIER_RULE_PREFIX } from '../../domain/ledger.js';
import { tierFor } from '../../domain/tiers.js';
import type { MemberState } from '../../ledger/member-state.js';
import { reason } from './reasons.js';
import type { ScoredEntry } from './types.js';

/** The tier last written to the ledger, or the lowest tier when none was. */
export function recordedTierId(state: MemberState, campaign: Campaign): string {
  return state.tierId ?? tierFor(0, campaign.tiers).id;
}

/**
 * The tier in force is the one earned before this event (its multiplier was
 * applied above); the tier the entries lead to is compared with the tier last
 * written, so a lost tier entry is written again on the next event.
 */
export function tierChangeEntry(campaign: Campaign, state: MemberState, entries: readonly ScoredEntry[], event: Pick<EngagementEvent, 'eventKey' | 'occurredAt'>): ScoredEntry | undefined {
  const earned = entries.reduce((sum, entry) => sum + earnedDelta(entry), state.earned);
  const reached = tierFor(earned, campaign.tiers);
  const recorded = recordedTierId(state, campaign);
  if (reached.id === recorded) return undefined;
  return {
    eventKey: event.eventKey,
    ruleId: `${TIER_RULE_PREFIX}${reached.id}`,
    kind: 'adjust',
    points: 0,
    status: 'posted',
    occurredAt: event.occurredAt,
    reason: reason('TIER_CHANGED', { from: recorded, to: reached.id }),
    explain: {
      conditions: [{ condition: 'min_earned', passed: true, expected: reached.min_earned, actual: earned }],
      limits: [],
      tier: { id: reached.id, multiplier: reached.multiplier, basePoints: 0, points: 0 },
    },
  };
}
