import { createHash } from 'node:crypto';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { planActivity } from '../../../src/platforms/emulator/activity-plan.js';
import { createPopulation } from '../../../src/platforms/emulator/population.js';
import { sendWebhooks, type WebhookSenderOptions } from '../../../src/platforms/emulator/webhook-sender.js';
import { isValidInstagramSignature } from '../../../src/platforms/instagram/signature.js';
import { parseInstagramWebhook } from '../../../src/platforms/instagram/webhook-payload.js';
import { verifyTikTokSignature } from '../../../src/platforms/tiktok/signature.js';
import { parseTikTokWebhook } from '../../../src/platforms/tiktok/webhook-payload.js';

const IG_SECRET = 'ig-app-secret';
const TT_SECRET = 'tt-client-secret';

const plan = planActivity(
  createPopulation({ seed: 5, size: 120 }),
  {
    instagram: [{ accountId: '17841400000000001', mediaIds: ['17900000000000001'] }],
    tiktok: [{ businessId: 'bc-1', videoIds: ['7300000000000000001'] }],
    hashtags: ['ثوب_ستايل'],
  },
  { seed: 5, from: new Date('2027-03-01T00:00:00Z'), to: new Date('2027-03-02T00:00:00Z'), engagements: 300 },
);
const announced = plan.engagements.filter((e) => e.kind !== 'hashtag_post' && !(e.kind === 'comment_deleted' && e.platform === 'instagram'));

interface Receiver {
  url: string;
  app: FastifyInstance;
  /** Bodies answered 2xx, in arrival order. */
  accepted: { path: string; body: string }[];
  unavailable: number;
}

/** A stand-in for nuqta's webhook routes: checks signatures over the raw body, answers 503 to some first attempts. */
async function startReceiver(unavailableFirst: (bodyHash: number) => boolean): Promise<Receiver> {
  const app = Fastify();
  const attempts = new Map<string, number>();
  const receiver: Receiver = { url: '', app, accepted: [], unavailable: 0 };
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));
  app.post('/webhooks/:platform', async (request, reply) => {
    const raw = request.body as Buffer;
    const { platform } = request.params as { platform: string };
    const signed =
      platform === 'instagram'
        ? isValidInstagramSignature(raw, request.headers['x-hub-signature-256'] as string | undefined, IG_SECRET)
        : verifyTikTokSignature(raw, request.headers['tiktok-signature'] as string | undefined, TT_SECRET).ok;
    if (!signed) return reply.code(401).send();
    const body = raw.toString();
    const attempt = (attempts.get(body) ?? 0) + 1;
    attempts.set(body, attempt);
    if (attempt === 1 && unavailableFirst(createHash('sha256').update(body).digest()[0] ?? 0)) {
      receiver.unavailable += 1;
      return reply.code(503).send();
    }
    receiver.accepted.push({ path: request.url, body });
    return reply.code(200).send();
  });
  receiver.url = await app.listen({ host: '127.0.0.1', port: 0 });
  return receiver;
}

let receiver: Receiver | undefined;
afterEach(async () => {
  await receiver?.app.close();
  receiver = undefined;
});

function options(url: string, overrides: Partial<WebhookSenderOptions> = {}): WebhookSenderOptions {
  return { baseUrl: url, instagramAppSecret: IG_SECRET, tiktokClientSecret: TT_SECRET, retryDelayMs: 1, concurrency: 4, ...overrides };
}

describe('sendWebhooks', () => {
  it('delivers every planned engagement, signed, retrying 503s and re-delivering some twice', async () => {
    receiver = await startReceiver((hash) => hash % 4 === 0);
    const report = await sendWebhooks(plan.engagements, options(receiver.url, { duplicateShare: 0.2, seed: 3 }));

    expect(report.duplicates).toBeGreaterThan(0);
    expect(report.sent).toBe(report.deliveries + report.duplicates);
    expect(report).toMatchObject({ accepted: report.sent, rejected: {}, engagements: announced.length, withoutWebhook: plan.engagements.length - announced.length });
    expect(receiver.unavailable).toBeGreaterThan(0);
    expect(report.retries).toBe(receiver.unavailable);
    expect(receiver.accepted).toHaveLength(report.sent);
    expect(new Set(receiver.accepted.map((a) => a.body)).size).toBe(report.deliveries);

    // Duplicates collapse on the event key: exactly the announced engagements remain.
    const receivedAt = new Date();
    const events = receiver.accepted.flatMap(({ path, body }) =>
      path.endsWith('/instagram') ? parseInstagramWebhook(JSON.parse(body), receivedAt).events : parseTikTokWebhook(JSON.parse(body), receivedAt).events,
    );
    expect(events.length).toBeGreaterThan(announced.length);
    expect(new Set(events.map((e) => e.eventKey)).size).toBe(announced.length);
  });

  it('counts deliveries refused for a bad signature by status, without retrying them', async () => {
    receiver = await startReceiver(() => false);
    const report = await sendWebhooks(plan.engagements, options(receiver.url, { instagramAppSecret: 'wrong', tiktokClientSecret: 'wrong' }));
    expect(report).toMatchObject({ accepted: 0, retries: 0, rejected: { '401': report.deliveries } });
  });

  it('retries past a 503, and gives up after the retries when nuqta is unreachable', async () => {
    receiver = await startReceiver(() => true);
    const few = plan.engagements.filter((e) => e.kind === 'comment').slice(0, 3);
    const report = await sendWebhooks(few, options(receiver.url, { maxRetries: 2, instagramBatch: 1 }));
    // Each body is refused only on its first attempt, so the first retry gets through.
    expect(report).toMatchObject({ deliveries: 3, accepted: 3, retries: 3 });

    await receiver.app.close();
    const unreachable = await sendWebhooks(few, options(receiver.url, { maxRetries: 2, instagramBatch: 1 }));
    expect(unreachable).toMatchObject({ accepted: 0, retries: 6, rejected: { network: 3 } });
  });
});
