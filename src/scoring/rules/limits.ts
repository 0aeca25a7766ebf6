/**
 * A rule's limits against the member's standing awards of that rule, as the
 * member state counts them. Awards are placed by occurredAt, so a backdated
 * event is capped by the day and week it happened in, and the cooldown looks
 * both ways in time.
 */
import type { CampaignRule } from '../../config/campaign-schema.js';
import { isoWeekId, localDayId, weekStartOf } from '../../domain/calendar.js';
import { dayOf, insertionIndex, type MemberState } from '../../ledger/member-state.js';
import type { StateSpec } from '../../ledger/state-spec.js';
import { reason } from './reasons.js';
import type { LimitCheck, Reason } from './types.js';

export interface LimitOutcome {
  checks: LimitCheck[];
  failure?: Reason;
}

/** Standing awards of the rule on each day of the ISO week that holds `day`. */
function weekCount(days: Readonly<Record<string, number>>, day: number): number {
  const monday = weekStartOf(day);
  let count = 0;
  for (let offset = 0; offset < 7; offset += 1) count += days[String(monday + offset)] ?? 0;
  return count;
}

/** Milliseconds to the nearest standing award time, before or after; null when there is none. */
function nearestGap(times: readonly number[], at: number): number | null {
  const index = insertionIndex(times, at);
  const after = times[index];
  const before = times[index - 1];
  const gaps = [after === undefined ? undefined : after - at, before === undefined ? undefined : at - before].filter((gap): gap is number => gap !== undefined);
  return gaps.length === 0 ? null : Math.min(...gaps);
}

/**
 * Checked broadest first, so the reason names the limit that lasts longest
 * ("campaign limit reached" tells more than "daily limit reached").
 */
export function checkLimits(input: { rule: CampaignRule; occurredAt: Date; state: MemberState; spec: StateSpec }): LimitOutcome {
  const { rule, occurredAt, state, spec } = input;
  const { limits } = rule;
  const tally = state.rules[rule.id];
  const days = tally?.days ?? {};
  const at = occurredAt.getTime();
  const day = dayOf(spec, at);
  const checks: LimitCheck[] = [];
  const failures: Reason[] = [];
  const cap = (limit: 'per_campaign' | 'per_week' | 'per_day', max: number, period: string, used: number, failure: () => Reason): void => {
    const passed = used < max;
    checks.push({ limit, passed, max, used, period });
    if (!passed) failures.push(failure());
  };

  if (limits.per_campaign !== undefined) {
    const max = limits.per_campaign;
    cap('per_campaign', max, 'campaign', tally?.n ?? 0, () => reason('LIMIT_PER_CAMPAIGN', { rule: rule.id, max }));
  }
  if (limits.per_week !== undefined) {
    const max = limits.per_week;
    cap('per_week', max, isoWeekId(occurredAt, spec.timezone), weekCount(days, day), () => reason('LIMIT_PER_WEEK', { rule: rule.id, max }));
  }
  if (limits.per_day !== undefined) {
    const max = limits.per_day;
    cap('per_day', max, localDayId(occurredAt, spec.timezone), days[String(day)] ?? 0, () => reason('LIMIT_PER_DAY', { rule: rule.id, max }));
  }
  if (limits.cooldown !== undefined) {
    const cooldownMs = limits.cooldown;
    const nearest = nearestGap(tally?.times ?? [], at);
    const passed = nearest === null || nearest >= cooldownMs;
    checks.push({ limit: 'cooldown', passed, max: cooldownMs, used: nearest, period: 'either side' });
    if (!passed) failures.push(reason('COOLDOWN', { rule: rule.id, cooldownMs }));
  }
  const [failure] = failures;
  return failure === undefined ? { checks } : { checks, failure };
}
