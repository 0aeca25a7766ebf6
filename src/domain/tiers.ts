/**
 * Tiers by points earned in the campaign (never by balance: spending does not
 * demote), and the multiplier a tier gives to earn points. A tier change is
 * written as a zero-point `adjust` entry `tier:<id>` so the member's history
 * shows it.
 */
export interface Tier {
  id: string;
  min_earned: number;
  multiplier: number;
}

/** The highest tier whose threshold the earned points reach (a campaign always has one at 0). */
export function tierFor<T extends Tier>(earned: number, tiers: readonly T[]): T {
  let reached: T | undefined;
  let lowest: T | undefined;
  for (const tier of tiers) {
    if (lowest === undefined || tier.min_earned < lowest.min_earned) lowest = tier;
    if (tier.min_earned <= earned && (reached === undefined || tier.min_earned >= reached.min_earned)) reached = tier;
  }
  const tier = reached ?? lowest;
  if (tier === undefined) throw new Error('a campaign has at least one tier');
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
