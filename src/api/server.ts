/**
 * src/api owns HTTP: one Fastify plugin per resource, each with its schemas
 * (which are also the OpenAPI document). Handlers validate, call stores and
 * queues, and answer; they never score or process events in the request.
 */
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import Fastify, { type FastifyError, type FastifyReply, type FastifyRequest } from 'fastify';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Nuqta } from '../app.js';
import helmet from '@fastify/helmet';
import { ERRORS, isNuqtaError } from '../errors.js';
import { ApiAccess } from './auth.js';
import { codeOfStatus, declareErrors, errorBody } from './errors.js';
import { registerRateLimits } from './rate-limits.js';
import { RouteTable } from './route-table.js';
import { campaignAdminRoutes } from './campaign-admin.js';
import { campaignRoutes } from './campaigns.js';
import { webhookEndpointRoutes } from './webhook-endpoints.js';
import { dashboardRoutes } from './campaign-dashboard.js';
import { eventRoutes } from './events.js';
import { hashtagClaimRoutes } from './hashtag-claims.js';
import { explainRoutes } from './explain.js';
import { healthRoutes } from './health.js';
import { instagramWebhookRoutes } from './webhooks-instagram.js';
import { memberLinkRoutes } from './member-link-routes.js';
import { memberRoutes } from './members.js';
import { platformRoutes } from './platforms.js';
import { privacyRoutes } from './privacy.js';
import { reviewRoutes } from './review.js';
import { blockRoutes } from './review-blocks.js';
import { redemptionRoutes } from './redemptions.js';
import { voucherRoutes } from './vouchers.js';
import { referralRoutes } from './referrals.js';
import { tiktokWebhookRoutes } from './webhooks-tiktok.js';
import { ASSETS_PREFIX, pageRoutes } from './web/pages.js';

/** Long enough for every id grammar (event keys of up to 300 characters, percent-encoded), short enough to refuse junk early. */
const MAX_PARAM_LENGTH = 1_000;
const BODY_LIMIT = 8 * 1024 * 1024;
const DOCS_PREFIX = '/docs';

/** A URL the router cannot take: too long for any route (414), or not decodable (400). The URL is not echoed back. */
function withoutUpgrade(policy: string): string {
  return policy.replace(/\s*upgrade-insecure-requests;?/, '');
}

function unreadableUrl(_error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  const tooLong = request.url.length > MAX_PARAM_LENGTH;
  void (tooLong
    ? reply.code(414).send(errorBody('NUQTA_URI_TOO_LONG', `the request URL is longer than any route takes (${MAX_PARAM_LENGTH} characters)`))
    : reply.code(400).send(errorBody('NUQTA_BAD_REQUEST', 'the request URL is not valid percent-encoding')));
}

/** Errors Node raises before Fastify sees a request (headers too large, a malformed request line), in our shape. */
function clientError(error: Error & { code?: string }, socket: Duplex): void {
  const [status, code, message] = error.code === 'HPE_HEADER_OVERFLOW'
    ? [431, 'NUQTA_HEADERS_TOO_LARGE', 'the request headers are larger than the server takes (16 KiB)'] as const
    : [400, 'NUQTA_BAD_REQUEST', 'the request is not valid HTTP'] as const;
  const body = JSON.stringify(errorBody(code, message));
  socket.end(`HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}\r\ncontent-type: application/json; charset=utf-8\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`);
}

