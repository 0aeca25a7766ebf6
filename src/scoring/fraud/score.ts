/**
 * The scorer: event + history + campaign + lists + now → verdict. Pure: the
 * same input always gives the same verdict, so a replay re-scores exactly.
 */
import type { Campaign } from '../../config/campaign-schema.js';
import { memberIdOf, type EngagementEvent } from '../../domain/event.js';
import { DEFAULT_FRAUD_WEIGHTS, SIGNALS } from './catalog.js';
import { CLEARABLE_FRAUD_SIGNALS, type FraudSignalCode } from '../../domain/fraud-codes.js';
import { textFeaturesOf } from './text.js';
import type { FraudDecision, FraudLists, FraudSignal, FraudVerdict, FraudWave, RecentActivity, ReferralEvidence } from './types.js';

export interface FraudInput {
  event: EngagementEvent;
  campaign: Campaign;
  history: RecentActivity;
  lists: FraudLists;
  now: Date;
  /** Codes a reviewer's approval cleared for this member, still in force at `now` (see `CLEARABLE_FRAUD_SIGNALS`). */
  cleared?: ReadonlySet<FraudSignalCode>;
  /** A paid order naming a code: what the code's counters said about it. */
  referral?: ReferralEvidence;
}

type FraudSettings = Campaign['fraud'];

export function scoreFraud({ event, campaign, history, lists, now, cleared = new Set(), referral }: FraudInput): FraudVerdict {
  const context = {
    event,
    memberId: memberIdOf(event.platform, event.actor.platformUserId),
    // A future-dated event must not make an account look older or a window look emptier.
    at: Math.min(event.occurredAt.getTime(), now.getTime()),
    history,
    lists,
    text: textFeaturesOf(event),
    campaignStartsAt: campaign.starts_at.getTime(),
    referral,
  };
  const signals: FraudSignal[] = [];
  const clearedFired: FraudSignalCode[] = [];
  let wave: FraudWave | undefined;
  for (const signal of SIGNALS) {
    const found = signal(context);
    if (found === undefined) continue;
    const weight = weightOf(found.code, campaign.fraud);
    if (weight === 0) continue;
    if (cleared.has(found.code) && CLEARABLE_FRAUD_SIGNALS.has(found.code)) clearedFired.push(found.code);
    else {
      signals.push({ code: found.code, weight, value: round(found.value), text: found.text });
      wave ??= found.wave;
    }
  }
  signals.sort((a, b) => b.weight * b.value - a.weight * a.value);
  const score = scoreOf(signals);
  return {
    score,
    decision: decisionFor(score, campaign.fraud),
    signals,
    ...(clearedFired.length > 0 ? { cleared: clearedFired } : {}),
    ...(wave === undefined ? {} : { wave }),
  };
}

export function weightOf(code: FraudSignalCode, settings: FraudSettings): number {
  return settings.weights[code] ?? DEFAULT_FRAUD_WEIGHTS[code];
}

/** Sum of weight × value, capped at 1. Exported so an evaluation can drop one signal and re-score. */
export function scoreOf(signals: readonly Pick<FraudSignal, 'weight' | 'value'>[]): number {
  return round(Math.min(1, signals.reduce((sum, signal) => sum + signal.weight * signal.value, 0)));
}

export function decisionFor(score: number, settings: Pick<FraudSettings, 'hold_at' | 'reject_at'>): FraudDecision {
  if (score >= settings.reject_at) return 'reject';
  if (score >= settings.hold_at) return 'hold';
  return 'allow';
}

/** The campaign's staff and block lists, ready for `scoreFraud`; `extraBlocked` adds a shared block list. */
export function fraudListsFor(campaign: Campaign, extraBlocked: Iterable<string> = []): FraudLists {
  const normalize = (entry: string): string => (entry.startsWith('@') ? entry.toLowerCase() : entry);
  return {
    staff: new Set(campaign.fraud.staff.map(normalize)),
    blocked: new Set([...campaign.fraud.blocked, ...extraBlocked].map(normalize)),
  };
}

// Three decimals: enough to rank, and sums of floats compare stably against thresholds.
function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}
