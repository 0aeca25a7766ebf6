/**
 * Whether one event qualifies under one rule, before any limit: the campaign
 * window, verification and the rule's `when:` conditions. Every check is
 * recorded, passed or not, so "why did this earn nothing" has a full answer.
 */
import { pauseAt, type CampaignRule, type Campaign } from '../../config/campaign-schema.js';
import type { EngagementEvent } from '../../domain/event.js';
import { reason } from './reasons.js';
import type { ConditionCheck, Reason } from './types.js';

export interface Qualification {
  checks: ConditionCheck[];
  /** The first failed check as a reason; absent when the event qualifies. */
  failure?: Reason;
}

/** Inclusive at both ends: `ends_at: …T23:59:59+03:00` still admits that second. */
export function inCampaignWindow(at: Date, campaign: Campaign): boolean {
  return at >= campaign.starts_at && at <= campaign.ends_at;
}

/** Counted in code points of the trimmed text, so an emoji or an Arabic letter is one. */
export function textLength(text: string | undefined): number {
  return text === undefined ? 0 : [...text.trim()].length;
}

/** The campaign window, and (only for a campaign that was ever paused, so every other explanation reads as before) the pauses. */
export function campaignTimeChecks(at: Date, campaign: Campaign): { check: ConditionCheck; failure: Reason }[] {
  const window = `${campaign.starts_at.toISOString()}..${campaign.ends_at.toISOString()}`;
  const checks = [{
    check: { condition: 'campaign_window' as const, passed: inCampaignWindow(at, campaign), expected: window, actual: at.toISOString() },
    failure: at < campaign.starts_at
      ? reason('OUTSIDE_CAMPAIGN_WINDOW', { side: 'before', edge: campaign.starts_at.toISOString() })
      : reason('OUTSIDE_CAMPAIGN_WINDOW', { side: 'after', edge: campaign.ends_at.toISOString() }),
  }];
  if (campaign.pauses.length === 0) return checks;
  const pause = pauseAt(campaign, at);
  return [...checks, {
    check: { condition: 'not_paused' as const, passed: pause === undefined, expected: 'outside every pause', actual: at.toISOString() },
    failure: reason('CAMPAIGN_PAUSED', { since: pause?.from.toISOString() ?? '' }),
  }];
}

export function qualify(input: {
  rule: CampaignRule;
  event: EngagementEvent;
  campaign: Campaign;
  /** A comment_deleted (or, for a purchase, an order_refunded) for this very event was already recorded. */
  deleted: boolean;
}): Qualification {
  const { rule, event, campaign, deleted } = input;
  const checks: ConditionCheck[] = [];
  const failures: Reason[] = [];
  const record = (check: ConditionCheck, failureReason: () => Reason): void => {
    checks.push(check);
    if (!check.passed) failures.push(failureReason());
  };

  for (const { check, failure } of campaignTimeChecks(event.occurredAt, campaign)) record(check, () => failure);
  record(
    {
      condition: 'verified',
      passed: event.verified || rule.accept_unverified,
      expected: rule.accept_unverified ? 'verified or unverified' : 'verified',
      actual: event.verified ? 'verified' : 'unverified',
    },
    () => reason('UNVERIFIED_NOT_ACCEPTED', { rule: rule.id }),
  );
  if (event.kind === 'purchase') {
    record({ condition: 'not_refunded', passed: !deleted, expected: false, actual: deleted }, () => reason('ORDER_REFUNDED', { rule: rule.id }));
  } else {
    record({ condition: 'not_deleted', passed: !deleted, expected: false, actual: deleted }, () => reason('EVENT_DELETED', { rule: rule.id }));
  }

  const { when } = rule;
  if (when.min_text_length !== undefined) {
    const length = textLength(event.text);
    const expected = when.min_text_length;
    record({ condition: 'min_text_length', passed: length >= expected, expected, actual: length }, () =>
      reason('CONDITION_FAILED', { rule: rule.id, condition: 'min_text_length', expected: String(expected) }),
    );
  }
  if (when.on_campaign_media === true) {
    const mediaId = event.target.mediaId ?? null;
    record(
      { condition: 'on_campaign_media', passed: mediaId !== null && campaign.media.includes(mediaId), expected: campaign.media, actual: mediaId },
      () => reason('CONDITION_FAILED', { rule: rule.id, condition: 'on_campaign_media', expected: campaign.media.join(', ') }),
    );
  }
  if (when.hashtag === true) {
    const passed = event.hashtags.some((tag) => campaign.hashtags.includes(tag));
    record({ condition: 'hashtag', passed, expected: campaign.hashtags, actual: event.hashtags }, () =>
      reason('CONDITION_FAILED', {
        rule: rule.id,
        condition: 'hashtag',
        expected: campaign.hashtags.map((tag) => `#${tag}`).join(' '),
      }),
    );
  }
  if (when.platform !== undefined) {
    const expected = when.platform;
    record({ condition: 'platform', passed: event.platform === expected, expected, actual: event.platform }, () =>
      reason('CONDITION_FAILED', { rule: rule.id, condition: 'platform', expected }),
    );
  }
  const [failure] = failures;
  return failure === undefined ? { checks } : { checks, failure };
}
