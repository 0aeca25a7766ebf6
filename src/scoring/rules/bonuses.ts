/**
 * Challenge and streak bonuses. Both are awarded once per member per campaign:
 * a challenge when N standing awards of its rule fall in its window, a streak
 * when awards of its rule cover N consecutive campaign-local days. A streak
 * does not repeat for a second run of N days; it is a milestone, like a
 * challenge, which keeps the bonus predictable for the brand's budget.
 */
import type { Campaign } from '../../config/campaign-schema.js';
import { dayNumber, localDayId } from './calendar.js';
import { standingAwards } from './facts.js';
import { reason } from './reasons.js';
import type { ConditionCheck, ScoredEntry, LedgerFact, LedgerStatus } from './types.js';

type Challenge = Campaign['challenges'][number];
type Streak = NonNullable<Campaign['streaks']>;

export const challengeRuleId = (challenge: Challenge): string => `challenge:${challenge.id}`;
export const streakRuleId = (streak: Streak): string => `streak:${streak.rule}`;

export function challengeCheck(challenge: Challenge, facts: readonly LedgerFact[]): ConditionCheck {
  const { from, to } = challenge.window;
  const count = standingAwards(facts, challenge.rule).filter((award) => award.occurredAt >= from && award.occurredAt <= to).length;
  return { condition: 'challenge_count', passed: count >= challenge.count, expected: challenge.count, actual: count };
}

/** The longest run of consecutive campaign-local days with a standing award of the streak's rule. */
export function longestStreak(streak: Streak, facts: readonly LedgerFact[], timeZone: string): number {
  const days = [...new Set(standingAwards(facts, streak.rule).map((award) => dayNumber(localDayId(award.occurredAt, timeZone))))].sort(
    (a, b) => a - b,
  );
  let longest = 0;
  let run = 0;
  days.forEach((day, index) => {
    run = index > 0 && days[index - 1] === day - 1 ? run + 1 : 1;
    longest = Math.max(longest, run);
  });
  return longest;
}

export function streakCheck(streak: Streak, facts: readonly LedgerFact[], timeZone: string): ConditionCheck {
  const longest = longestStreak(streak, facts, timeZone);
  return { condition: 'streak_days', passed: longest >= streak.days, expected: streak.days, actual: longest };
}

/**
 * Bonuses the awards just made unlock. `facts` already holds those awards.
 * A bonus takes the status of the award that unlocked it, so a held award
 * unlocks a held bonus that a reviewer decides together with it.
 */
export function unlockedBonuses(input: {
  campaign: Campaign;
  facts: readonly LedgerFact[];
  awardedRuleIds: ReadonlySet<string>;
  eventKey: string;
  occurredAt: Date;
  status: LedgerStatus;
}): ScoredEntry[] {
  const { campaign, facts, awardedRuleIds, eventKey, occurredAt, status } = input;
  const alreadyHas = (ruleId: string): boolean => standingAwards(facts, ruleId).length > 0;
  const bonuses: ScoredEntry[] = [];
  for (const challenge of campaign.challenges) {
    const ruleId = challengeRuleId(challenge);
    if (!awardedRuleIds.has(challenge.rule) || alreadyHas(ruleId)) continue;
    const check = challengeCheck(challenge, facts);
    if (!check.passed) continue;
    bonuses.push({
      eventKey,
      ruleId,
      kind: 'bonus',
      points: challenge.bonus,
      status,
      occurredAt,
      reason: reason('CHALLENGE_BONUS', { points: challenge.bonus, challenge: challenge.id }),
      explain: { conditions: [check], limits: [] },
    });
  }
  const { streaks } = campaign;
  if (streaks && awardedRuleIds.has(streaks.rule) && !alreadyHas(streakRuleId(streaks))) {
    const check = streakCheck(streaks, facts, campaign.timezone);
    if (check.passed) {
      bonuses.push({
        eventKey,
        ruleId: streakRuleId(streaks),
        kind: 'bonus',
        points: streaks.bonus,
        status,
        occurredAt,
        reason: reason('STREAK_BONUS', { points: streaks.bonus, days: streaks.days }),
        explain: { conditions: [check], limits: [] },
      });
    }
  }
  return bonuses;
}
