/**
 * Clawback: a deleted comment takes back what it earned. Its own awards
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

/** The event keys a comment or reply with this id was scored under. */
export function deletedEventKeys(event: EngagementEvent): string[] {
  return [eventKeyOf(event.platform, 'comment', event.platformEventId), eventKeyOf(event.platform, 'reply', event.platformEventId)];
}

/** The event key of the deletion of a comment or reply, to spot a deletion recorded before the comment was scored. */
export function deletionKeyOf(event: EngagementEvent): string {
  return eventKeyOf(event.platform, 'comment_deleted', event.platformEventId);
}

/**
 * Points of an award already gone to expiry are not taken a second time: the
 * reversal takes back what is left of the lot, so the expired part stays in
 * the earned total (it was earned, and it is already gone from the balance).
 */
function reversal(award: AwardNote, eventKey: string, check: ConditionCheck, bonusName?: string): ScoredEntry {
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
      bonusName === undefined
        ? reason('REVERSED_DELETED', { points, rule: award.ruleId })
        : reason('REVERSED_NO_LONGER_QUALIFIES', { points, bonus: bonusName }),
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
  const deletedCheck: ConditionCheck = { condition: 'not_deleted', passed: false, expected: false, actual: true };
  if (deletedAwards.length === 0) {
    // Nothing to take back yet: leave a mark so the comment earns nothing if it is scored later.
    return [{
      eventKey: event.eventKey,
      ruleId: UNSCORED_DELETION_RULE_ID,
      kind: 'reverse',
      points: 0,
      status: 'posted',
      occurredAt: event.occurredAt,
      reason: reason('DELETED_BEFORE_SCORED', {}),
      explain: { conditions: [deletedCheck], limits: [] },
    }];
  }
  const entries = deletedAwards.map((award) => reversal(award, event.eventKey, deletedCheck));
  const lost: AwardChange[] = deletedAwards.map((award) => ({ ruleId: award.ruleId, at: award.at, delta: -1 }));
  const lostRules = new Set(deletedAwards.map((award) => award.ruleId));
  const standingBonuses = (ruleId: string): AwardNote[] => state.awards.filter((note) => note.ruleId === ruleId);

  for (const challenge of campaign.challenges) {
    if (!lostRules.has(challenge.rule)) continue;
    const check = challengeCheck(challenge, state, lost);
    if (check.passed) continue;
    for (const bonus of standingBonuses(challengeRuleId(challenge))) entries.push(reversal(bonus, event.eventKey, check, challenge.id));
  }
  const { streaks } = campaign;
  if (streaks && lostRules.has(streaks.rule)) {
    const check = streakCheck(streaks, state, spec, lost);
    if (!check.passed) {
      for (const bonus of standingBonuses(streakRuleId(streaks))) entries.push(reversal(bonus, event.eventKey, check, streakRuleId(streaks)));
    }
  }
  return entries;
}
