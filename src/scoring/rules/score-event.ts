/**
 * scoreEvent: one event, the member's state, the campaign and `now` in; the
 * ledger entries to write and the reasons for every non-award out. The shell
 * scores each event once (an event already decided is never scored again),
 * and hands a deletion the awards of the comment it deletes.
 */
import type { Campaign, CampaignRule } from '../../config/campaign-schema.js';
import type { EngagementEvent } from '../../domain/event.js';
import { TIER_RULE_PREFIX, type LedgerStatus } from '../../domain/ledger.js';
import { applyMultiplier, tierFor, type Tier } from '../../domain/tiers.js';
import type { AwardNote, MemberState } from '../../ledger/member-state.js';
import { stateSpecOf, type StateSpec } from '../../ledger/state-spec.js';
import { unlockedBonuses } from './bonuses.js';
import { clawback, deletionKeyOf } from './clawback.js';
import { qualify } from './conditions.js';
import { checkLimits } from './limits.js';
import { reason } from './reasons.js';
import { referralAward, type ReferralDecision, type ReferralInput } from './referral.js';
import { recordedTierId, tierChangeEntry } from './tier-change.js';
import type { ConditionCheck, NonAward, ScoredEntry, ScoringResult } from './types.js';

export interface ScoreEventInput {
  event: EngagementEvent;
  campaign: Campaign;
  state: MemberState;
  /**
   * The fraud scorer's verdict for this event; its awards are written with
   * this status (default posted). Held awards keep their slot under caps and
   * can unlock held bonuses; rejected ones count for nothing.
   */
  status?: LedgerStatus;
  /** For a `comment_deleted` or an `order_refunded`: the deleted comment's or refunded order's standing awards. */
  deletedAwards?: readonly AwardNote[];
  /** For a `purchase` naming a code: the code as stored and the order as counted. */
  referral?: Pick<ReferralInput, 'code' | 'count'>;
}

export function scoreEvent(input: ScoreEventInput): ScoringResult {
  const { event, campaign, state, status = 'posted' } = input;
  const spec = stateSpecOf(campaign);
  const referral = referralOf(event, input.referral, campaign, status, state.deletions.includes(deletionKeyOf(event)));
  const ruled =
    event.kind === 'comment_deleted' || event.kind === 'order_refunded'
      ? { entries: clawback({ event, campaign, spec, state, deletedAwards: input.deletedAwards ?? [] }), nonAwards: [] }
      : referral && !campaign.rules.some((rule) => rule.on === event.kind)
        ? { entries: [], nonAwards: [] }
        : award({ event, campaign, spec, state, status });
  const entries = [...ruled.entries, ...(referral?.entries ?? [])];
  const nonAwards = [...ruled.nonAwards, ...(referral?.nonAwards ?? [])];

  const tierEntry = tierChangeEntry(campaign, state, entries, event);
  const all = tierEntry ? [...entries, tierEntry] : entries;
  const before = state.balance;
  const after = before + all.reduce((sum, entry) => (entry.status === 'posted' ? sum + entry.points : sum), 0);
  return {
    entries: all,
    nonAwards,
    balance: { before, after },
    negativeBalance: after < 0,
    ...(referral?.referrer ? { referrer: referral.referrer } : {}),
    ...(tierEntry ? { tierChange: { from: recordedTierId(state, campaign), to: tierEntry.ruleId.slice(TIER_RULE_PREFIX.length) } } : {}),
  };
}

/** A paid order naming a code, with the code and the count the shell read. */
function referralOf(event: EngagementEvent, facts: ScoreEventInput['referral'], campaign: Campaign, status: LedgerStatus, refunded: boolean): ReferralDecision | undefined {
  const code = event.kind === 'purchase' ? event.order?.code : undefined;
  if (code === undefined || event.order === undefined || facts === undefined) return undefined;
  return referralAward({ event: { ...event, order: { ...event.order, code } }, campaign, status, refunded, ...facts });
}

function award(input: { event: EngagementEvent; campaign: Campaign; spec: StateSpec; state: MemberState; status: LedgerStatus }): {
  entries: ScoredEntry[];
  nonAwards: NonAward[];
} {
  const { event, campaign, spec, state, status } = input;
  const rules = campaign.rules.filter((rule) => rule.on === event.kind);
  if (rules.length > 0 && earnsOnlyAsHashtagPost(event, campaign)) {
    return { entries: [], nonAwards: [{ eventKey: event.eventKey, reason: reason('EARNED_AS_HASHTAG_POST', {}), explain: { conditions: [], limits: [] } }] };
  }
  if (rules.length === 0) {
    return {
      entries: [],
      nonAwards: [{ eventKey: event.eventKey, reason: reason('NO_RULE_FOR_KIND', { kind: event.kind }), explain: { conditions: [], limits: [] } }],
    };
  }
  const deleted = (event.kind === 'comment' || event.kind === 'reply' || event.kind === 'purchase') && state.deletions.includes(deletionKeyOf(event));
  const tier = tierFor(state.earned, campaign.tiers);
  const entries: ScoredEntry[] = [];
  const nonAwards: NonAward[] = [];
  for (const rule of rules) {
    const decision = decide({ rule, event, campaign, spec, deleted, tier, status, state });
    if ('entry' in decision) entries.push(decision.entry);
    else nonAwards.push(decision.nonAward);
  }
  if (status !== 'rejected' && entries.length > 0) {
    entries.push(...unlockedBonuses({ campaign, spec, state, awarded: entries, eventKey: event.eventKey, occurredAt: event.occurredAt, status }));
  }
  return { entries, nonAwards };
}

/** A caption mention of a post with a campaign hashtag, in a campaign that rewards such a post as a hashtag post only. */
function earnsOnlyAsHashtagPost(event: EngagementEvent, campaign: Campaign): boolean {
  return (
    !campaign.hashtag_posts.also_mention &&
    event.kind === 'mention' &&
    event.target.commentId === undefined &&
    event.hashtags.some((tag) => campaign.hashtags.includes(tag))
  );
}

function decide(input: {
  rule: CampaignRule;
  event: EngagementEvent;
  campaign: Campaign;
  spec: StateSpec;
  deleted: boolean;
  tier: Tier;
  status: LedgerStatus;
  state: MemberState;
}): { entry: ScoredEntry } | { nonAward: NonAward } {
  const { rule, event, campaign, spec, deleted, tier, status, state } = input;
  const refuse = (nonAward: Omit<NonAward, 'eventKey' | 'ruleId'>): { nonAward: NonAward } => ({
    nonAward: { eventKey: event.eventKey, ruleId: rule.id, ...nonAward },
  });
  const qualification = qualify({ rule, event, campaign, deleted });
  if (qualification.failure) return refuse({ reason: qualification.failure, explain: { conditions: qualification.checks, limits: [] } });

  const earlier = state.rules[rule.id]?.n ?? 0;
  const conditions: ConditionCheck[] = [...qualification.checks];
  if (rule.first_time) {
    const first: ConditionCheck = { condition: 'first_time', passed: earlier === 0, expected: 0, actual: earlier };
    conditions.push(first);
    if (!first.passed) return refuse({ reason: reason('FIRST_TIME_ALREADY_AWARDED', { rule: rule.id }), explain: { conditions, limits: [] } });
  }
  const limits = checkLimits({ rule, occurredAt: event.occurredAt, state, spec });
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
      explain: { conditions, limits: limits.checks, tier: { id: tier.id, multiplier: tier.multiplier, basePoints: rule.points, points } },
    },
  };
}
