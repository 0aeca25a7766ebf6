/**
 * The ledger's vocabulary, shared by every stage: entry kinds and statuses,
 * how an entry moves the balance and the points earned, and the rule ids of
 * entries no campaign rule wrote (tiers, rewards, expiry, reversals, reviews,
 * replays, bonuses). Pure words; the ledger itself lives in src/ledger.
 */
export const LEDGER_KINDS = ['earn', 'bonus', 'redeem', 'expire', 'reverse', 'adjust'] as const;
export type LedgerKind = (typeof LEDGER_KINDS)[number];
export const LEDGER_STATUSES = ['posted', 'held', 'rejected'] as const;
export type LedgerStatus = (typeof LEDGER_STATUSES)[number];

/** Names one ledger entry: the unique key (campaignId, eventKey, ruleId) minus the campaign. */
export interface LedgerRef {
  eventKey: string;
  ruleId: string;
}

export function refKey(ref: LedgerRef): string {
  return `${ref.eventKey}\u0000${ref.ruleId}`;
}

/** Kinds whose points count as earned (tiers, leaderboards); redemptions and expiry only lower the balance. */
export const EARNING_KINDS: ReadonlySet<LedgerKind> = new Set(['earn', 'bonus', 'reverse', 'adjust']);

/** Held and rejected points never count in the balance. */
export function balanceDelta(entry: { status: LedgerStatus; points: number }): number {
  return entry.status === 'posted' ? entry.points : 0;
}

export function earnedDelta(entry: { status: LedgerStatus; points: number; kind: LedgerKind }): number {
  return entry.status === 'posted' && EARNING_KINDS.has(entry.kind) ? entry.points : 0;
}

export function isAward(entry: { kind: LedgerKind }): boolean {
  return entry.kind === 'earn' || entry.kind === 'bonus';
}

/** A tier change: a zero-point `adjust` entry `tier:<tier id>`. */
export const TIER_RULE_PREFIX = 'tier:';
/** A redemption: `reward:<reward id>`. */
export const REWARD_RULE_PREFIX = 'reward:';
/** A cancelled voucher's points given back: `refund:<reward id>` (a `redeem` entry with positive points). */
export const REFUND_RULE_PREFIX = 'refund:';
/** An expired lot: `expire:<the lot's rule id>`. */
export const EXPIRE_RULE_PREFIX = 'expire:';
/** A reversal after a deletion, or of a bonus that no longer qualifies: `reverse:<rule id>`. */
export const REVERSE_RULE_PREFIX = 'reverse:';
/** A deletion recorded before its comment was scored: the comment earns nothing when it comes. */
export const UNSCORED_DELETION_RULE_ID = 'reverse:unscored';
/** A held reversal putting an earlier award under review: `review:<award rule>:<award eventKey>`. */
export const REVIEW_RULE_PREFIX = 'review:';
/** A buyer's bonus for an order with a referral or influencer code: `referral:<program id>`. */
export const REFERRAL_RULE_PREFIX = 'referral:';
/** A code owner's bonus for someone else's order with their code: `referrer:<program id>`. */
export const REFERRER_RULE_PREFIX = 'referrer:';
/** A replay adjustment: `replay:<campaign revision>`. */
export const REPLAY_RULE_PREFIX = 'replay:';

const CHALLENGE_RULE_PREFIX = 'challenge:';
const STREAK_RULE_PREFIX = 'streak:';
export const challengeRuleId = (challenge: { id: string }): string => `${CHALLENGE_RULE_PREFIX}${challenge.id}`;
export const streakRuleId = (streak: { rule: string }): string => `${STREAK_RULE_PREFIX}${streak.rule}`;

/** A challenge or streak bonus: paid once per campaign, taken back when it no longer qualifies. */
export function isCampaignBonus(ruleId: string): boolean {
  return ruleId.startsWith(CHALLENGE_RULE_PREFIX) || ruleId.startsWith(STREAK_RULE_PREFIX);
}

export function isReviewReversal(entry: { kind: LedgerKind; ruleId: string }): boolean {
  return entry.kind === 'reverse' && entry.ruleId.startsWith(REVIEW_RULE_PREFIX);
}

/** A reversal that undoes its award when posted (a deletion's, or a bonus's that no longer qualifies). */
export function isClawback(entry: { kind: LedgerKind; ruleId: string; refersTo?: LedgerRef | undefined }): boolean {
  return entry.kind === 'reverse' && entry.refersTo !== undefined && !entry.ruleId.startsWith(REVIEW_RULE_PREFIX);
}
