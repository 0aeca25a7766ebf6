import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Nuqta } from '../app.js';
import type { EngagementEvent, Platform } from '../domain/event.js';
import { NuqtaError } from '../errors.js';
import { withHashtagPosts } from '../platforms/hashtag-posts.js';

/** Keeps a webhook's body as raw bytes (signatures cover the exact bytes), within the calling plugin only. */
export function keepRawJsonBody(app: FastifyInstance): void {
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));
}

/** The exact bytes of a JSON webhook (empty when there were none); any other content type is a 415. */
export function rawBodyOf(request: FastifyRequest): Buffer {
  if (Buffer.isBuffer(request.body)) return request.body;
  if (request.body === undefined || request.body === null) return Buffer.alloc(0);
  throw new NuqtaError('NUQTA_UNSUPPORTED_MEDIA_TYPE', `webhooks are JSON: send Content-Type: application/json (got ${request.headers['content-type'] ?? 'none'})`);
}

export function parseJson(raw: Buffer): unknown {
  try {
    return JSON.parse(raw.toString('utf8'));
  } catch {
    return undefined;
  }
}

/**
 * Counts what a delivery skipped, then acknowledges only once its events
 * (with the hashtag posts their caption mentions stand for) are durably queued.
 */
export async function acceptDelivery(
  nuqta: Nuqta,
  request: FastifyRequest,
  platform: Platform,
  parsed: { events: readonly EngagementEvent[]; skipped: readonly { reason: string; field?: string; event?: string }[] },
): Promise<{ received: number; skipped: number }> {
  const delivery = { events: withHashtagPosts(parsed.events, nuqta.campaigns), skipped: parsed.skipped };
  for (const skipped of delivery.skipped) {
    nuqta.metrics.payloadSkipped.inc({ platform, reason: skipped.reason, field: skipped.field ?? skipped.event ?? '' });
    request.log.info({ platform, skipped }, 'webhook part skipped');
  }
  nuqta.metrics.eventsReceived.inc({ source: 'webhook', platform }, delivery.events.length);
  try {
    await nuqta.queue.enqueue(delivery.events);
  } catch (error) {
    nuqta.metrics.eventsRejected.inc({ source: 'webhook', reason: 'queue_unavailable' }, Math.max(1, delivery.events.length));
    throw error;
  }
  nuqta.metrics.eventsAccepted.inc({ source: 'webhook', platform }, delivery.events.length);
  return { received: delivery.events.length, skipped: delivery.skipped.length };
}
