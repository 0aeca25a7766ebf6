/**
 * Ingest throughput: how fast the partition consumers drain a queue of
 * signed Instagram comment webhooks (emulated followers, fraud scoring on)
 * into the ledger, the member records and the leaderboards, against a
 * ceiling measured in the same run on the same servers: the documents the
 * pipeline wrote, written again directly with the driver in batches.
 *
 *   npx tsx bench/ingest-throughput.ts [events ...]    (default 1000 20000 100000)
 *
 * Two campaigns for each size: a giveaway (one "comment to earn" post over
 * six hours, a follower for every three comments) and superfans (400
 * followers commenting on three posts over a week, so every member carries
 * a long history). For each: webhooks are accepted first (API only), then
 * the consumers start and the drain is timed, sampled every 250 ms for the
 * first and the last tenth. The one-at-a-time baseline (NUQTA_BATCH_SIZE=1)
 * runs on at most 2,000 events of the same plan to stay bounded in time.
 * Loopback only.
 */
import { MongoClient, type Document } from 'mongodb';
import pLimit from 'p-limit';
import type { Nuqta } from '../src/app.js';
import { memberIdOf, toEngagementEvent } from '../src/domain/event.js';
import { INGEST_PARTITIONS, type IngestJob } from '../src/ingestion/ingest-queue.js';
import { createLogger } from '../src/log.js';
import { planActivity } from '../src/platforms/emulator/activity-plan.js';
import { createPopulation } from '../src/platforms/emulator/population.js';
import { sendWebhooks } from '../src/platforms/emulator/webhook-sender.js';
import { memberTaskHandlers, openFromConfig, partitionConsumers, startRunning } from '../src/runtime.js';
import { BatchScorer } from '../src/scoring/batch-scorer.js';
import { dropTestData, testConfig, TEST_SECRETS } from '../test/helpers/test-nuqta.js';

const SIZES = process.argv.slice(2).map(Number).filter((size) => size > 0);
const BASELINE_MAX_EVENTS = 2_000;
const DRAIN_DEADLINE_MS = 20 * 60_000;
const SAMPLE_MS = 250;
const CAMPAIGN = 'thawb-style';
const BATCH = 500;

interface Drain {
  events: number;
  acceptedPerSecond: number;
  perSecond: number;
  firstTenth: number;
  lastTenth: number;
  /** Documents the pipeline wrote, by collection. */
  written: Map<string, number>;
}

interface Workload {
  name: string;
  describe(events: number): string;
  plan(events: number): ReturnType<typeof planActivity>['engagements'];
}

function workload(name: string, shape: { followers: (events: number) => number; posts: number; hours: number; label: string }): Workload {
  const mediaIds = Array.from({ length: shape.posts }, (_, index) => String(17900000000000101n + BigInt(index)));
  return {
    name,
    describe: (events) => `${name}: ${shape.label}, ${shape.followers(events)} followers`,
    plan: (events) => {
      const to = new Date();
      return planActivity(createPopulation({ seed: 11, size: shape.followers(events) }), {
        instagram: [{ accountId: '17841400000000001', mediaIds }],
        hashtags: ['thawbstyle'],
      }, { seed: 11, from: new Date(to.getTime() - shape.hours * 3_600_000), to, engagements: events, theme: 'clothing', mix: { hashtagPost: 0, deletion: 0 } }).engagements;
    },
  };
}

const WORKLOADS: readonly Workload[] = [
  workload('giveaway', { followers: (events) => Math.ceil(events / 3), posts: 1, hours: 6, label: 'one post, 6 hours' }),
  workload('superfans', { followers: () => 400, posts: 3, hours: 7 * 24, label: 'three posts, 7 days' }),
];

async function completed(nuqta: Nuqta): Promise<{ completed: number; failed: number }> {
  const counts = await Promise.all(nuqta.queue.partitions.map((queue) => queue.getJobCounts('completed', 'failed')));
  return counts.reduce<{ completed: number; failed: number }>((sum, count) => ({ completed: sum.completed + (count.completed ?? 0), failed: sum.failed + (count.failed ?? 0) }), { completed: 0, failed: 0 });
}

