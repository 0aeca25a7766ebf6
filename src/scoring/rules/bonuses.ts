/**
 * Challenge and streak bonuses. Both are awarded once per member per campaign:
 * a challenge when N standing awards of its rule fall in its window, a streak
 * when awards of its rule cover N consecutive campaign-local days. A streak
 * does not repeat for a second run of N days; it is a milestone, like a
 * challenge, which keeps the bonus predictable for the brand's budget.
 *
 * The member state counts what stands; the awards being decided now (or
 * taken back now) are passed as a change on top of it.
 */
import type { Campaign } from '../../config/campaign-schema.js';
import { challengeRuleId, streakRuleId, type LedgerStatus } from '../../domain/ledger.js';
import { dayOf, type MemberState } from '../../ledger/member-state.js';
import type { StateSpec } from '../../ledger/state-spec.js';
import { reason } from './reasons.js';
import type { ConditionCheck, ScoredEntry } from './types.js';

type Challenge = Campaign['challenges'][number];
type Streak = NonNullable<Campaign['streaks']>;

/** Awards that start (+1) or stop (−1) standing in the decision being made. */
export interface AwardChange {
  ruleId: string;
  at: number;
  delta: 1 | -1;
}

export function challengeCheck(challenge: Challenge, state: MemberState, changes: readonly AwardChange[]): ConditionCheck {
  const { from, to } = challenge.window;
  const changed = changes
    .filter((change) => change.ruleId === challenge.rule && change.at >= from.getTime() && change.at <= to.getTime())
    .reduce((sum, change) => sum + change.delta, 0);
  const count = (state.challenges[challenge.id] ?? 0) + changed;
  return { condition: 'challenge_count', passed: count >= challenge.count, expected: challenge.count, actual: count };
}

/** The longest run of consecutive campaign-local days with a standing award of the streak's rule. */
export function longestStreak(streak: Streak, state: MemberState, spec: StateSpec, changes: readonly AwardChange[]): number {
  const counts = new Map(Object.entries(state.rules[streak.rule]?.days ?? {}).map(([day, count]) => [Number(day), count]));
  for (const change of changes) {
    if (change.ruleId !== streak.rule) continue;
    const day = dayOf(spec, change.at);
    counts.set(day, (counts.get(day) ?? 0) + change.delta);
  }
  const days = [...counts].filter(([, count]) => count > 0).map(([day]) => day).sort((a, b) => a - b);
  let longest = 0;
  let run = 0;
  days.forEach((day, index) => {
    run = index > 0 && days[index - 1] === day - 1 ? run + 1 : 1;
    longest = Math.max(longest, run);
  });
  return longest;
}

export function streakCheck(streak: Streak, state: MemberState, spec: StateSpec, changes: readonly AwardChange[]): ConditionCheck {
  const longest = longestStreak(streak, state, spec, changes);
  return { condition: 'streak_days', passed: longest >= streak.days, expected: streak.days, actual: longest };
}

function hasStanding(state: MemberState, ruleId: string): boolean {
  return (state.rules[ruleId]?.n ?? 0) > 0;
}

/**
 * Bonuses the awards just made unlock. A bonus takes the status of the award
 * that unlocked it, so a held award unlocks a held bonus that a reviewer
 * decides together with it.
 */
export function unlockedBonuses(input: {
  campaign: Campaign;
  spec: StateSpec;
  state: MemberState;
  awarded: readonly ScoredEntry[];
  eventKey: string;
  occurredAt: Date;
  status: LedgerStatus;
}): ScoredEntry[] {
  const { campaign, spec, state, awarded, eventKey, occurredAt, status } = input;
  const changes: AwardChange[] = awarded.map((entry) => ({ ruleId: entry.ruleId, at: entry.occurredAt.getTime(), delta: 1 }));
  const awardedRuleIds = new Set(awarded.map((entry) => entry.ruleId));
  const bonuses: ScoredEntry[] = [];
  for (const challenge of campaign.challenges) {
    const ruleId = challengeRuleId(challenge);
    if (!awardedRuleIds.has(challenge.rule) || hasStanding(state, ruleId)) continue;
    const check = challengeCheck(challenge, state, changes);
    if (!check.passed) continue;
    bonuses.push({
      eventKey, ruleId, kind: 'bonus', points: challenge.bonus, status, occurredAt,
      reason: reason('CHALLENGE_BONUS', { points: challenge.bonus, challenge: challenge.id }),
      explain: { conditions: [check], limits: [] },
    });
  }
  const { streaks } = campaign;
  if (streaks && awardedRuleIds.has(streaks.rule) && !hasStanding(state, streakRuleId(streaks))) {
    const check = streakCheck(streaks, state, spec, changes);
    if (check.passed) {
      bonuses.push({
        eventKey, ruleId: streakRuleId(streaks), kind: 'bonus', points: streaks.bonus, status, occurredAt,
        reason: reason('STREAK_BONUS', { points: streaks.bonus, days: streaks.days }),
        explain: { conditions: [check], limits: [] },
      });
    }
  }
  return bonuses;
}
