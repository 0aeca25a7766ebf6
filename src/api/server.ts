/**
 * src/api owns HTTP: one Fastify plugin per resource, each with its schemas
 * (which are also the OpenAPI document). Handlers validate, call stores and
 * queues, and answer; they never score or process events in the request.
 */
import swagger from '@fastify/swagger';
import Fastify, { type FastifyError } from 'fastify';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Nuqta } from '../app.js';
import { isNuqtaError } from '../errors.js';
import { campaignRoutes } from './campaigns.js';
import { eventRoutes } from './events.js';
import { explainRoutes } from './explain.js';
import { healthRoutes } from './health.js';
import { instagramWebhookRoutes } from './webhooks-instagram.js';
import { memberRoutes } from './members.js';
import { platformRoutes } from './platforms.js';
import { privacyRoutes } from './privacy.js';
import { reviewRoutes } from './review.js';
import { redemptionRoutes } from './redemptions.js';
import { tiktokWebhookRoutes } from './webhooks-tiktok.js';

export async function buildServer(nuqta: Nuqta) {
  const app = Fastify({ loggerInstance: nuqta.logger, bodyLimit: 8 * 1024 * 1024 }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (isNuqtaError(error)) {
      return reply.code(error.status).send({ error: { code: error.code, message: error.message, ...(error.details === undefined ? {} : { details: error.details }) } });
    }
    if (error.validation) {
      return reply.code(400).send({ error: { code: 'NUQTA_BAD_REQUEST', message: `invalid request ${error.validationContext ?? ''}: ${error.message}`.trim(), details: error.validation } });
    }
    if (error.statusCode !== undefined && error.statusCode < 500) {
      return reply.code(error.statusCode).send({ error: { code: 'NUQTA_BAD_REQUEST', message: error.message } });
    }
    request.log.error({ err: error }, 'request failed');
    return reply.code(500).send({ error: { code: 'NUQTA_INTERNAL', message: 'internal error; it has been logged' } });
  });
  app.setNotFoundHandler((request, reply) =>
    reply.code(404).send({ error: { code: 'NUQTA_NOT_FOUND', message: `no route ${request.method} ${request.url.split('?')[0]}` } }));

  await app.register(swagger, {
    openapi: { info: { title: 'nuqta', version: '0.1.0', description: 'Loyalty points from Instagram and TikTok engagement' } },
    transform: jsonSchemaTransform,
  });
  await app.register(healthRoutes(nuqta));
  await app.register(instagramWebhookRoutes(nuqta));
  await app.register(tiktokWebhookRoutes(nuqta));
  await app.register(eventRoutes(nuqta));
  await app.register(platformRoutes);
  await app.register(campaignRoutes(nuqta));
  await app.register(memberRoutes(nuqta));
  await app.register(redemptionRoutes(nuqta));
  await app.register(explainRoutes(nuqta));
  await app.register(reviewRoutes(nuqta));
  await app.register(privacyRoutes(nuqta));
  app.get('/docs/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  return app;
}

export type NuqtaServer = Awaited<ReturnType<typeof buildServer>>;
