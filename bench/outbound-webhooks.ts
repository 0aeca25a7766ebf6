/**
 * Does a brand's webhook receiver slow scoring? The same signed comment
 * webhooks are accepted, then drained by a worker process three ways: no
 * endpoint registered (the ceiling of this run), an endpoint that answers
 * 200 at once, and one that accepts the connection and never answers (every
 * delivery waits out its timeout and is retried). Scoring writes only to the
 * outbox; deliveries run in their own queue.
 *
 *   npx tsx bench/outbound-webhooks.ts [events]    (default 5000)
 *
 * Loopback only; each receiver is a local server.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Nuqta } from '../src/app.js';
import { createLogger } from '../src/log.js';
import { planActivity } from '../src/platforms/emulator/activity-plan.js';
import { createPopulation } from '../src/platforms/emulator/population.js';
import { sendWebhooks } from '../src/platforms/emulator/webhook-sender.js';
import { openFromConfig, startRunning } from '../src/runtime.js';
import { dropTestData, testConfig, TEST_SECRETS } from '../test/helpers/test-nuqta.js';

const EVENTS = Number(process.argv[2] ?? 5_000);
const CAMPAIGN = 'thawb-style';
const DRAIN_DEADLINE_MS = 10 * 60_000;

type Receiver = 'none' | 'answering' | 'dead';

async function receiverServer(kind: Exclude<Receiver, 'none'>): Promise<{ url: string; hits: () => number; close: () => Promise<void> }> {
  let hits = 0;
  const server: Server = createServer((request, response) => {
    hits += 1;
    request.resume();
    // A dead receiver holds the connection open and never answers.
    if (kind === 'answering') request.on('end', () => response.writeHead(200).end('ok'));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`,
    hits: () => hits,
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

async function completed(nuqta: Nuqta): Promise<number> {
  const counts = await Promise.all(nuqta.queue.partitions.map((queue) => queue.getJobCounts('completed')));
  return counts.reduce((sum, count) => sum + (count.completed ?? 0), 0);
}

/** Accepts the webhooks with no worker running, then times a worker process draining them. */
async function drain(receiver: Receiver): Promise<{ perSecond: number; deliveries: number }> {
  const config = testConfig('bench_outbound', { NUQTA_EXPIRY_EVERY_MINUTES: '0', NUQTA_WEBHOOK_TIMEOUT_SECONDS: '5' });
  const api = await startRunning(await openFromConfig(config, createLogger('silent')), { serve: true, work: false });
  const server = receiver === 'none' ? undefined : await receiverServer(receiver);
  try {
    if (server) await api.nuqta.outbound.endpoints.add({ campaignId: CAMPAIGN, url: server.url, events: ['points.earned', 'reward.unlocked', 'tier.reached'] }, new Date());
    const to = new Date();
    const plan = planActivity(createPopulation({ seed: 11, size: Math.ceil(EVENTS / 3) }), {
      instagram: [{ accountId: '17841400000000001', mediaIds: ['17900000000000101'] }],
      hashtags: ['thawbstyle'],
    }, { seed: 11, from: new Date(to.getTime() - 6 * 3_600_000), to, engagements: EVENTS, theme: 'clothing', mix: { hashtagPost: 0, deletion: 0 } }).engagements;
    await sendWebhooks(plan, { baseUrl: api.url ?? '', instagramAppSecret: TEST_SECRETS.IG_APP_SECRET, tiktokClientSecret: TEST_SECRETS.TIKTOK_CLIENT_SECRET, concurrency: 8 });
    const queued = (await api.nuqta.queue.depth()).waiting ?? 0;

    const started = performance.now();
    const worker = await startRunning(await openFromConfig(config, createLogger('silent')), { serve: false, work: true });
    try {
      while ((await completed(api.nuqta)) < queued) {
        if (performance.now() - started > DRAIN_DEADLINE_MS) throw new Error('the queue did not drain in time');
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      const perSecond = queued / ((performance.now() - started) / 1000);
      return { perSecond, deliveries: server?.hits() ?? 0 };
    } finally {
      await server?.close();
      await worker.stop();
    }
  } finally {
    await api.stop();
    await dropTestData(config);
  }
}

const none = await drain('none');
const answering = await drain('answering');
const dead = await drain('dead');
console.log(`no endpoint       ${none.perSecond.toFixed(0)} events/s (${EVENTS} events; the ceiling of this run)`);
console.log(`answering (200)   ${answering.perSecond.toFixed(0)} events/s, ${answering.deliveries} deliveries during the drain, ratio ${(answering.perSecond / none.perSecond).toFixed(2)}`);
console.log(`dead (no answer)  ${dead.perSecond.toFixed(0)} events/s, ${dead.deliveries} requests left hanging, ratio ${(dead.perSecond / none.perSecond).toFixed(2)}`);
process.stdout.write('', () => process.exit(0));
