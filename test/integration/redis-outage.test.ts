import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commentWebhook, postInstagramWebhook } from '../helpers/instagram.js';
import { ownRedis, type OwnRedis } from '../helpers/own-redis.js';
import { eventually, startTestNuqta, type TestNuqta } from '../helpers/test-nuqta.js';

let redis: OwnRedis;
let app: TestNuqta;

beforeAll(async () => {
  redis = await ownRedis();
  await redis.start();
  app = await startTestNuqta('redis_outage', { env: { REDIS_URL: redis.url } });
});
afterAll(async () => {
  await redis.start().catch(() => undefined);
  await app?.cleanup();
  await redis?.stop();
  redis?.remove();
});

const pointsOf = async (memberId: string): Promise<number> =>
  (await app.nuqta.ledger.entriesAfter('qahwa-corner', memberId, 0)).reduce((sum, entry) => sum + entry.points, 0);

describe('webhooks while Redis is down', () => {
  it('answers 503, never 200, and awards the event once Redis is back and the platform retries', async () => {
    const body = commentWebhook([{ commentId: 'c-outage-1', userId: '7001', text: 'وصلت القهوة؟ ☕' }]);
    await redis.stop();
    const during = await postInstagramWebhook(app.url, body);
    expect(during.status).toBe(503);
    expect(await during.json()).toMatchObject({ error: { code: 'NUQTA_QUEUE_UNAVAILABLE' } });
    const ready = await fetch(`${app.url}/readyz`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toMatchObject({ status: 'not_ready', down: ['redis'] });

    await redis.start();
    // The platform retries the delivery it was refused.
    const retried = await eventually(async () => {
      const response = await postInstagramWebhook(app.url, body);
      return response.status === 200 ? response : undefined;
    }, 20_000, 'the webhook to be accepted after Redis is back');
    expect(retried.status).toBe(200);
    expect(await eventually(async () => ((await pointsOf('instagram:7001')) === 5 ? 5 : undefined), 20_000, 'the award')).toBe(5);
  });

  it('keeps an acknowledged event through a Redis restart', async () => {
    await Promise.all(app.workers.map((worker) => worker.pause()));
    const body = commentWebhook([{ commentId: 'c-outage-2', userId: '7002', text: 'Acknowledged means kept' }]);
    expect((await postInstagramWebhook(app.url, body)).status).toBe(200);
    await redis.stop();
    await redis.start();
    app.workers.forEach((worker) => worker.resume());
    expect(await eventually(async () => ((await pointsOf('instagram:7002')) === 5 ? 5 : undefined), 30_000, 'the award after restart')).toBe(5);
  });
});
