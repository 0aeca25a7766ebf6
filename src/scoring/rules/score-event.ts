/**
 * scoreEvent: one event, the member's ledger facts, the campaign and `now` in;
 * the ledger entries to write and the reasons for every non-award out.
 *
 * Scoring ignores entries already written for this same event, so a retry or
 * a replay produces the same entries (same eventKey and ruleId) and the
 * ledger's unique index turns the second write into a no-op.
 */
import type { Campaign, CampaignRule } from '../../config/campaign-schema.js';
import type { EngagementEvent } from '../../domain/event.js';
import { unlockedBonuses } from './bonuses.js';
import { clawback, deletionKeyOf } from './clawback.js';
import { qualify } from './conditions.js';
import { asFacts, balanceOf, earnedOf, refKey, standingAwards } from './facts.js';
import { checkLimits } from './limits.js';
import { reason } from './reasons.js';
import { applyMultiplier, recordedTierId, TIER_RULE_PREFIX, tierFor, type Tier } from './tiers.js';
import type { ConditionCheck, ScoredEntry, LedgerFact, LedgerStatus, MemberScoringState, NonAward, ScoringResult } from './types.js';

export interface ScoreEventInput {
  event: EngagementEvent;
  campaign: Campaign;
  state: MemberScoringState;
  now: Date;
  /**
   * The fraud scorer's verdict for this event; its awards are written with
   * this status (default posted). Held awards keep their slot under caps and
   * can unlock held bonuses; rejected ones count for nothing.
   */
  status?: LedgerStatus;
}

export function scoreEvent(input: ScoreEventInput): ScoringResult {
  const { event, campaign, state, now, status = 'posted' } = input;
  const prior = state.facts.filter((fact) => fact.eventKey !== event.eventKey);
  const { entries, nonAwards } =
    event.kind === 'comment_deleted'
      ? { entries: clawback({ event, campaign, facts: prior, now }), nonAwards: [] }
      : award({ event, campaign, prior, now, status });

  const tierEntry = tierChangeEntry(campaign, prior, entries, event, now);
  const all = tierEntry ? [...entries, tierEntry] : entries;

  const written = new Set(state.facts.map(refKey));
  const before = balanceOf(state.facts);
  const after = before + balanceOf(asFacts(all.filter((entry) => !written.has(refKey(entry))), now));
  return {
    entries: all,
    nonAwards,
    balance: { before, after },
    negativeBalance: after < 0,
    ...(tierEntry ? { tierChange: { from: recordedTierId(prior, campaign), to: tierEntry.ruleId.slice(TIER_RULE_PREFIX.length) } } : {}),
  };
}

function award(input: { event: EngagementEvent; campaign: Campaign; prior: readonly LedgerFact[]; now: Date; status: LedgerStatus }): {
  entries: ScoredEntry[];
  nonAwards: NonAward[];
} {
  const { event, campaign, prior, now, status } = input;
  const rules = campaign.rules.filter((rule) => rule.on === event.kind);
  if (rules.length === 0) {
    return {
      entries: [],
      nonAwards: [{ eventKey: event.eventKey, reason: reason('NO_RULE_FOR_KIND', { kind: event.kind }), explain: { conditions: [], limits: [] } }],
    };
  }
  const deleted = (event.kind === 'comment' || event.kind === 'reply') && prior.some((fact) => fact.eventKey === deletionKeyOf(event));
  const tier = tierFor(earnedOf(prior), campaign);
  const entries: ScoredEntry[] = [];
  const nonAwards: NonAward[] = [];
  for (const rule of rules) {
    const decision = decide({ rule, event, campaign, deleted, tier, status, facts: prior });
    if ('entry' in decision) entries.push(decision.entry);
    else nonAwards.push(decision.nonAward);
  }
  if (status !== 'rejected' && entries.length > 0) {
    entries.push(
      ...unlockedBonuses({
        campaign,
        facts: [...prior, ...asFacts(entries, now)],
        awardedRuleIds: new Set(entries.map((entry) => entry.ruleId)),
        eventKey: event.eventKey,
        occurredAt: event.occurredAt,
        status,
      }),
    );
  }
  return { entries, nonAwards };
}

function decide(input: {
  rule: CampaignRule;
  event: EngagementEvent;
  campaign: Campaign;
  deleted: boolean;
  tier: Tier;
  status: LedgerStatus;
  facts: readonly LedgerFact[];
}): { entry: ScoredEntry } | { nonAward: NonAward } {
  const { rule, event, campaign, deleted, tier, status, facts } = input;
  const refuse = (nonAward: Omit<NonAward, 'eventKey' | 'ruleId'>): { nonAward: NonAward } => ({
    nonAward: { eventKey: event.eventKey, ruleId: rule.id, ...nonAward },
  });
  const qualification = qualify({ rule, event, campaign, deleted });
  if (qualification.failure) return refuse({ reason: qualification.failure, explain: { conditions: qualification.checks, limits: [] } });

  const earlier = standingAwards(facts, rule.id);
  const conditions: ConditionCheck[] = [...qualification.checks];
  if (rule.first_time) {
    const first: ConditionCheck = { condition: 'first_time', passed: earlier.length === 0, expected: 0, actual: earlier.length };
    conditions.push(first);
    if (!first.passed) return refuse({ reason: reason('FIRST_TIME_ALREADY_AWARDED', { rule: rule.id }), explain: { conditions, limits: [] } });
  }
  const limits = checkLimits({ rule, occurredAt: event.occurredAt, campaign, awards: earlier });
  if (limits.failure) return refuse({ reason: limits.failure, explain: { conditions, limits: limits.checks } });

  const base = { eventKey: event.eventKey, ruleId: rule.id, status, occurredAt: event.occurredAt };
  if (rule.first_time) {
    // A first-time award is a bonus: a fixed amount the tier does not multiply.
    return {
      entry: {
        ...base,
        kind: 'bonus',
        points: rule.points,
        reason: reason('FIRST_TIME_BONUS', { points: rule.points, rule: rule.id }),
        explain: { conditions, limits: limits.checks },
      },
    };
  }
  const points = applyMultiplier(rule.points, tier.multiplier);
  return {
    entry: {
      ...base,
      kind: 'earn',
      points,
      reason: reason('EARNED', { points, rule: rule.id }),
      explain: {
        conditions,
        limits: limits.checks,
        tier: { id: tier.id, multiplier: tier.multiplier, basePoints: rule.points, points },
      },
    },
  };
}

/**
 * The tier in force is the one earned before this event (its multiplier was
 * applied above); the tier the entries lead to is compared with the tier last
 * written, so a lost tier entry is written again on the next event.
 */
function tierChangeEntry(
  campaign: Campaign,
  prior: readonly LedgerFact[],
  entries: readonly ScoredEntry[],
  event: EngagementEvent,
  now: Date,
): ScoredEntry | undefined {
  const earned = earnedOf([...prior, ...asFacts(entries, now)]);
  const reached = tierFor(earned, campaign);
  const recorded = recordedTierId(prior, campaign);
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
