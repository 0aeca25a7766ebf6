/**
 * Keeping a connected account's token alive, whatever the platform: when a
 * refresh is due (halfway through the token's life, as the platform's last
 * answer stated it, and never before the platform allows), one process
 * refreshes it under a Redis lock, re-reading the account first in case
 * another process just did, and stores the new token (and TikTok's rotated
 * refresh token) before the lock is released. A failure is retried on a
 * growing back-off; after REFRESH_ATTEMPTS_BEFORE_ALERT failures, or at once
 * when the platform refuses the refresh outright, the account alert is
 * raised with the date polling will stop. Polling goes on with the current
 * token until then; past that date the account waits for a new token.
 */
import type { NuqtaConfig } from '../../config/env.js';
import type { Platform } from '../../domain/event.js';
import { NuqtaError } from '../../errors.js';
import type { Logger } from '../../log.js';
import type { Metrics } from '../../metrics.js';
import { accountKeyOf, type AccountRef, type ConnectedAccount, type TokenRefreshState } from './account.js';
import type { AccountStore, RefreshedToken } from './account-store.js';
import { isPlatformCallError, type PlatformHttp } from './platform-call.js';

export const REFRESH_RETRY_BASE_MS = 60_000;
export const REFRESH_RETRY_MAX_MS = 60 * 60_000;
export const REFRESH_ATTEMPTS_BEFORE_ALERT = 5;

/** Where and as which app a refresh calls. */
export type RefreshHosts = Pick<NuqtaConfig, 'IG_LOGIN_GRAPH_URL' | 'TIKTOK_OAUTH_URL' | 'TIKTOK_CLIENT_KEY' | 'TIKTOK_CLIENT_SECRET'>;

export interface RefreshRequest {
  account: ConnectedAccount;
  token: string;
  refreshToken: string | undefined;
  deps: { http: PlatformHttp; hosts: RefreshHosts };
  now: Date;
}

/** A platform's way of renewing tokens (instagram/token-refresh.ts, tiktok/token-refresh.ts). */
export interface TokenRefresher {
  /** Whether this account's token can be refreshed at all (login type, a refresh token held). */
  refreshes(account: ConnectedAccount): boolean;
  /** The youngest token the platform agrees to refresh. */
  minAgeMs: number;
  refresh(request: RefreshRequest): Promise<RefreshedToken>;
}

/** A lock on one account's tokens, held across processes while a refresh runs. */
export type TokenLock = (ref: AccountRef) => Promise<{ release(): Promise<void> } | undefined>;

/** What keeping tokens fresh takes (the pollers' dependencies are these and more). */
export interface TokenRefreshDeps {
  accounts: AccountStore;
  metrics: Metrics;
  logger: Logger;
  http: PlatformHttp;
  hosts: RefreshHosts;
  clock: () => Date;
  tokenLock: TokenLock;
  platforms: Readonly<Record<Platform, { tokens?: TokenRefresher }>>;
}

/** When the account's token should next be refreshed. */
export function refreshDueAt(account: ConnectedAccount, minAgeMs: number): Date {
  const issuedAt = (account.tokenIssuedAt ?? account.connectedAt).getTime();
  // Halfway through the stated life leaves the other half for retries; without a stated life, refresh to learn it.
  const halfLife = account.tokenExpiresAt === undefined ? issuedAt : issuedAt + (account.tokenExpiresAt.getTime() - issuedAt) / 2;
  return new Date(Math.max(halfLife, issuedAt + minAgeMs, account.tokenRefresh?.retryAt?.getTime() ?? 0));
}

/** The back-off before the next attempt after `failures` failures in a row. */
export function retryDelayMs(failures: number): number {
  return Math.min(REFRESH_RETRY_MAX_MS, REFRESH_RETRY_BASE_MS * 2 ** Math.max(0, failures - 1));
}