/** Accepts the plan's webhooks with no consumer running, then times the drain. */
async function drain(work: Workload, events: number, batchSize: number): Promise<Drain> {
  const config = testConfig('bench_ingest', { NUQTA_BATCH_SIZE: String(batchSize), NUQTA_EXPIRY_EVERY_MINUTES: '0' });
  const nuqta = await openFromConfig(config, createLogger('silent'));
  const api = await startRunning(nuqta, { serve: true, work: false });
  try {
    const plan = work.plan(events);
    const acceptStarted = performance.now();
    await sendWebhooks(plan, { baseUrl: api.url ?? '', instagramAppSecret: TEST_SECRETS.IG_APP_SECRET, tiktokClientSecret: TEST_SECRETS.TIKTOK_CLIENT_SECRET, concurrency: 8 });
    const acceptedPerSecond = plan.length / ((performance.now() - acceptStarted) / 1000);
    const queued = (await nuqta.queue.depth()).waiting ?? 0;

    await nuqta.queue.allowBatches();
    const consumers = partitionConsumers(nuqta);
    const samples: { at: number; done: number }[] = [];
    const started = performance.now();
    await consumers.start();
    for (;;) {
      const { completed: done, failed } = await completed(nuqta);
      samples.push({ at: performance.now(), done });
      if (failed > 0) throw new Error(`${failed} ingest jobs failed`);
      if (done >= queued) break;
      if (performance.now() - started > DRAIN_DEADLINE_MS) throw new Error(`the queue did not drain within ${DRAIN_DEADLINE_MS / 60_000} minutes`);
      await new Promise((resolve) => setTimeout(resolve, SAMPLE_MS));
    }
    const seconds = ((samples.at(-1)?.at ?? started) - started) / 1000;
    await consumers.stop();
    const written = new Map<string, number>();
    for (const name of ['events', 'ledger', 'decisions', 'members', 'flags']) written.set(name, await nuqta.db.collection(name).countDocuments());
    return { events: queued, acceptedPerSecond, perSecond: queued / seconds, ...tenths(samples, started, queued), written };
  } finally {
    await api.stop();
    await dropTestData(config);
  }
}

/** Rates over the first and the last tenth of the events drained. */
function tenths(samples: readonly { at: number; done: number }[], started: number, total: number): { firstTenth: number; lastTenth: number } {
  const timeAt = (done: number): number => {
    const index = samples.findIndex((sample) => sample.done >= done);
    const sample = samples[index];
    const before = samples[index - 1] ?? { at: started, done: 0 };
    if (!sample) return samples.at(-1)?.at ?? started;
    // Interpolated between samples.
    return before.at + ((done - before.done) / Math.max(1, sample.done - before.done)) * (sample.at - before.at);
  };
  const tenth = total / 10;
  return {
    firstTenth: tenth / ((timeAt(tenth) - started) / 1000),
    lastTenth: tenth / ((timeAt(total) - timeAt(total - tenth)) / 1000),
  };
}

/**
 * The ceiling: the same numbers of documents as the pipeline wrote, shaped
 * like its documents (sampled from a run of the same size), inserted with
 * the driver in batches of the pipeline's size, as many writers as partitions.
 */
async function ceiling(events: number, written: ReadonlyMap<string, number>, shapes: ReadonlyMap<string, Document[]>): Promise<number> {
  const config = testConfig('bench_ceiling');
  const client = new MongoClient(config.MONGODB_URI);
  await client.connect();
  try {
    const db = client.db();
    await db.collection('ledger').createIndex({ campaignId: 1, eventKey: 1, ruleId: 1 }, { unique: true });
    await db.collection('events').createIndex({ 'actor.platformUserId': 1, occurredAt: 1 });
    const work: { collection: string; documents: Document[] }[] = [];
    for (const [collection, count] of written) {
      const shape = shapes.get(collection) ?? [];
      if (shape.length === 0) continue;
      for (let start = 0; start < count; start += BATCH) {
        work.push({ collection, documents: Array.from({ length: Math.min(BATCH, count - start) }, (_, index) => {
          const { _id, eventKey, ...rest } = shape[(start + index) % shape.length] ?? {};
          const n = start + index;
          return { ...rest, _id: `${String(_id)}#${n}`, ...(eventKey === undefined ? {} : { eventKey: `${String(eventKey)}#${n}` }) };
        }) });
      }
    }
    const limit = pLimit(INGEST_PARTITIONS);
    const started = performance.now();
    await Promise.all(work.map(({ collection, documents }) => limit(() => db.collection(collection).insertMany(documents, { ordered: false }))));
    return events / ((performance.now() - started) / 1000);
  } finally {
    await client.db().dropDatabase();
    await client.close();
  }
}

/** Documents of each collection as a pipeline run wrote them, to shape the ceiling's writes. */
async function shapesOf(work: Workload, events: number): Promise<Map<string, Document[]>> {
  const config = testConfig('bench_shapes', { NUQTA_EXPIRY_EVERY_MINUTES: '0' });
  const nuqta = await openFromConfig(config, createLogger('silent'));
  const api = await startRunning(nuqta, { serve: true, work: true });
  try {
    const plan = work.plan(Math.min(events, 2_000));
    // Engagements the platforms announce by no webhook (a hashtag post) are not queued.
    const { engagements } = await sendWebhooks(plan, { baseUrl: api.url ?? '', instagramAppSecret: TEST_SECRETS.IG_APP_SECRET, tiktokClientSecret: TEST_SECRETS.TIKTOK_CLIENT_SECRET, concurrency: 8 });
    while ((await completed(nuqta)).completed < engagements) await new Promise((resolve) => setTimeout(resolve, SAMPLE_MS));
    const shapes = new Map<string, Document[]>();
    for (const name of ['events', 'ledger', 'decisions', 'members', 'flags']) shapes.set(name, await nuqta.db.collection(name).find().toArray());
    return shapes;
  } finally {
    await api.stop();
    await dropTestData(config);
  }
}

