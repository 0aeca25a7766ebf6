/**
 * src/scoring/rules owns the rules engine: pure functions that take an event,
 * the member's earlier ledger entries in the campaign, the campaign and `now`,
 * and return ledger entries to write and the reasons behind every decision.
 * It must not do I/O, read the clock or the environment, or know how the
 * ledger is stored; the ledger store loads the facts and writes the entries.
 */
export { scoreEvent, type ScoreEventInput } from './score-event.js';
export { balanceOf, earnedOf, pointsUnderReview, REVIEW_RULE_PREFIX, standingAwards } from './facts.js';
export { tierFor, applyMultiplier, recordedTierId, TIER_RULE_PREFIX, type Tier } from './tiers.js';
export { checkRedemption, nextReward, redemptionError, REWARD_RULE_PREFIX } from './rewards.js';
export type { NextReward, RedemptionCheck, RedemptionRefusal } from './rewards.js';
export { expireLots, expiringSoon, lotBook, EXPIRE_RULE_PREFIX } from './expiry.js';
export type { ExpiringPoints, Lot, LotBook } from './expiry.js';
export { challengeRuleId, streakRuleId } from './bonuses.js';
export { UNSCORED_DELETION_RULE_ID } from './clawback.js';
export { localDayId, isoWeekId, monthId } from './calendar.js';
export * from './types.js';
