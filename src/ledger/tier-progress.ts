/**
 * Where a member stands among the campaign's tiers: the tier their earned
 * points reach and how far the next one is ("300 points to gold").
 */
import type { Campaign } from '../config/campaign-schema.js';
import type { Localized } from '../domain/localized.js';
import { tierFor } from '../domain/tiers.js';
import { pointsText } from '../domain/wording.js';

export interface TierProgress {
  tier: { id: string; name: Localized; minEarned: number; multiplier: number };
  next: {
    id: string;
    name: Localized;
    minEarned: number;
    missing: number;
    /** Share of the way from the current tier's threshold to the next one, 0 to 1. */
    progress: number;
    message: Localized;
  } | null;
}

export function tierProgress(earned: number, campaign: Campaign): TierProgress {
  const tier = tierFor(earned, campaign.tiers);
  const next = [...campaign.tiers].sort((a, b) => a.min_earned - b.min_earned).find((candidate) => candidate.min_earned > tier.min_earned);
  const current = { id: tier.id, name: nameOf(tier), minEarned: tier.min_earned, multiplier: tier.multiplier };
  if (!next) return { tier: current, next: null };
  const missing = next.min_earned - earned;
  const span = next.min_earned - tier.min_earned;
  return {
    tier: current,
    next: {
      id: next.id,
      name: nameOf(next),
      minEarned: next.min_earned,
      missing,
      progress: Math.floor((Math.max(0, earned - tier.min_earned) / span) * 100) / 100,
      message: { en: `${pointsText(missing).en} to ${nameOf(next).en}`, ar: `باقي ${pointsText(missing).ar} على مستوى ${nameOf(next).ar}` },
    },
  };
}

function nameOf(tier: Campaign['tiers'][number]): Localized {
  return tier.name ?? { en: tier.id, ar: tier.id };
}
