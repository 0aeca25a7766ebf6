/**
 * The shapes the rules engine returns: the ledger entries to write and, for
 * every rule that did not award, the reason and the checks behind it. What
 * it reads is the member's state (src/ledger/member-state.ts).
 */
import type { LedgerKind, LedgerRef, LedgerStatus } from '../../domain/ledger.js';
import type { Localized } from '../../domain/localized.js';

export const REASON_CODES = [
  'EARNED',
  'FIRST_TIME_BONUS',
  'CHALLENGE_BONUS',
  'STREAK_BONUS',
  'TIER_CHANGED',
  'REVERSED_DELETED',
  'REVERSED_NO_LONGER_QUALIFIES',
  'DELETED_BEFORE_SCORED',
  'EXPIRED',
  'REDEEMED',
  'VOUCHER_CANCELLED',
  'NO_RULE_FOR_KIND',
  'EARNED_AS_HASHTAG_POST',
  'OUTSIDE_CAMPAIGN_WINDOW',
  'CAMPAIGN_PAUSED',
  'UNVERIFIED_NOT_ACCEPTED',
  'CONDITION_FAILED',
  'EVENT_DELETED',
  'FIRST_TIME_ALREADY_AWARDED',
  'LIMIT_PER_DAY',
  'LIMIT_PER_WEEK',
  'LIMIT_PER_CAMPAIGN',
  'COOLDOWN',
  'REFERRAL_BONUS',
  'REFERRER_BONUS',
  'REFERRAL_CODE_UNKNOWN',
  'REFERRAL_CODE_NOT_VALID',
  'REFERRAL_OWN_CODE',
  'REFERRAL_CODE_EXHAUSTED',
  'REFERRAL_MEMBER_LIMIT',
  'REFERRAL_NOT_FIRST_ORDER',
  'REFERRAL_BELOW_MINIMUM',
  'REVERSED_REFUNDED',
  'REFUNDED_BEFORE_SCORED',
  'ORDER_REFUNDED',
] as const;
export type ReasonCode = (typeof REASON_CODES)[number];

/** A stable code for programs and a sentence for people, in both languages. */
export interface Reason {
  code: ReasonCode;
  text: Localized;
}

/** Plain JSON so an explanation can be stored as is and returned by the API. */
export type ExplainValue = string | number | boolean | readonly string[] | null;

/** The `when:` conditions a campaign rule may set. */
export type RuleConditionName = 'min_text_length' | 'on_campaign_media' | 'hashtag' | 'platform';

export type ConditionName =
  | RuleConditionName
  | 'campaign_window'
  | 'not_paused'
  | 'verified'
  | 'not_deleted'
  | 'first_time'
  | 'challenge_count'
  | 'streak_days'
  | 'min_earned'
  | 'expires_at'
  | 'balance'
  | 'stock'
  | 'referral_code'
  | 'code_valid'
  | 'not_own_code'
  | 'code_uses'
  | 'member_code_uses'
  | 'first_order'
  | 'min_order'
  | 'not_refunded';

export interface ConditionCheck {
  condition: ConditionName;
  passed: boolean;
  expected: ExplainValue;
  actual: ExplainValue;
}

export type LimitName = 'per_day' | 'per_week' | 'per_campaign' | 'cooldown';

/**
 * For caps, `used` awards out of `max` in `period` (a campaign-local day
 * `2027-03-05`, ISO week `2027-W09` or `campaign`). For the cooldown, `max` is
 * the cooldown and `used` the time to the nearest award of the rule, both in
 * milliseconds (`null` when there is no other award).
 */
export interface LimitCheck {
  limit: LimitName;
  passed: boolean;
  max: number;
  used: number | null;
  period: string;
}

export interface TierApplied {
  id: string;
  multiplier: number;
  basePoints: number;
  points: number;
}

/** What a referral award rests on: the code, its program and, for the buyer's award, the referrer it earns too. */
export interface ReferralExplain {
  code: string;
  program: string;
  /** The order's event key (the buyer's purchase). */
  order: string;
  /** Member codes: the code's owner and what the order earns them. */
  referrer?: { memberId: string; points: number };
  /** On the referrer's award: who bought. */
  buyer?: { memberId: string; username?: string | undefined };
}

export interface Explain {
  conditions: readonly ConditionCheck[];
  limits: readonly LimitCheck[];
  tier?: TierApplied;
  referral?: ReferralExplain;
}

/** An entry scoring asks the ledger to write (the store adds campaignId, memberId, seq, createdAt, by). */
export interface ScoredEntry extends LedgerRef {
  kind: LedgerKind;
  points: number;
  status: LedgerStatus;
  occurredAt: Date;
  reason: Reason;
  explain: Explain;
  refersTo?: LedgerRef;
}

/** Why an event earned nothing under one rule (or under none, without ruleId). */
export interface NonAward {
  eventKey: string;
  ruleId?: string;
  reason: Reason;
  explain: Explain;
}

export interface TierChange {
  from: string;
  to: string;
}

export interface ScoringResult {
  entries: readonly ScoredEntry[];
  nonAwards: readonly NonAward[];
  /** Posted balance before and after writing `entries` (held entries never count). */
  balance: { before: number; after: number };
  /** A clawback can take back points already redeemed; the shell must surface it, not hide it. */
  negativeBalance: boolean;
  tierChange?: TierChange;
  /** A paid order with a member's code: what the code's owner earns (a member task in their partition writes it). */
  referrer?: ReferralExplain & { referrer: { memberId: string; points: number } };
}