/** Refreshes the account's token when due; returns the account as it now stands. */
export async function keepTokenFresh(deps: TokenRefreshDeps, account: ConnectedAccount): Promise<ConnectedAccount> {
  const refresher = deps.platforms[account.platform].tokens;
  if (refresher === undefined || !refresher.refreshes(account)) return account;
  if (refreshDueAt(account, refresher.minAgeMs) > deps.clock()) return account;
  const lock = await deps.tokenLock(account);
  // Another process is refreshing: the current token is good for half its life yet.
  if (lock === undefined) return account;
  try {
    // The lock's previous holder may have refreshed a moment ago: decide again on what is stored now.
    const current = await deps.accounts.get(account);
    if (current === null || current.status !== 'active' || refreshDueAt(current, refresher.minAgeMs) > deps.clock()) return current ?? account;
    await refreshNow(deps, refresher, current);
    return (await deps.accounts.get(account)) ?? current;
  } finally {
    await lock.release();
  }
}

async function refreshNow(deps: TokenRefreshDeps, refresher: TokenRefresher, account: ConnectedAccount): Promise<void> {
  const now = deps.clock();
  const ref = { platform: account.platform, accountId: account.accountId };
  try {
    if (account.refreshExpiresAt !== undefined && account.refreshExpiresAt <= now) {
      throw new NuqtaError('NUQTA_ACCOUNT_REJECTED', `the refresh token expired at ${account.refreshExpiresAt.toISOString()}`);
    }
    const [token, refreshToken] = await Promise.all([deps.accounts.accessToken(ref), deps.accounts.refreshToken(ref)]);
    const refreshed = await refresher.refresh({ account, token, refreshToken, deps, now });
    // Stored before the lock is released: TikTok has already retired the refresh token just used.
    await deps.accounts.saveRefreshed(ref, refreshed, now);
    deps.metrics.tokenRefreshes.inc({ platform: ref.platform, outcome: 'refreshed' });
    deps.logger.info({ account: accountKeyOf(ref), tokenExpiresAt: refreshed.tokenExpiresAt, refreshExpiresAt: refreshed.refreshExpiresAt }, 'access token refreshed');
  } catch (error) {
    const permanent = error instanceof NuqtaError || (isPlatformCallError(error) && error.failure.kind === 'auth');
    if (!permanent && !isPlatformCallError(error)) throw error;
    await recordFailure(deps, account, error.message, permanent, now);
  }
}

async function recordFailure(deps: TokenRefreshDeps, account: ConnectedAccount, message: string, permanent: boolean, now: Date): Promise<void> {
  const ref = { platform: account.platform, accountId: account.accountId };
  const previous = account.tokenRefresh;
  const failures = (previous?.failures ?? 0) + 1;
  const alert = previous?.alertedAt === undefined && (permanent || failures >= REFRESH_ATTEMPTS_BEFORE_ALERT);
  const state: TokenRefreshState = {
    failures,
    lastError: message,
    retryAt: new Date(now.getTime() + retryDelayMs(failures)),
    ...(previous?.lastRefreshedAt === undefined ? {} : { lastRefreshedAt: previous.lastRefreshedAt }),
    ...(alert ? { alertedAt: now } : previous?.alertedAt === undefined ? {} : { alertedAt: previous.alertedAt }),
  };
  await deps.accounts.recordRefreshFailure(ref, state);
  deps.metrics.tokenRefreshes.inc({ platform: ref.platform, outcome: 'failed' });
  const context = { account: accountKeyOf(ref), failures, retryAt: state.retryAt, stopsAt: account.tokenExpiresAt, err: message };
  if (!alert) {
    deps.logger.warn(context, 'token refresh failed; retried after a back-off');
    return;
  }
  deps.metrics.accountAlerts.inc({ platform: ref.platform, reason: 'token_refresh_failed' });
  deps.logger.error(
    context,
    `token refresh keeps failing: polling stops ${account.tokenExpiresAt === undefined ? 'when the token expires' : `at ${account.tokenExpiresAt.toISOString()}`} unless \`nuqta accounts add\` stores a new token`,
  );
}
