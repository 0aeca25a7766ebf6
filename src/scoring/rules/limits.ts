/**
 * A rule's limits against the member's standing awards of that rule. Awards
 * are placed by occurredAt, so a backdated event is capped by the day and week
 * it happened in, and the cooldown looks both ways in time.
 */
import type { Campaign, CampaignRule } from '../../config/campaign-schema.js';
import { isoWeekId, localDayId } from './calendar.js';
import { reason } from './reasons.js';
import type { LedgerFact, LimitCheck, Reason } from './types.js';

export interface LimitOutcome {
  checks: LimitCheck[];
  failure?: Reason;
}

/**
 * Checked broadest first, so the reason names the limit that lasts longest
 * ("campaign limit reached" tells more than "daily limit reached").
 */
export function checkLimits(input: {
  rule: CampaignRule;
  occurredAt: Date;
  campaign: Campaign;
  /** Standing awards of this rule, without the event being scored. */
  awards: readonly LedgerFact[];
}): LimitOutcome {
  const { rule, occurredAt, campaign, awards } = input;
  const { limits } = rule;
  const zone = campaign.timezone;
  const checks: LimitCheck[] = [];
  const failures: Reason[] = [];
  const cap = (
    limit: 'per_campaign' | 'per_week' | 'per_day',
    max: number,
    period: string,
    periodOf: (at: Date) => string,
    failure: () => Reason,
  ): void => {
    const used = awards.filter((award) => periodOf(award.occurredAt) === period).length;
    const passed = used < max;
    checks.push({ limit, passed, max, used, period });
    if (!passed) failures.push(failure());
  };

  if (limits.per_campaign !== undefined) {
    const max = limits.per_campaign;
    cap('per_campaign', max, 'campaign', () => 'campaign', () => reason('LIMIT_PER_CAMPAIGN', { rule: rule.id, max }));
  }
  if (limits.per_week !== undefined) {
    const max = limits.per_week;
    cap('per_week', max, isoWeekId(occurredAt, zone), (at) => isoWeekId(at, zone), () => reason('LIMIT_PER_WEEK', { rule: rule.id, max }));
  }
  if (limits.per_day !== undefined) {
    const max = limits.per_day;
    cap('per_day', max, localDayId(occurredAt, zone), (at) => localDayId(at, zone), () => reason('LIMIT_PER_DAY', { rule: rule.id, max }));
  }
  if (limits.cooldown !== undefined) {
    const cooldownMs = limits.cooldown;
    const nearest = awards.reduce<number | null>((closest, award) => {
      const gap = Math.abs(award.occurredAt.getTime() - occurredAt.getTime());
      return closest === null ? gap : Math.min(closest, gap);
    }, null);
    const passed = nearest === null || nearest >= cooldownMs;
    checks.push({ limit: 'cooldown', passed, max: cooldownMs, used: nearest, period: 'either side' });
    if (!passed) failures.push(reason('COOLDOWN', { rule: rule.id, cooldownMs }));
  }
  const [failure] = failures;
  return failure === undefined ? { checks } : { checks, failure };
}
