/**
 * Clawback: a deleted comment, or a refunded order, takes back what it earned. Its own awards
 * (including a first-time bonus, which belongs to that comment and moves to the
 * member's next qualifying one) are reversed outright; challenge and streak
 * bonuses are reversed only if they no longer qualify without it.
 */
import type { Campaign } from '../../config/campaign-schema.js';
import { eventKeyOf, type EngagementEvent } from '../../domain/event.js';
import { challengeRuleId, REVERSE_RULE_PREFIX, streakRuleId, UNSCORED_DELETION_RULE_ID } from '../../domain/ledger.js';
import type { AwardNote, MemberState } from '../../ledger/member-state.js';
import type { StateSpec } from '../../ledger/state-spec.js';
import { challengeCheck, streakCheck, type AwardChange } from './bonuses.js';
import { reason } from './reasons.js';
import type { ConditionCheck, ScoredEntry } from './types.js';

/** The event keys what a removal takes back was scored under: a comment or reply with this id, or the order a refund names. */
export function deletedEventKeys(event: EngagementEvent): string[] {
  if (event.kind === 'order_refunded') return [eventKeyOf(event.platform, 'purchase', event.platformEventId)];
  return [eventKeyOf(event.platform, 'comment', event.platformEventId), eventKeyOf(event.platform, 'reply', event.platformEventId)];
}

/** The event key of the removal of a comment, reply or order, to spot a removal recorded before what it removes was scored. */
export function deletionKeyOf(event: EngagementEvent): string {
  return eventKeyOf(event.platform, event.kind === 'purchase' ? 'order_refunded' : 'comment_deleted', event.platformEventId);
}

type Cause = 'deleted' | 'refunded';

/** A removal's own check: what it says of the comment or order. */
function removedCheck(cause: Cause): ConditionCheck {
  return { condition: cause === 'refunded' ? 'not_refunded' : 'not_deleted', passed: false, expected: false, actual: true };
}

/** Reversals of awards a removal takes back (also for the referrer's award of a refunded order, in the referrer's turn). */
export function reversalsOf(awards: readonly AwardNote[], eventKey: string, cause: Cause): ScoredEntry[] {
  return awards.map((award) => reversal(award, eventKey, removedCheck(cause), cause));
}

/**
 * Points of an award already gone to expiry are not taken a second time: the
 * reversal takes back what is left of the lot, so the expired part stays in
 * the earned total (it was earned, and it is already gone from the balance).
 */
function reversal(award: AwardNote, eventKey: string, check: ConditionCheck, cause: Cause, bonusName?: string): ScoredEntry {
  const points = Math.max(0, award.points - award.expired);
  return {
    eventKey,
    ruleId: `${REVERSE_RULE_PREFIX}${award.ruleId}`,
    kind: 'reverse',
    points: -points,
    // A held award gets a held reversal: whatever a reviewer decides for one applies to both, and they net to zero.
    status: award.status,
    // The original's time, so the reversal lands in the same leaderboard week and month.
    occurredAt: new Date(award.at),
    refersTo: { eventKey: award.eventKey, ruleId: award.ruleId },
    reason:
      bonusName !== undefined
        ? reason('REVERSED_NO_LONGER_QUALIFIES', { points, bonus: bonusName })
        : cause === 'refunded'
          ? reason('REVERSED_REFUNDED', { points, rule: award.ruleId })
          : reason('REVERSED_DELETED', { points, rule: award.ruleId }),
    explain: { conditions: [check], limits: [] },
  };
}

export function clawback(input: {
  event: EngagementEvent;
  campaign: Campaign;
  spec: StateSpec;
  state: MemberState;
  /** The deleted comment's standing awards (its own earn and first-time bonus entries), as the shell found them. */
  deletedAwards: readonly AwardNote[];
}): ScoredEntry[] {
  const { event, campaign, spec, state, deletedAwards } = input;
  const cause: Cause = event.kind === 'order_refunded' ? 'refunded' : 'deleted';
  const deletedCheck = removedCheck(cause);
  if (deletedAwards.length === 0) {
    // Nothing to take back yet: leave a mark so the comment earns nothing if it is scored later.
    return [{
      eventKey: event.eventKey,
      ruleId: UNSCORED_DELETION_RULE_ID,
      kind: 'reverse',
      points: 0,
      status: 'posted',
      occurredAt: event.occurredAt,
      reason: cause === 'refunded' ? reason('REFUNDED_BEFORE_SCORED', {}) : reason('DELETED_BEFORE_SCORED', {}),
      explain: { conditions: [deletedCheck], limits: [] },
    }];
  }
  const entries = reversalsOf(deletedAwards, event.eventKey, cause);
  const lost: AwardChange[] = deletedAwards.map((award) => ({ ruleId: award.ruleId, at: award.at, delta: -1 }));
  const lostRules = new Set(deletedAwards.map((award) => award.ruleId));
  const standingBonuses = (ruleId: string): AwardNote[] => state.awards.filter((note) => note.ruleId === ruleId);

  for (const challenge of campaign.challenges) {
    if (!lostRules.has(challenge.rule)) continue;
    const check = challengeCheck(challenge, state, lost);
    if (check.passed) continue;
    for (const bonus of standingBonuses(challengeRuleId(challenge))) entries.push(reversal(bonus, event.eventKey, check, cause, challenge.id));
  }
  const { streaks } = campaign;
  if (streaks && lostRules.has(streaks.rule)) {
    const check = streakCheck(streaks, state, spec, lost);
    if (!check.passed) {
      for (const bonus of standingBonuses(streakRuleId(streaks))) entries.push(reversal(bonus, event.eventKey, check, cause, streakRuleId(streaks)));
    }
  }
  return entries;
}
