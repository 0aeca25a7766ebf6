/**
 * `nuqta accounts add`: before a token is stored, check that it works and
 * belongs to the account named, and (Instagram) that the account has
 * subscribed the app to the webhook fields nuqta needs — forgetting
 * `POST /{ig-user-id}/subscribed_apps` is the usual reason no webhook ever
 * arrives. Missing fields are subscribed when the token allows it; otherwise
 * the error says what is missing and how to fix it.
 */
import type { Platform } from '../../domain/event.js';
import { NuqtaError } from '../../errors.js';
import { GraphClient, graphBaseUrl } from '../instagram/graph-client.js';
import { BusinessClient, businessBaseUrl } from '../tiktok/business-client.js';
import { LOGINS_BY_PLATFORM, type AccountRef, type ConnectedAccount, type LoginType } from './account.js';
import type { PlatformHosts } from './account-poll.js';
import type { AccountStore } from './account-store.js';
import { CallBudget } from './call-budget.js';
import { isPlatformCallError, type PlatformHttp } from './platform-call.js';

/** Webhook fields each login needs: comments always; `mentions` exists only with Facebook Login. */
export const REQUIRED_WEBHOOK_FIELDS: Readonly<Record<LoginType, readonly string[]>> = {
  facebook_login: ['comments', 'mentions'],
  instagram_login: ['comments'],
  tiktok_business: [],
};

export interface ConnectRequest extends AccountRef {
  login: LoginType;
  token: string;
  tokenExpiresAt?: Date;
  refreshToken?: string;
  refreshExpiresAt?: Date;
  /** Skip the webhook subscription check (for apps whose subscription is made on the Facebook Page). */
  checkWebhooks?: boolean;
}

export interface ConnectReport {
  account: ConnectedAccount;
  /** Webhook fields the account is subscribed to after the check. */
  webhookFields: string[];
  /** Fields nuqta subscribed just now. */
  subscribedNow: string[];
}

export interface ConnectDeps {
  accounts: AccountStore;
  polls: { schedule(ref: AccountRef): Promise<void> };
  http: PlatformHttp;
  hosts: PlatformHosts;
  clock: () => Date;
}

export async function connectAccount(deps: ConnectDeps, request: ConnectRequest): Promise<ConnectReport> {
  if (!LOGINS_BY_PLATFORM[request.platform].includes(request.login)) {
    throw new NuqtaError('NUQTA_BAD_REQUEST', `--login for ${request.platform} must be one of ${LOGINS_BY_PLATFORM[request.platform].join(', ')}`);
  }
  const checked = request.platform === 'instagram' ? await checkInstagram(deps, request) : await checkTikTok(deps, request);
  const account = await deps.accounts.save(
    {
      platform: request.platform,
      accountId: request.accountId,
      login: request.login,
      token: request.token,
      ...(checked.username === undefined ? {} : { username: checked.username }),
      ...(request.tokenExpiresAt === undefined ? {} : { tokenExpiresAt: request.tokenExpiresAt }),
      ...(request.refreshToken === undefined ? {} : { refreshToken: request.refreshToken }),
      ...(request.refreshExpiresAt === undefined ? {} : { refreshExpiresAt: request.refreshExpiresAt }),
    },
    deps.clock(),
  );
  await deps.polls.schedule(request);
  return { account, webhookFields: checked.webhookFields, subscribedNow: checked.subscribedNow };
}

interface Checked {
  username: string | undefined;
  webhookFields: string[];
  subscribedNow: string[];
}

async function checkInstagram(deps: ConnectDeps, request: ConnectRequest): Promise<Checked> {
  const client = new GraphClient({
    baseUrl: graphBaseUrl(deps.hosts, request.login),
    accountId: request.accountId,
    token: request.token,
    http: deps.http,
    budget: new CallBudget('instagram', deps.clock),
    clock: deps.clock,
  });
  const me = await client.me().catch((error: unknown) => rejected('instagram', 'the token was refused', error, 'create a new long-lived token for the account and try again'));
  if (me.id !== request.accountId && me.user_id !== request.accountId) {
    throw new NuqtaError('NUQTA_ACCOUNT_REJECTED', `the token belongs to Instagram account ${me.user_id ?? me.id}${me.username === undefined ? '' : ` (@${me.username})`}, not ${request.accountId}`);
  }
  if (request.checkWebhooks === false) return { username: me.username, webhookFields: [], subscribedNow: [] };
  const required = REQUIRED_WEBHOOK_FIELDS[request.login];
  const fields = await client
    .subscribedFields()
    .catch((error: unknown) => rejected('instagram', `the webhook subscription of ${request.accountId} cannot be read`, error, 'grant the app instagram_manage_comments (Facebook Login) or instagram_business_manage_comments (Instagram Login), or pass --no-webhook-check'));
  const missing = required.filter((field) => !fields.includes(field));
  if (missing.length > 0) {
    await client
      .subscribe([...new Set([...fields, ...missing])])
      .catch((error: unknown) =>
        rejected('instagram', `the account is not subscribed to the webhook fields ${missing.join(', ')} and subscribing failed`, error, `call POST /${request.accountId}/subscribed_apps?subscribed_fields=${missing.join(',')} with a token that may manage the account`));
  }
  return { username: me.username, webhookFields: [...new Set([...fields, ...missing])], subscribedNow: missing };
}

async function checkTikTok(deps: ConnectDeps, request: ConnectRequest): Promise<Checked> {
  const client = new BusinessClient({
    baseUrl: businessBaseUrl(deps.hosts.TIKTOK_BUSINESS_URL, deps.hosts.TIKTOK_BUSINESS_VERSION),
    businessId: request.accountId,
    token: request.token,
    http: deps.http,
    budget: new CallBudget('tiktok', deps.clock),
    clock: deps.clock,
  });
  const profile = await client.profile().catch((error: unknown) => rejected('tiktok', 'the token was refused', error, 'authorize the app again for this business account and use the new access token'));
  return { username: profile.username, webhookFields: [], subscribedNow: [] };
}

function rejected(platform: Platform, what: string, error: unknown, fix: string): never {
  if (!isPlatformCallError(error)) throw error;
  throw new NuqtaError('NUQTA_ACCOUNT_REJECTED', `${platform}: ${what} (${error.message}); ${fix}`);
}
