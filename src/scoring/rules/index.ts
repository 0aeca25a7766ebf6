/**
 * src/scoring/rules owns the rules engine: pure functions that take an event,
 * the member's state in the campaign (src/ledger/member-state.ts) and the
 * campaign, and return ledger entries to write and the reasons behind every
 * decision. It must not do I/O, read the clock or the environment, or know
 * how the ledger is stored; the shell loads the state and writes the entries.
 */
export { scoreEvent, type ScoreEventInput } from './score-event.js';
export { recordedTierId } from './tier-change.js';
export { checkRedemption, nextReward, redemptionError } from './rewards.js';
export type { NextReward, RedemptionCheck, RedemptionRefusal } from './rewards.js';
export { expireLots, expiringSoon, type ExpiringPoints } from './expiry.js';
export { deletedEventKeys } from './clawback.js';
export * from './types.js';