export async function buildServer(nuqta: Nuqta) {
  const app = Fastify({
    loggerInstance: nuqta.logger,
    bodyLimit: BODY_LIMIT,
    routerOptions: { maxParamLength: MAX_PARAM_LENGTH },
    // Errors the router raises before any route runs, in our shape.
    frameworkErrors: unreadableUrl,
    clientErrorHandler: clientError,
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (isNuqtaError(error)) {
      if (error.retryAfterSeconds !== undefined) void reply.header('retry-after', String(error.retryAfterSeconds));
      return reply.code(error.status).send(errorBody(error.code, error.message, error.details));
    }
    if (error.validation) {
      return reply.code(400).send(errorBody('NUQTA_BAD_REQUEST', `invalid request ${error.validationContext ?? ''}: ${error.message}`.trim(), error.validation));
    }
    if (error.statusCode !== undefined && error.statusCode < 500) {
      const code = codeOfStatus(error.statusCode);
      return reply.code(ERRORS[code].status as 400).send(errorBody(code, error.message));
    }
    request.log.error({ err: error }, 'request failed');
    return reply.code(500).send(errorBody('NUQTA_INTERNAL', 'internal error; it has been logged'));
  });
  const routes = new RouteTable();
  app.addHook('onRoute', (route) => {
    // Any route that does not say who may call it does not start.
    // The API's own documentation and the pages' static assets are public.
    if (route.url.startsWith(DOCS_PREFIX) || route.url.startsWith(ASSETS_PREFIX)) route.config = { ...route.config, access: 'public' };
    if (route.config?.access === undefined && route.method !== 'HEAD') throw new Error(`route ${String(route.method)} ${route.url} declares no access (config.access)`);
    routes.add(route.url, route.method, route.config?.access ?? 'public');
    declareErrors(route);
  });
  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0] ?? '';
    const allowed = routes.methodsOf(path);
    if (allowed.length > 0) {
      return reply.code(405).header('allow', allowed.join(', ')).send(errorBody('NUQTA_METHOD_NOT_ALLOWED', `${request.method} is not allowed on ${path}; use ${allowed.join(' or ')}`));
    }
    return reply.code(404).send(errorBody('NUQTA_NOT_FOUND', `no route ${request.method} ${path}`));
  });
  // Served over plain HTTP on a LAN or behind a TLS proxy: no upgrade-insecure-requests.
  await app.register(helmet, { contentSecurityPolicy: { directives: { defaultSrc: ["'self'"], imgSrc: ["'self'", 'data:'], upgradeInsecureRequests: null } } });
  await registerRateLimits(app, nuqta);
  const access = new ApiAccess(nuqta.config.NUQTA_API_KEYS, nuqta.secret);
  app.addHook('onRequest', async (request) => {
    const declared = request.routeOptions.config.access;
    if (Array.isArray(declared)) access.require(request, declared);
  });

  await app.register(swagger, {
    openapi: { info: { title: 'nuqta', version: '0.1.0', description: 'Loyalty points from Instagram and TikTok engagement' } },
    transform: jsonSchemaTransform,
  });
  await app.register(healthRoutes(nuqta, access));
  await app.register(instagramWebhookRoutes(nuqta));
  await app.register(tiktokWebhookRoutes(nuqta));
  await app.register(eventRoutes(nuqta, access));
  await app.register(hashtagClaimRoutes(nuqta, access));
  await app.register(platformRoutes);
  await app.register(campaignRoutes(nuqta, access));
  await app.register(campaignAdminRoutes(nuqta, access));
  await app.register(webhookEndpointRoutes(nuqta, access));
  await app.register(memberRoutes(nuqta, access));
  await app.register(memberLinkRoutes(nuqta, access));
  await app.register(dashboardRoutes(nuqta, access));
  await app.register(redemptionRoutes(nuqta, access));
  await app.register(voucherRoutes(nuqta, access));
  await app.register(referralRoutes(nuqta, access));
  await app.register(explainRoutes(nuqta, access));
  await app.register(reviewRoutes(nuqta, access));
  await app.register(blockRoutes(nuqta, access));
  await app.register(privacyRoutes(nuqta, access));
  // The document, browsable: Swagger UI with its assets served from this server (nothing from the internet).
  await app.register(swaggerUi, { routePrefix: DOCS_PREFIX, staticCSP: true, transformStaticCSP: withoutUpgrade, uiConfig: { docExpansion: 'list', deepLinking: true } });
  await app.register(pageRoutes(nuqta, access));
  app.get('/docs/openapi.json', { config: { access: 'public' }, schema: { hide: true } }, async () => app.swagger());
  return Object.assign(app, { routeTable: routes });
}

export type NuqtaServer = Awaited<ReturnType<typeof buildServer>>;
