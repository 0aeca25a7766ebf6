/**
 * src/platforms/accounts owns the brand accounts nuqta reads on the brands'
 * behalf and what reading them needs, whatever the platform: the account
 * store (tokens encrypted at rest, kept alive by scheduled refreshes), call budgets and platform failures,
 * pauses and alerts, the per-media comment pass with its watermarks, and one
 * poll of one account. It never names an endpoint (instagram/ and tiktok/
 * do), never schedules (src/ingestion/pollers.ts does), never scores, and
 * never logs or prints a token.
 */
export { accountKeyOf, LOGIN_TYPES, LOGINS_BY_PLATFORM, PAUSE_REASONS } from './account.js';
export type { AccountPause, AccountRef, AccountStatus, ConnectedAccount, LoginType, PauseReason, TokenRefreshState } from './account.js';
export { accountsReadiness, actOnFailure, gaugeStoppedAccounts, pauseAccount, requireReauth, stopForRemovedAuthorization } from './account-alerts.js';
export type { AccountsReadiness, AlertDeps, RefreshFailing, StoppedAccount } from './account-alerts.js';
export { openSession, pollAccount, recentMedia, refreshedDuring } from './account-poll.js';
export type { PlatformHosts, PlatformPolling, PollerDeps, PollOptions, PollOutcome, PollReport, PollSession } from './account-poll.js';
export { MongoAccountStore } from './account-store.js';
export type { AccountInput, AccountStore, RefreshedToken } from './account-store.js';
export { CallBudget, usageFromHeaders } from './call-budget.js';
export { runCommentPass, TRACKED_LIMIT } from './comment-pass.js';
export { connectAccount, REQUIRED_WEBHOOK_FIELDS } from './connect.js';
export type { ConnectReport, ConnectRequest } from './connect.js';
export { isPlatformCallError, PlatformCallError, PlatformHttp } from './platform-call.js';
export type { CallFailure } from './platform-call.js';
export type { Page, PlatformReader, PolledComment, PolledMedia } from './platform-reader.js';
export { MongoPollStateStore } from './poll-state-store.js';
export type { BackfillState, HashtagCandidate, MediaState, TrackedComment } from './poll-state-store.js';
export { TokenCipher } from './token-cipher.js';
export { keepTokenFresh, refreshDueAt, retryDelayMs, REFRESH_ATTEMPTS_BEFORE_ALERT } from './token-refresh.js';
export type { RefreshRequest, TokenLock, TokenRefresher } from './token-refresh.js';
export type { EncryptedToken } from './token-cipher.js';
