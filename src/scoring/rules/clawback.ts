/**
 * Clawback: a deleted comment takes back what it earned. Its own awards
 * (including a first-time bonus, which belongs to that comment and moves to the
 * member's next qualifying one) are reversed outright; challenge and streak
 * bonuses are reversed only if they no longer qualify without it.
 */
import type { Campaign } from '../../config/campaign-schema.js';
import { eventKeyOf, type EngagementEvent } from '../../domain/event.js';
import { challengeCheck, challengeRuleId, streakCheck, streakRuleId } from './bonuses.js';
import { asFacts, refKey, standingAwards } from './facts.js';
import { reason } from './reasons.js';
import type { ConditionCheck, ScoredEntry, LedgerFact } from './types.js';

export const UNSCORED_DELETION_RULE_ID = 'reverse:unscored';

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
function expiredFrom(award: LedgerFact, facts: readonly LedgerFact[]): number {
  const key = refKey(award);
  return facts
    .filter((fact) => fact.kind === 'expire' && fact.status === 'posted' && fact.refersTo && refKey(fact.refersTo) === key)
    .reduce((sum, fact) => sum - fact.points, 0);
}

function reversal(award: LedgerFact, facts: readonly LedgerFact[], eventKey: string, check: ConditionCheck, bonusName?: string): ScoredEntry {
  const points = Math.max(0, award.points - expiredFrom(award, facts));
  return {
    eventKey,
    ruleId: `reverse:${award.ruleId}`,
    kind: 'reverse',
    points: -points,
    // A held award gets a held reversal: whatever a reviewer decides for one applies to both, and they net to zero.
    status: award.status,
    // The original's time, so the reversal lands in the same leaderboard week and month.
    occurredAt: award.occurredAt,
    refersTo: { eventKey: award.eventKey, ruleId: award.ruleId },
    reason:
      bonusName === undefined
        ? reason('REVERSED_DELETED', { points, rule: award.ruleId })
        : reason('REVERSED_NO_LONGER_QUALIFIES', { points, bonus: bonusName }),
    explain: { conditions: [check], limits: [] },
  };
}

export function clawback(input: { event: EngagementEvent; campaign: Campaign; facts: readonly LedgerFact[]; now: Date }): ScoredEntry[] {
  const { event, campaign, facts, now } = input;
  const keys = new Set(deletedEventKeys(event));
  const bonusRuleIds = new Set([...campaign.challenges.map(challengeRuleId), ...(campaign.streaks ? [streakRuleId(campaign.streaks)] : [])]);
  const own = standingAwards(facts).filter((award) => keys.has(award.eventKey) && !bonusRuleIds.has(award.ruleId));
  const deletedCheck: ConditionCheck = { condition: 'not_deleted', passed: false, expected: false, actual: true };
  if (own.length === 0) {
    // Nothing to take back yet: leave a mark so the comment earns nothing if it is scored later.
    return [
      {
        eventKey: event.eventKey,
        ruleId: UNSCORED_DELETION_RULE_ID,
        kind: 'reverse',
        points: 0,
        status: 'posted',
        occurredAt: event.occurredAt,
        reason: reason('DELETED_BEFORE_SCORED', {}),
        explain: { conditions: [deletedCheck], limits: [] },
      },
    ];
  }
  const entries = own.map((award) => reversal(award, facts, event.eventKey, deletedCheck));
  const after = [...facts, ...asFacts(entries, now)];
  const lostRules = new Set(own.map((award) => award.ruleId));

  for (const challenge of campaign.challenges) {
    if (!lostRules.has(challenge.rule)) continue;
    const check = challengeCheck(challenge, after);
    if (check.passed) continue;
    for (const bonus of standingAwards(after, challengeRuleId(challenge))) {
      entries.push(reversal(bonus, facts, event.eventKey, check, challenge.id));
    }
  }
  const { streaks } = campaign;
  if (streaks && lostRules.has(streaks.rule)) {
    const check = streakCheck(streaks, after, campaign.timezone);
    if (!check.passed) {
      for (const bonus of standingAwards(after, streakRuleId(streaks))) {
        entries.push(reversal(bonus, facts, event.eventKey, check, streakRuleId(streaks)));
      }
    }
  }
  return entries;
}
