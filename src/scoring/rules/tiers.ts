/**
 * Tiers by points earned in the campaign (see earnedOf), and the multiplier a
 * tier gives to earn points. A tier change is written as a zero-point `adjust`
 * entry `tier:<id>` so the member's history shows it.
 */
import type { Campaign } from '../../config/campaign-schema.js';
import type { LedgerFact } from './types.js';

export interface Tier {
  id: string;
  min_earned: number;
  multiplier: number;
}

export const TIER_RULE_PREFIX = 'tier:';

/** The highest tier whose threshold the earned points reach (the schema guarantees one at 0). */
export function tierFor(earned: number, campaign: Campaign): Tier {
  const ascending = [...campaign.tiers].sort((a, b) => a.min_earned - b.min_earned);
  const reached = ascending.filter((tier) => tier.min_earned <= earned);
  const tier = reached[reached.length - 1] ?? ascending[0];
  if (tier === undefined) throw new Error(`campaign ${campaign.id} has no tiers`);
  return tier;
}

/**
 * Points × multiplier, rounded down to whole points. The multiplier is taken
 * to thousandths and the product computed on integers, so 100 × 1.15 is 115
 * and not 114 through a floating-point 114.99999999999999.
 */
export function applyMultiplier(points: number, multiplier: number): number {
  const thousandths = Math.round(multiplier * 1000);
  return Math.floor((points * thousandths) / 1000);
}

/** The tier last written to the ledger (ledger order), or the lowest tier when none was. */
export function recordedTierId(facts: readonly LedgerFact[], campaign: Campaign): string {
  for (let index = facts.length - 1; index >= 0; index -= 1) {
    const fact = facts[index];
    if (fact && fact.kind === 'adjust' && fact.status === 'posted' && fact.ruleId.startsWith(TIER_RULE_PREFIX)) {
      return fact.ruleId.slice(TIER_RULE_PREFIX.length);
    }
  }
  return tierFor(0, campaign).id;
}
