/**
 * What a paid order with a referral code costs scoring, against a comment.
 * The café campaign (config/campaigns/cafe.yaml, bring-a-friend) gets its
 * referrers first (members who commented, each with their own code; not
 * timed); then the same number of events is accepted with no worker
 * running and drained by a worker process twice: plain comments by new
 * followers (the ceiling of this run), and first orders by new buyers, each
 * with a referrer's code (three buyers per code: a member's friends). An
 * order reads its code by key, takes a use in one Redis script, is judged
 * and scored, writes its attribution record, and queues the referrer's
 * award in the referrer's partition; the drain ends when those awards are
 * written too.
 *
 *   npx tsx bench/referral-orders.ts [events]    (default 3000)
 *
 * Loopback only.
 */
import type { Nuqta } from '../src/app.js';
import { createLogger } from '../src/log.js';
import { openFromConfig, startRunning, type Running } from '../src/runtime.js';
import { dropTestData, testConfig, TEST_SECRETS } from '../test/helpers/test-nuqta.js';

const EVENTS = Number(process.argv[2] ?? 3_000);
const CAMPAIGN = 'qahwa-corner';
const ACCOUNT = '17841400000000002';
const BUYERS_PER_CODE = 3;
const DRAIN_DEADLINE_MS = 10 * 60_000;

type Kind = 'comment' | 'purchase';

async function post(url: string, events: readonly object[]): Promise<void> {
  for (let from = 0; from < events.length; from += 500) {
    const response = await fetch(`${url}/v1/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${TEST_SECRETS.ingestKey}` },
      body: JSON.stringify({ events: events.slice(from, from + 500) }),
    });
    if (response.status !== 202) throw new Error(`POST /v1/events answered ${response.status}: ${await response.text()}`);
  }
}

const WORDS = ['cardamom', 'latte', 'saffron', 'pistachio', 'morning', 'terrace', 'barista', 'espresso', 'dates', 'friday', 'croissant', 'mint',
  'tea', 'rose', 'cheesecake', 'corniche', 'sister', 'weekend', 'cold', 'brew', 'honey', 'cake', 'view', 'music', 'friends', 'quiet', 'desk', 'study'];
const MEDIA = ['17900000000000201', '17900000000000202'];

/** Ordinary comments: each follower's own words, on the café's two posts. */
const comment = (user: string, index: number, at: Date) => {
  const seed = Number(user) * 7 + index;
  const text = Array.from({ length: 7 }, (_, word) => WORDS[(seed * (word + 3) + word * 11) % WORDS.length]).join(' ');
  return {
    platform: 'instagram', kind: 'comment', verified: true, platformEventId: `c-${user}-${index}`,
    actor: { platformUserId: user, username: `follower.${user}` }, target: { accountId: ACCOUNT, mediaId: MEDIA[seed % MEDIA.length], commentId: `c-${user}-${index}` },
    text, occurredAt: at.toISOString(),
  };
};

const purchase = (user: string, code: string, at: Date) => ({
  platform: 'instagram', kind: 'purchase', platformEventId: `order-${user}`,
  actor: { platformUserId: user, username: `buyer.${user}` }, target: { accountId: ACCOUNT }, occurredAt: at.toISOString(),
  order: { amount: 95, currency: 'SAR', code, customerRef: `c-${user}`, shippingRef: `a-${user}` },
});

async function queueEmpty(nuqta: Nuqta): Promise<boolean> {
  const depth = await nuqta.queue.depth();
  return (depth.waiting ?? 0) + (depth.active ?? 0) + (depth.delayed ?? 0) + (depth.prioritized ?? 0) === 0;
}

async function drained(api: Running, started: number): Promise<void> {
  while (!(await queueEmpty(api.nuqta))) {
    if (performance.now() - started > DRAIN_DEADLINE_MS) throw new Error('the queue did not drain in time');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Referrers with their codes (not timed), then the measured events accepted and drained by a worker process. */
async function drain(kind: Kind): Promise<{ perSecond: number; referrerAwards: number }> {
  const config = testConfig('bench_referrals', { NUQTA_EXPIRY_EVERY_MINUTES: '0' });
  const api = await startRunning(await openFromConfig(config, createLogger('silent')), { serve: true, work: true });
  const url = api.url ?? '';
  try {
    const referrers = Array.from({ length: Math.ceil(EVENTS / BUYERS_PER_CODE) }, (_, index) => `9${String(index).padStart(7, '0')}`);
    const at = new Date(Date.now() - 60_000);
    await post(url, referrers.map((user) => comment(user, 0, at)));
    await drained(api, performance.now());
    const { campaign } = api.nuqta.campaigns.get(CAMPAIGN);
    const codes = await Promise.all(referrers.map(async (user) => (await api.nuqta.referralCodes.forMember(campaign, 'bring-a-friend', { memberId: `instagram:${user}`, username: `follower.${user}` }, new Date())).code.code));
    // The worker of the set-up stops: the measured events wait in the queue for a worker process of their own.
    await api.consumers?.stop();
    const events = Array.from({ length: EVENTS }, (_, index) => {
      const user = `1${String(index).padStart(7, '0')}`;
      return kind === 'comment' ? comment(user, 1, at) : purchase(user, codes[Math.floor(index / BUYERS_PER_CODE)] ?? '', at);
    });
    await post(url, events);

    const started = performance.now();
    const worker = await startRunning(await openFromConfig(config, createLogger('silent')), { serve: false, work: true });
    try {
      await drained(api, started);
      const perSecond = EVENTS / ((performance.now() - started) / 1000);
      const awards = kind === 'purchase' ? (await api.nuqta.referralOrders.ofCampaign(CAMPAIGN)).filter((order) => order.points.referrer > 0).length : 0;
      return { perSecond, referrerAwards: awards };
    } finally {
      await worker.stop();
    }
  } finally {
    await api.stop();
    await dropTestData(config);
  }
}

const comments = await drain('comment');
const orders = await drain('purchase');
console.log(`comments          ${comments.perSecond.toFixed(0)} events/s (${EVENTS} events; the ceiling of this run)`);
console.log(`orders with codes ${orders.perSecond.toFixed(0)} events/s, ${orders.referrerAwards} of them award a referrer, ratio ${(orders.perSecond / comments.perSecond).toFixed(2)}`);
process.stdout.write('', () => process.exit(0));
