import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Nuqta } from '../app.js';
import { derivedEventId, engagementEventSchema, toEngagementEvent, type EngagementEvent } from '../domain/event.js';
import { requireRole } from './auth.js';

/** What a brand's own source sends: the canonical event minus the fields nuqta derives. */
const eventInputSchema = engagementEventSchema
  .pick({ platform: true, kind: true, actor: true, target: true, text: true, occurredAt: true })
  .extend({
    hashtags: z.array(z.string().min(1).max(100)).max(30).optional(),
    platformEventId: engagementEventSchema.shape.platformEventId.optional(),
    /** Only for sources relaying what the platform itself attested (for example a brand's own Graph API sync). */
    verified: z.boolean().default(false),
  })
  .strict();
export type EventInput = z.infer<typeof eventInputSchema>;

const batchSchema = z.object({ events: z.array(eventInputSchema).min(1).max(1000) }).strict();
const acceptedSchema = z.object({ accepted: z.number().int(), eventKeys: z.array(z.string()) });

export function eventFromInput(input: EventInput, receivedAt: Date): EngagementEvent {
  const { hashtags, platformEventId, ...rest } = input;
  const id = platformEventId ?? derivedEventId([
    input.platform, input.kind, input.actor.platformUserId, input.target.accountId,
    input.target.mediaId ?? '', input.target.commentId ?? '', input.occurredAt.toISOString(),
  ]);
  return toEngagementEvent({ ...rest, platformEventId: id, receivedAt, source: 'api' }, hashtags ?? []);
}

export function eventRoutes(nuqta: Nuqta): FastifyPluginAsync {
  return async (plugin) => {
    const app = plugin.withTypeProvider<ZodTypeProvider>();
    app.post('/v1/events', {
      onRequest: requireRole(nuqta.config.NUQTA_API_KEYS, 'ingest'),
      schema: {
        tags: ['events'],
        summary: 'Submit a batch of engagement events (role ingest); accepted once durably queued',
        body: batchSchema,
        response: { 202: acceptedSchema },
      },
    }, async (request, reply) => {
      const receivedAt = new Date();
      const events = request.body.events.map((input) => eventFromInput(input, receivedAt));
      nuqta.metrics.eventsReceived.inc({ source: 'api', platform: events[0]?.platform ?? '' }, events.length);
      try {
        await nuqta.queue.enqueue(events);
      } catch (error) {
        nuqta.metrics.eventsRejected.inc({ source: 'api', reason: 'queue_unavailable' }, events.length);
        throw error;
      }
      nuqta.metrics.eventsAccepted.inc({ source: 'api', platform: events[0]?.platform ?? '' }, events.length);
      return reply.code(202).send({ accepted: events.length, eventKeys: events.map((event) => event.eventKey) });
    });
  };
}
