/**
 * A brand's webhook endpoints for a campaign (role admin for the campaign):
 * register one (its signing secret is shown once), list and remove them,
 * rotate the secret, read the delivery log and send a delivery again.
 */
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Nuqta } from '../app.js';
import { OUTBOUND_EVENT_TYPES } from '../domain/outbound-events.js';
import { NuqtaError } from '../errors.js';
import type { Delivery } from '../outbound/deliveries.js';
import { DEFAULT_ROTATION_GRACE_HOURS, type WebhookEndpoint } from '../outbound/endpoints.js';
import { replayDelivery } from '../outbound/outbox.js';
import type { ApiAccess } from './auth.js';
import { campaignParams } from './schemas.js';

const endpointSchema = z.object({
  id: z.string(),
  campaignId: z.string(),
  url: z.string(),
  events: z.array(z.enum(OUTBOUND_EVENT_TYPES)),
  description: z.string().nullable(),
  expiringDays: z.number().int(),
  createdAt: z.string(),
});

const deliverySchema = z.object({
  id: z.string(),
  eventId: z.string(),
  type: z.enum(OUTBOUND_EVENT_TYPES),
  memberId: z.string(),
  status: z.enum(['pending', 'delivered', 'failed']),
  attempts: z.number().int(),
  createdAt: z.string(),
  deliveredAt: z.string().nullable(),
  lastResponse: z.object({ status: z.number().int().nullable(), body: z.string().nullable(), error: z.string().nullable(), durationMs: z.number(), at: z.string() }).nullable(),
});

const addBody = z.object({
  url: z.string().min(1).max(2_000),
  events: z.array(z.enum(OUTBOUND_EVENT_TYPES)).min(1),
  description: z.string().max(200).optional(),
  /** Days before points expire that `points.expiring` is sent. */
  expiringDays: z.number().int().min(1).max(90).optional(),
}).strict();

const endpointParams = campaignParams.extend({ endpointId: z.string().regex(/^we_[0-9a-f]{24}$/, 'is not a webhook endpoint id') });
const deliveryParams = endpointParams.extend({ deliveryId: z.string().min(1).max(100) });

function endpointView(endpoint: WebhookEndpoint): z.infer<typeof endpointSchema> {
  return { ...endpoint, description: endpoint.description ?? null, createdAt: endpoint.createdAt.toISOString() };
}

function deliveryView(delivery: Delivery): z.infer<typeof deliverySchema> {
  const response = delivery.lastResponse;
  return {
    id: delivery.id, eventId: delivery.eventId, type: delivery.type, memberId: delivery.memberId, status: delivery.status, attempts: delivery.attempts,
    createdAt: delivery.createdAt.toISOString(), deliveredAt: delivery.deliveredAt?.toISOString() ?? null,
    lastResponse: response
      ? { status: response.status ?? null, body: response.body ?? null, error: response.error ?? null, durationMs: response.durationMs, at: response.at.toISOString() }
      : null,
  };
}

