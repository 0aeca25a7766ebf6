import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Nuqta } from '../app.js';
import { derivedEventId, engagementEventSchema, eventTimeSchema, toEngagementEvent, type EngagementEvent } from '../domain/event.js';
import type { ApiKey } from '../config/api-keys.js';
import { NuqtaError } from '../errors.js';
import { covers, type ApiAccess } from './auth.js';

/** What a brand's own source sends: the canonical event minus the fields nuqta derives. */
const eventInputSchema = engagementEventSchema
  .pick({ platform: true, kind: true, actor: true, target: true, text: true, occurredAt: true, order: true })
  .extend({
    hashtags: z.array(z.string().min(1).max(100)).max(30).optional(),
    platformEventId: engagementEventSchema.shape.platformEventId.optional(),
    /** Only for sources relaying what the platform itself attested (for example a brand's own Graph API sync). */
    verified: z.boolean().default(false),
    /** ISO 8601 with a zone (`2027-03-05T10:00:00+03:00` or `…Z`). */
    occurredAt: z.string().datetime({ offset: true, message: 'must be an ISO 8601 date and time with a zone, such as 2027-03-05T10:00:00+03:00' }).pipe(eventTimeSchema),
  })
  .strict()
  .superRefine((input, ctx) => {
    // A paid order is one event however often the shop sends it: its order id is the event id.
    if (input.kind === 'purchase' && input.order === undefined) ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['order'], message: 'is required for a purchase' });
    if (input.kind === 'purchase' && input.platformEventId === undefined) ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['platformEventId'], message: 'is required for a purchase: the shop\'s order id' });
    if (input.kind !== 'purchase' && input.order !== undefined) ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['order'], message: 'is only for kind purchase' });
    if (input.kind === 'order_refunded' && input.platformEventId === undefined) ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['platformEventId'], message: 'is required for a refund: the refunded order\'s id' });
  });
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

export function eventRoutes(nuqta: Nuqta, access: ApiAccess): FastifyPluginAsync {
  return async (plugin) => {
    const app = plugin.withTypeProvider<ZodTypeProvider>();
    app.post('/v1/events', {
      config: { access: ['ingest'] },
      schema: {
        tags: ['events'],
        summary: 'Submit a batch of engagement events (role ingest); accepted once durably queued',
        body: batchSchema,
        response: { 202: acceptedSchema },
      },
    }, async (request, reply) => {
      const receivedAt = new Date();
      const events = request.body.events.map((input) => eventFromInput(input, receivedAt));
      assertNotAhead(events, receivedAt, nuqta.config.NUQTA_MAX_CLOCK_SKEW_SECONDS);
      const key = access.require(request, ['ingest']);
      if (key.campaigns !== undefined) assertInScope(nuqta, key, events);
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

/** A scoped key posts only events that concern its campaigns, and none that concern another's. */
function assertInScope(nuqta: Nuqta, key: ApiKey, events: readonly EngagementEvent[]): void {
  for (const [index, event] of events.entries()) {
    const campaigns = nuqta.campaigns.matching(event).map(({ campaign }) => campaign.id);
    const outside = campaigns.find((campaignId) => !covers(key, campaignId));
    if (outside !== undefined) throw new NuqtaError('NUQTA_FORBIDDEN', `events[${index}] concerns campaign "${outside}", which this key is not for`);
    if (campaigns.length === 0) throw new NuqtaError('NUQTA_FORBIDDEN', `events[${index}] concerns none of this key's campaigns (not one of their accounts or hashtags)`);
  }
}

/** An event dated ahead of the server clock by more than the allowed skew would earn now for something that has not happened. */
function assertNotAhead(events: readonly EngagementEvent[], now: Date, skewSeconds: number): void {
  const latest = now.getTime() + skewSeconds * 1000;
  const index = events.findIndex((event) => event.occurredAt.getTime() > latest);
  const ahead = events[index];
  if (ahead) {
    throw new NuqtaError('NUQTA_BAD_TIME', `events[${index}].occurredAt (${ahead.occurredAt.toISOString()}) is more than ${skewSeconds} s ahead of the server clock (${now.toISOString()})`);
  }
}
