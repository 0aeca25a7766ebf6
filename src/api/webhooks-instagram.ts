import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Nuqta } from '../app.js';
import { NuqtaError } from '../errors.js';
import { isValidInstagramSignature } from '../platforms/instagram/signature.js';
import { instagramWebhookSchema, MAX_CHANGES_PER_DELIVERY, parseInstagramWebhook } from '../platforms/instagram/webhook-payload.js';
import { acceptDelivery, keepRawJsonBody, parseJson, rawBodyOf } from './webhook-delivery.js';

const handshakeQuery = z.object({
  'hub.mode': z.string().optional(),
  'hub.verify_token': z.string().optional(),
  'hub.challenge': z.string().optional(),
});

/**
 * Meta's webhook door. The body is kept raw because the signature covers the
 * exact bytes; the delivery is acknowledged only once its events are in Redis.
 */
export function instagramWebhookRoutes(nuqta: Nuqta): FastifyPluginAsync {
  return async (plugin) => {
    const app = plugin.withTypeProvider<ZodTypeProvider>();
    keepRawJsonBody(plugin);

    app.get('/webhooks/instagram', { config: { access: 'signed' }, schema: { querystring: handshakeQuery, tags: ['webhooks'] } }, async (request, reply) => {
      const expected = nuqta.config.IG_VERIFY_TOKEN;
      const query = request.query;
      if (query['hub.mode'] !== 'subscribe' || expected === undefined || query['hub.verify_token'] !== expected || !query['hub.challenge']) {
        throw new NuqtaError('NUQTA_BAD_VERIFY_TOKEN', 'the verify token does not match IG_VERIFY_TOKEN');
      }
      return reply.type('text/plain').send(query['hub.challenge']);
    });

    app.post('/webhooks/instagram', { config: { access: 'signed' }, schema: { tags: ['webhooks'] } }, async (request, reply) => {
      const secret = nuqta.config.IG_APP_SECRET;
      const raw = rawBodyOf(request);
      const signature = request.headers['x-hub-signature-256'];
      if (secret === undefined || !isValidInstagramSignature(raw, typeof signature === 'string' ? signature : undefined, secret)) {
        nuqta.metrics.eventsRejected.inc({ source: 'webhook', reason: 'bad_signature' });
        throw new NuqtaError('NUQTA_BAD_SIGNATURE', 'X-Hub-Signature-256 is missing or does not match the body signed with IG_APP_SECRET');
      }
      const body = instagramWebhookSchema.safeParse(parseJson(raw));
      if (!body.success) {
        nuqta.metrics.eventsRejected.inc({ source: 'webhook', reason: 'bad_payload' });
        const tooMany = body.error.issues.some((issue) => issue.code === 'too_big' || issue.code === 'custom');
        throw tooMany
          ? new NuqtaError('NUQTA_PAYLOAD_TOO_LARGE', `a delivery carries at most ${MAX_CHANGES_PER_DELIVERY} changes`)
          : new NuqtaError('NUQTA_BAD_PAYLOAD', 'the body is not an Instagram webhook ({ object, entry[] })');
      }
      const parsed = parseInstagramWebhook(body.data, new Date());
      // Mentions carry ids only: their lookups are queued for the poller, durably, before the delivery is acknowledged.
      await nuqta.polls.lookupMentions(parsed.skipped.flatMap((skip) => (skip.lookup === undefined ? [] : [skip.lookup])));
      return reply.send(await acceptDelivery(nuqta, request, 'instagram', parsed));
    });
  };
}
