/**
 * Request rate limits per client address, counted in Redis so every API
 * process shares them: `NUQTA_RATE_LIMIT` requests a minute on public reads
 * (leaderboards, campaigns, a member's rank), five times that on routes that
 * need a key, none on webhooks and health checks (platforms deliver in
 * bursts from a few addresses and retry what is refused). A client whose
 * keys fail 20 times within a minute is refused for the rest of that minute.
 * Over a limit: 429 NUQTA_RATE_LIMITED with Retry-After. With Redis down the
 * limits are skipped rather than refusing everyone.
 */
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyRequest, RawReplyDefaultExpression, RawRequestDefaultExpression, RawServerDefault } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Nuqta } from '../app.js';
import { NuqtaError } from '../errors.js';
import type { Logger } from '../log.js';

type Server = FastifyInstance<RawServerDefault, RawRequestDefaultExpression, RawReplyDefaultExpression, Logger, ZodTypeProvider>;

const FAILED_KEYS_ALLOWED = 20;
const FAILED_KEYS_WINDOW_SECONDS = 60;
const KEYED_ROUTE_FACTOR = 5;

/** The rate limit of a public read route (`config` of the route). */
export function publicReadLimit(nuqta: Nuqta): { rateLimit: { max: number; timeWindow: string } } {
  return { rateLimit: { max: nuqta.config.NUQTA_RATE_LIMIT, timeWindow: '1 minute' } };
}

function unlimited(request: FastifyRequest): boolean {
  const path = request.url;
  return path.startsWith('/webhooks/') || path === '/healthz' || path === '/readyz';
}

function carriesKey(request: FastifyRequest): boolean {
  return request.headers.authorization !== undefined || request.headers['x-api-key'] !== undefined;
}

export async function registerRateLimits(app: Server, nuqta: Nuqta): Promise<void> {
  const prefix = nuqta.config.NUQTA_QUEUE_PREFIX;
  await app.register(rateLimit, {
    global: true,
    max: nuqta.config.NUQTA_RATE_LIMIT * KEYED_ROUTE_FACTOR,
    timeWindow: '1 minute',
    redis: nuqta.redis,
    nameSpace: `${prefix}:rate:`,
    skipOnError: true,
    allowList: (request) => unlimited(request),
    errorResponseBuilder: (_request, context) =>
      new NuqtaError('NUQTA_RATE_LIMITED', `too many requests: at most ${context.max} a minute; try again in ${context.after}`, undefined, { retryAfterSeconds: Math.ceil(context.ttl / 1000) }),
  });

  const failuresKey = (request: FastifyRequest): string => `${prefix}:auth-failures:${request.ip}`;
  app.addHook('onRequest', async (request) => {
    if (!carriesKey(request)) return;
    const [failures, ttl] = await Promise.all([nuqta.redis.get(failuresKey(request)), nuqta.redis.ttl(failuresKey(request))]).catch(() => [null, -1] as const);
    if (Number(failures ?? 0) >= FAILED_KEYS_ALLOWED) {
      throw new NuqtaError('NUQTA_RATE_LIMITED', `too many requests with a wrong API key from this address; try again in ${ttl} s`, undefined, { retryAfterSeconds: Math.max(1, ttl) });
    }
  });
  app.addHook('onResponse', async (request, reply) => {
    if (reply.statusCode !== 401 || !carriesKey(request)) return;
    await nuqta.redis.multi().incr(failuresKey(request)).expire(failuresKey(request), FAILED_KEYS_WINDOW_SECONDS, 'NX').exec().catch(() => undefined);
  });
}
