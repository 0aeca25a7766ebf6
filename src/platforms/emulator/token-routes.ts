/**
 * Token renewal as the platforms answer it: Instagram Login's
 * `GET /refresh_access_token?grant_type=ig_refresh_token&access_token=…`
 * (with or without a version prefix) and TikTok's `POST /v2/oauth/token/`,
 * form-encoded, with the app's client key and secret.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { randomBytes } from 'node:crypto';
import { graphErrors, sendGraphError } from './graph-http.js';
import type { RequestCounter } from './request-counter.js';
import type { TokenRegistry } from './tokens.js';

export interface TokenRouteDependencies {
  tokens: TokenRegistry;
  counter: RequestCounter;
  tiktokClient: { key: string; secret: string };
}

export function registerTokenRoutes(app: FastifyInstance, deps: TokenRouteDependencies): void {
  const instagram = (request: FastifyRequest, reply: FastifyReply): FastifyReply => refreshInstagram(request, reply, deps);
  app.get('/refresh_access_token', instagram);
  app.get('/:version/refresh_access_token', instagram);
  app.post('/v2/oauth/token/', (request, reply) => refreshTikTok(request, reply, deps));
}

function refreshInstagram(request: FastifyRequest, reply: FastifyReply, deps: TokenRouteDependencies): FastifyReply {
  const query = stringsOf(request.query);
  deps.counter.add('instagram.refresh_access_token', '');
  if (query.grant_type !== 'ig_refresh_token') return sendGraphError(reply, graphErrors.invalidParameter('grant_type must be ig_refresh_token'));
  if (query.access_token === undefined || query.access_token === '') return sendGraphError(reply, graphErrors.missingToken());
  if (deps.tokens.refusingRefreshes) return sendGraphError(reply, { status: 500, message: 'An unexpected error has occurred. Please retry your request later.', code: 2, is_transient: true });
  const refreshed = deps.tokens.refreshInstagram(query.access_token);
  if (!refreshed.ok) return sendGraphError(reply, { status: 400, message: refreshed.message, code: refreshed.code });
  return reply.send({ access_token: refreshed.token, token_type: 'bearer', expires_in: refreshed.expiresIn });
}

function refreshTikTok(request: FastifyRequest, reply: FastifyReply, deps: TokenRouteDependencies): FastifyReply {
  const form = stringsOf(request.body);
  deps.counter.add('tiktok.oauth_token', '');
  const log_id = randomBytes(16).toString('hex').toUpperCase();
  const refuse = (status: number, error: string, description: string): FastifyReply => reply.code(status).send({ error, error_description: description, log_id });
  if (!String(request.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded')) {
    return refuse(400, 'invalid_request', 'Content-Type must be application/x-www-form-urlencoded.');
  }
  if (form.client_key !== deps.tiktokClient.key || form.client_secret !== deps.tiktokClient.secret) return refuse(401, 'invalid_client', 'Client key or secret is incorrect.');
  if (form.grant_type !== 'refresh_token') return refuse(400, 'unsupported_grant_type', 'grant_type must be refresh_token.');
  if (form.refresh_token === undefined || form.refresh_token === '') return refuse(400, 'invalid_request', 'refresh_token is required.');
  if (deps.tokens.refusingRefreshes) return refuse(503, 'temporarily_unavailable', 'The service is temporarily unavailable.');
  const refreshed = deps.tokens.refreshTikTok(form.refresh_token);
  if (!refreshed.ok) return refuse(400, refreshed.error, refreshed.description);
  return reply.send({
    access_token: refreshed.accessToken,
    expires_in: refreshed.expiresIn,
    open_id: refreshed.openId,
    refresh_expires_in: refreshed.refreshExpiresIn,
    refresh_token: refreshed.refreshToken,
    scope: 'user.info.basic,video.list,comment.list',
    token_type: 'Bearer',
  });
}

function stringsOf(source: unknown): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  if (source === null || typeof source !== 'object') return out;
  for (const [key, value] of Object.entries(source)) if (typeof value === 'string') out[key] = value;
  return out;
}