/**
 * What one event of a member costs after 10 and after 3,000 earlier events,
 * through the batch scorer (one member, ten events per batch), and how big
 * that member's record is then.
 */
async function memberCost(): Promise<{ after10: number; after3000: number; size10: number; size3000: number }> {
  const config = testConfig('bench_member', { NUQTA_EXPIRY_EVERY_MINUTES: '0' });
  const nuqta = await openFromConfig(config, createLogger('silent'));
  try {
    const scorer = new BatchScorer({ ...nuqta, tasks: memberTaskHandlers(nuqta) });
    const start = Date.parse('2026-06-01T00:00:00+03:00');
    let sent = 0;
    const jobs = (count: number): IngestJob[] => Array.from({ length: count }, () => {
      sent += 1;
      const occurredAt = new Date(start + sent * 10 * 60_000);
      return { event: toEngagementEvent({
        platform: 'instagram', kind: 'comment', actor: { platformUserId: 'bench-member', username: 'bench.member' },
        target: { accountId: '17841400000000001', mediaId: '17900000000000101' }, text: `comment number ${sent} on the new collection`,
        occurredAt, receivedAt: occurredAt, source: 'emulator', verified: true, platformEventId: `bench-${sent}`,
      }) };
    });
    const score = async (count: number): Promise<void> => {
      for (let done = 0; done < count; done += BATCH) await scorer.score(jobs(Math.min(BATCH, count - done)), () => undefined);
    };
    const measure = async (): Promise<{ perEvent: number; size: number }> => {
      const started = performance.now();
      for (let batch = 0; batch < 10; batch += 1) await scorer.score(jobs(10), () => undefined);
      const perEvent = (performance.now() - started) / 100;
      const record = await nuqta.redis.get(nuqta.states.key(CAMPAIGN, memberIdOf('instagram', 'bench-member')));
      return { perEvent, size: Buffer.byteLength(record ?? '') };
    };
    await score(10);
    const early = await measure();
    await score(3_000 - sent);
    const late = await measure();
    return { after10: early.perEvent, after3000: late.perEvent, size10: early.size, size3000: late.size };
  } finally {
    await nuqta.close();
    await dropTestData(config);
  }
}

async function main(): Promise<void> {
  const sizes = SIZES.length > 0 ? SIZES : [1_000, 20_000, 100_000];
  for (const work of WORKLOADS) {
    const shapes = await shapesOf(work, Math.max(...sizes));
    for (const size of sizes) {
      const batched = await drain(work, size, BATCH);
      const baseline = await drain(work, Math.min(size, BASELINE_MAX_EVENTS), 1);
      const top = await ceiling(batched.events, batched.written, shapes);
      const documents = [...batched.written].map(([name, count]) => `${name} ${count}`).join(', ');
      console.log(`end to end  ${batched.perSecond.toFixed(0)} events/s  (${batched.events} events, batch ${BATCH}; ${work.describe(size)})`);
      console.log(`batch 1     ${baseline.perSecond.toFixed(0)} events/s  (${baseline.events} events; batched/batch 1 = ${(batched.perSecond / baseline.perSecond).toFixed(1)}×)`);
      console.log(`ceiling     ${top.toFixed(0)} events/s  (the same documents written directly: ${documents})`);
      console.log(`ratio       ${(batched.perSecond / top).toFixed(2)} of the ceiling`);
      console.log(`last tenth  ${batched.lastTenth.toFixed(0)} events/s against the first tenth's ${batched.firstTenth.toFixed(0)} (${(batched.lastTenth / batched.firstTenth).toFixed(2)}×)`);
      console.log(`accepted    ${batched.acceptedPerSecond.toFixed(0)} events/s (signed webhooks, durably queued)`);
    }
  }
  const cost = await memberCost();
  console.log(`per event   ${cost.after10.toFixed(2)} ms after 10 earlier events, ${cost.after3000.toFixed(2)} ms after 3,000 (${(cost.after3000 / cost.after10).toFixed(2)}×)`);
  console.log(`record size ${cost.size10} bytes after 10 events, ${cost.size3000} bytes after 3,000`);
}

await main();
// Let the figures reach a pipe before leaving (a stray timer must not keep the run alive).
process.stdout.write('', () => process.exit(0));
