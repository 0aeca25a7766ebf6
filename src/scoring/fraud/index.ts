/**
 * src/scoring/fraud owns the fraud score of one engagement event: the signals,
 * their reason codes and texts, and the history they read. It is pure: no I/O,
 * no clock, no configuration reading. Loading history (see `queries.ts`),
 * storing verdicts and holding points belong to the shell around it.
 */
export { CLEARABLE_FRAUD_SIGNALS, FRAUD_SIGNAL_CODES, fraudSignalCodeSchema, type FraudSignalCode } from '../../domain/fraud-codes.js';
export { DEFAULT_FRAUD_WEIGHTS } from './catalog.js';
export { clearanceAfter, clearedCodes, type ClearanceTerms } from './clearance.js';
export { scoreFraud, scoreOf, decisionFor, weightOf, fraudListsFor, type FraudInput } from './score.js';
export { buildRecentActivity, priorActionOf, type HistorySource } from './history.js';
export { coActorRanges, planHistoryQueries, planFollowUpQueries, type HistoryQueryPlan, type FollowUpQueryPlan, type TimeRange } from './queries.js';
export { FRAUD_WINDOWS } from './windows.js';
export { textFeaturesOfText, textSimilarity, type TextFeatures } from './text.js';
export { listKeysOf } from './signals/lists.js';
export type { FraudDecision, FraudLists, FraudSignal, FraudText, FraudVerdict, FraudWave, PriorAction, RecentActivity, ReferralEvidence } from './types.js';
