/**
 * Instagram Login long-lived tokens last 60 days and are refreshed with
 * `GET graph.instagram.com/refresh_access_token?grant_type=ig_refresh_token`
 * (the token itself is the credential; it must be at least 24 hours old).
 * The answer is `{ access_token, token_type, expires_in }`, the lifetime in
 * seconds. Facebook Login page tokens have no refresh: they do not expire
 * while the user's grant stands, and every poll checks them.
 */
import { z } from 'zod';
import type { NuqtaConfig } from '../../config/env.js';
import { PlatformCallError, type PlatformHttp } from '../accounts/platform-call.js';
import type { TokenRefresher } from '../accounts/token-refresh.js';
import { graphCallError } from './graph-client.js';

/** Instagram refuses to refresh a token younger than this. */
export const INSTAGRAM_REFRESH_MIN_AGE_MS = 86_400_000;

const refreshedSchema = z.object({ access_token: z.string().min(1), expires_in: z.number().int().positive() });

export interface RefreshedInstagramToken {
  token: string;
  expiresInSeconds: number;
}

export async function refreshInstagramToken(
  http: PlatformHttp,
  hosts: Pick<NuqtaConfig, 'IG_LOGIN_GRAPH_URL'>,
  token: string,
  now: Date,
): Promise<RefreshedInstagramToken> {
  const where = 'GET /refresh_access_token';
  const answer = await http.request('instagram', {
    method: 'GET',
    url: `${hosts.IG_LOGIN_GRAPH_URL}/refresh_access_token`,
    params: { grant_type: 'ig_refresh_token', access_token: token },
  });
  if (answer.status < 200 || answer.status >= 300) throw graphCallError(answer, undefined, now, where);
  const parsed = refreshedSchema.safeParse(answer.body);
  if (!parsed.success) throw new PlatformCallError('instagram', { kind: 'failed', code: 'unexpected_body' }, `${where}: unexpected answer`);
  return { token: parsed.data.access_token, expiresInSeconds: parsed.data.expires_in };
}

/** Instagram Login tokens only; Facebook Login page tokens do not expire while the grant stands. */
export const instagramTokens: TokenRefresher = {
  refreshes: (account) => account.login === 'instagram_login',
  minAgeMs: INSTAGRAM_REFRESH_MIN_AGE_MS,
  async refresh({ token, deps, now }) {
    const refreshed = await refreshInstagramToken(deps.http, deps.hosts, token, now);
    return { token: refreshed.token, tokenExpiresAt: new Date(now.getTime() + refreshed.expiresInSeconds * 1000) };
  },
};
