/**
 * TikTok access tokens are refreshed with the refresh token that came with
 * them: `POST open.tiktokapis.com/v2/oauth/token/`, form-encoded
 * `client_key`, `client_secret`, `grant_type=refresh_token`, `refresh_token`.
 * The answer carries a new access token and a new refresh token with their
 * lifetimes (`expires_in`, `refresh_expires_in`, seconds); the refresh token
 * just used stops working, so the new one must be stored before anything
 * else refreshes. Failures come as `{ error, error_description, log_id }`.
 */
import { z } from 'zod';
import type { NuqtaConfig } from '../../config/env.js';
import { NuqtaError } from '../../errors.js';
import { PlatformCallError, type CallFailure, type PlatformHttp } from '../accounts/platform-call.js';
import type { TokenRefresher } from '../accounts/token-refresh.js';

const refreshedSchema = z.object({
  access_token: z.string().min(1),
  expires_in: z.number().int().positive(),
  refresh_token: z.string().min(1),
  refresh_expires_in: z.number().int().positive(),
  open_id: z.string().optional(),
});
const errorSchema = z.object({ error: z.string().min(1), error_description: z.string().default('') });

/** OAuth errors a retry cannot mend: the refresh token or the app's credentials are refused. */
const PERMANENT_ERRORS: ReadonlySet<string> = new Set(['invalid_grant', 'invalid_client', 'invalid_request', 'unauthorized_client', 'access_denied']);

export interface RefreshedTikTokToken {
  token: string;
  expiresInSeconds: number;
  refreshToken: string;
  refreshExpiresInSeconds: number;
}

export type TikTokOAuthConfig = Pick<NuqtaConfig, 'TIKTOK_OAUTH_URL' | 'TIKTOK_CLIENT_KEY' | 'TIKTOK_CLIENT_SECRET'>;

export async function refreshTikTokToken(http: PlatformHttp, config: TikTokOAuthConfig, refreshToken: string): Promise<RefreshedTikTokToken> {
  const { TIKTOK_CLIENT_KEY: clientKey, TIKTOK_CLIENT_SECRET: clientSecret } = config;
  if (clientKey === undefined || clientSecret === undefined) {
    throw new NuqtaError('NUQTA_BAD_CONFIG', 'TIKTOK_CLIENT_KEY and TIKTOK_CLIENT_SECRET must be set to refresh TikTok access tokens');
  }
  const where = 'POST /v2/oauth/token/';
  const answer = await http.request('tiktok', {
    method: 'POST',
    url: `${config.TIKTOK_OAUTH_URL}/v2/oauth/token/`,
    params: { client_key: clientKey, client_secret: clientSecret, grant_type: 'refresh_token', refresh_token: refreshToken },
  });
  const refused = errorSchema.safeParse(answer.body);
  if (refused.success) {
    const { error, error_description: description } = refused.data;
    const failure: CallFailure = PERMANENT_ERRORS.has(error) ? { kind: 'auth', code: error } : { kind: 'failed', code: error };
    throw new PlatformCallError('tiktok', failure, `${where}: ${description || error} (${error})`);
  }
  const parsed = answer.status >= 200 && answer.status < 300 ? refreshedSchema.safeParse(answer.body) : undefined;
  if (parsed?.success !== true) throw new PlatformCallError('tiktok', { kind: 'failed', code: `http_${answer.status}` }, `${where}: unexpected answer (HTTP ${answer.status})`);
  const { data } = parsed;
  return { token: data.access_token, expiresInSeconds: data.expires_in, refreshToken: data.refresh_token, refreshExpiresInSeconds: data.refresh_expires_in };
}

/** Accounts connected with a refresh token; the access token may be refreshed at any age. */
export const tiktokTokens: TokenRefresher = {
  refreshes: (account) => account.hasRefreshToken,
  minAgeMs: 0,
  async refresh({ account, refreshToken, deps, now }) {
    if (refreshToken === undefined) throw new NuqtaError('NUQTA_ACCOUNT_REJECTED', `${account.accountId} has no refresh token`);
    const refreshed = await refreshTikTokToken(deps.http, deps.hosts, refreshToken);
    return {
      token: refreshed.token,
      tokenExpiresAt: new Date(now.getTime() + refreshed.expiresInSeconds * 1000),
      refreshToken: refreshed.refreshToken,
      refreshExpiresAt: new Date(now.getTime() + refreshed.refreshExpiresInSeconds * 1000),
    };
  },
};
