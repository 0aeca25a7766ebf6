/**
 * What happens when a platform stops answering for an account. A throttle or
 * a spent budget pauses the account until it may call again (routine, logged
 * as a warning). An expired or revoked token, or a removed authorization,
 * needs a person: the account waits for a new token, and an alert is raised
 * three ways: `nuqta_account_alerts_total`, an error log line, and the
 * account listed under `accounts` in `/readyz`.
 */
import type { Logger } from '../../log.js';
import type { Metrics } from '../../metrics.js';
import { accountKeyOf, type AccountRef, type ConnectedAccount, type PauseReason } from './account.js';
import type { AccountStore } from './account-store.js';
import type { CallFailure } from './platform-call.js';

export interface AlertDeps {
  accounts: AccountStore;
  metrics: Metrics;
  logger: Logger;
}

export async function pauseAccount(deps: AlertDeps, ref: AccountRef, pause: { reason: PauseReason; detail: string; since: Date; until: Date }): Promise<void> {
  await deps.accounts.pause(ref, 'paused', pause);
  deps.logger.warn({ account: accountKeyOf(ref), reason: pause.reason, until: pause.until, detail: pause.detail }, 'account paused until the platform allows calls again');
}

export async function requireReauth(deps: AlertDeps, ref: AccountRef, reason: PauseReason, detail: string, now: Date): Promise<void> {
  await deps.accounts.pause(ref, 'needs_reauth', { reason, detail, since: now });
  deps.metrics.accountAlerts.inc({ platform: ref.platform, reason });
  deps.logger.error(
    { account: accountKeyOf(ref), reason, detail },
    'account needs to be reconnected: polling stopped until `nuqta accounts add` stores a new token',
  );
}

/** The platform says the account withdrew its authorization (TikTok `authorization.removed`); false when it is not connected here. */
export async function stopForRemovedAuthorization(deps: AlertDeps, ref: AccountRef, detail: string, now: Date): Promise<boolean> {
  if ((await deps.accounts.get(ref)) === null) return false;
  await requireReauth(deps, ref, 'authorization_removed', detail, now);
  return true;
}

/** Acts on a failure that stops the account's poll; false when the failure concerns one request only. */
export async function actOnFailure(deps: AlertDeps, ref: AccountRef, failure: CallFailure, detail: string, now: Date): Promise<boolean> {
  switch (failure.kind) {
    case 'throttled':
      await pauseAccount(deps, ref, { reason: 'throttled', detail, since: now, until: failure.until });
      return true;
    case 'budget':
      await pauseAccount(deps, ref, { reason: 'rate_budget', detail, since: now, until: failure.until });
      return true;
    case 'auth':
      await requireReauth(deps, ref, /^(190|102|40102|40104|40105)\b/.test(failure.code) ? 'token_expired' : 'permission_missing', detail, now);
      return true;
    case 'refused':
    case 'failed':
      return false;
  }
}

/** Accounts not being polled, for `/readyz` and the `nuqta_accounts_paused` gauge. */
export interface StoppedAccount {
  platform: ConnectedAccount['platform'];
  accountId: string;
  status: 'paused' | 'needs_reauth';
  reason: PauseReason;
  detail: string;
  since: Date;
  until?: Date;
}

export function stoppedAccounts(accounts: readonly ConnectedAccount[]): StoppedAccount[] {
  return accounts.flatMap((account) => {
    if (account.status === 'active' || account.pause === undefined) return [];
    const { reason, detail, since, until } = account.pause;
    return [{ platform: account.platform, accountId: account.accountId, status: account.status, reason, detail, since, ...(until === undefined ? {} : { until }) }];
  });
}

/** Long-lived Instagram tokens last about 60 days; a week's warning leaves time to reconnect. */
export const TOKEN_EXPIRY_WARNING_MS = 7 * 86_400_000;

/** An account still polled whose token refreshes keep failing: it stops at `stopsAt` unless reconnected. */
export interface RefreshFailing {
  platform: ConnectedAccount['platform'];
  accountId: string;
  failures: number;
  lastError: string;
  stopsAt?: Date;
}

export interface AccountsReadiness {
  connected: number;
  paused: StoppedAccount[];
  /** Tokens that expire within TOKEN_EXPIRY_WARNING_MS, refreshed or not. */
  expiringSoon: { platform: ConnectedAccount['platform']; accountId: string; tokenExpiresAt: Date }[];
  /** Accounts whose refresh failures raised the alert. */
  refreshFailing: RefreshFailing[];
}

/**
 * The `accounts` section of `/readyz`: listed for operators, never a reason
 * to be unready; undefined (no section) while no account is connected.
 */
export async function accountsReadiness(accounts: Pick<AccountStore, 'list'>, now: Date): Promise<AccountsReadiness | undefined> {
  const all = await accounts.list().catch((): ConnectedAccount[] => []);
  if (all.length === 0) return undefined;
  const expiringSoon = all.flatMap((account) =>
    account.status === 'active' && account.tokenExpiresAt !== undefined && account.tokenExpiresAt.getTime() - now.getTime() < TOKEN_EXPIRY_WARNING_MS
      ? [{ platform: account.platform, accountId: account.accountId, tokenExpiresAt: account.tokenExpiresAt }]
      : []);
  const refreshFailing = all.flatMap((account): RefreshFailing[] => {
    const refresh = account.tokenRefresh;
    if (account.status !== 'active' || refresh?.alertedAt === undefined) return [];
    const failing = { platform: account.platform, accountId: account.accountId, failures: refresh.failures, lastError: refresh.lastError ?? '' };
    return [account.tokenExpiresAt === undefined ? failing : { ...failing, stopsAt: account.tokenExpiresAt }];
  });
  return { connected: all.length, paused: stoppedAccounts(all), expiringSoon, refreshFailing };
}

/** Sets `nuqta_accounts_paused` from the store, so every process reports the same numbers. */
export async function gaugeStoppedAccounts(metrics: Metrics, accounts: Pick<AccountStore, 'list'>): Promise<void> {
  const all = await accounts.list().catch(() => undefined);
  if (all === undefined) return;
  metrics.accountsPaused.reset();
  for (const account of stoppedAccounts(all)) metrics.accountsPaused.inc({ platform: account.platform, status: account.status });
}