export function webhookEndpointRoutes(nuqta: Nuqta, access: ApiAccess): FastifyPluginAsync {
  const { endpoints, deliveries, queue } = nuqta.outbound;
  const config = { access: ['admin'] } as const;
  const tags = ['outbound webhooks'];

  const endpointOf = async (campaignId: string, endpointId: string): Promise<WebhookEndpoint> => {
    await endpoints.refresh();
    const endpoint = endpoints.find(endpointId);
    if (endpoint?.campaignId !== campaignId) throw new NuqtaError('NUQTA_NOT_FOUND', `campaign "${campaignId}" has no webhook endpoint "${endpointId}"`);
    return endpoint;
  };

  return async (plugin) => {
    const app = plugin.withTypeProvider<ZodTypeProvider>();

    app.post('/v1/campaigns/:id/webhooks', {
      config,
      schema: {
        tags, params: campaignParams, body: addBody,
        summary: 'Register an endpoint for the campaign\u2019s events; the signing secret is in this answer only (role admin)',
        response: { 201: endpointSchema.extend({ secret: z.string() }) },
      },
    }, async (request, reply) => {
      access.require(request, ['admin'], request.params.id);
      nuqta.campaigns.get(request.params.id);
      const { url, events, description, expiringDays } = request.body;
      const { endpoint, secret } = await endpoints.add({
        campaignId: request.params.id, url, events, ...(description === undefined ? {} : { description }), ...(expiringDays === undefined ? {} : { expiringDays }),
      }, new Date());
      nuqta.logger.info({ campaignId: endpoint.campaignId, endpointId: endpoint.id, events }, 'webhook endpoint registered');
      return reply.code(201).send({ ...endpointView(endpoint), secret });
    });

    app.get('/v1/campaigns/:id/webhooks', {
      config,
      schema: { tags, params: campaignParams, summary: 'The campaign\u2019s webhook endpoints (role admin)', response: { 200: z.object({ endpoints: z.array(endpointSchema) }) } },
    }, async (request) => {
      access.require(request, ['admin'], request.params.id);
      await endpoints.refresh();
      return { endpoints: endpoints.forCampaign(request.params.id).map(endpointView) };
    });

    app.delete('/v1/campaigns/:id/webhooks/:endpointId', {
      config,
      schema: { tags, params: endpointParams, summary: 'Remove an endpoint; its pending deliveries are dropped (role admin)', response: { 204: z.null() } },
    }, async (request, reply) => {
      access.require(request, ['admin'], request.params.id);
      await endpoints.remove((await endpointOf(request.params.id, request.params.endpointId)).id);
      return reply.code(204).send(null);
    });

    app.post('/v1/campaigns/:id/webhooks/:endpointId/rotate', {
      config,
      schema: {
        tags, params: endpointParams,
        body: z.object({ graceHours: z.number().min(0).max(24 * 7).optional() }).strict().optional(),
        summary: `A new signing secret; the previous ones keep signing for graceHours (default ${DEFAULT_ROTATION_GRACE_HOURS}) (role admin)`,
        response: { 200: z.object({ secret: z.string(), previousExpireAt: z.string() }) },
      },
    }, async (request) => {
      access.require(request, ['admin'], request.params.id);
      const endpoint = await endpointOf(request.params.id, request.params.endpointId);
      const rotated = await endpoints.rotate(endpoint.id, new Date(), request.body?.graceHours);
      nuqta.logger.info({ endpointId: endpoint.id }, 'webhook secret rotated');
      return { secret: rotated.secret, previousExpireAt: rotated.previousExpireAt.toISOString() };
    });

    app.get('/v1/campaigns/:id/webhooks/:endpointId/deliveries', {
      config,
      schema: {
        tags, params: endpointParams, querystring: z.object({ limit: z.coerce.number().int().min(1).max(500).default(50) }),
        summary: 'The endpoint\u2019s delivery log, newest first: status, attempts, the last response (role admin)',
        response: { 200: z.object({ deliveries: z.array(deliverySchema) }) },
      },
    }, async (request) => {
      access.require(request, ['admin'], request.params.id);
      const endpoint = await endpointOf(request.params.id, request.params.endpointId);
      return { deliveries: (await deliveries.recent(endpoint.id, request.query.limit)).map(deliveryView) };
    });

    app.post('/v1/campaigns/:id/webhooks/:endpointId/deliveries/:deliveryId/replay', {
      config,
      schema: {
        tags, params: deliveryParams,
        summary: 'Send a delivery again, with the same event id (role admin)',
        response: { 202: deliverySchema },
      },
    }, async (request, reply) => {
      access.require(request, ['admin'], request.params.id);
      const endpoint = await endpointOf(request.params.id, request.params.endpointId);
      const delivery = await deliveries.get(request.params.deliveryId);
      if (delivery?.endpointId !== endpoint.id) throw new NuqtaError('NUQTA_NOT_FOUND', `endpoint "${endpoint.id}" has no delivery "${request.params.deliveryId}"`);
      await replayDelivery(deliveries, queue, delivery, new Date());
      return reply.code(202).send(deliveryView({ ...delivery, status: 'pending' }));
    });
  };
}
