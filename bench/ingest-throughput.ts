/**
 * Ingest throughput: signed Instagram webhooks → queue → worker → ledger,
 * projections and leaderboards, against a ceiling measured in the same run on
 * the same servers: bare MongoDB-wire inserts by as many concurrent writers as
 * there are ingest partitions (every scored event needs several such writes).
 *
 *   npx tsx bench/ingest-throughput.ts [events]   (default 1500; loopback only, bounded)
 */
import { MongoClient } from 'mongodb';
import pLimit from 'p-limit';
import { INGEST_PARTITIONS } from '../src/ingestion/ingest-queue.js';
import { createPopulation } from '../src/platforms/emulator/population.js';
import { planActivity } from '../src/platforms/emulator/activity-plan.js';
import { sendWebhooks } from '../src/platforms/emulator/webhook-sender.js';
import { dropTestData, startTestNuqta, TEST_SECRETS } from '../test/helpers/test-nuqta.js';

const EVENTS = Number(process.argv[2] ?? 1500);
const DEADLINE_MS = 5 * 60_000;

async function insertCeiling(uri: string, operations: number): Promise<number> {
  const client = new MongoClient(uri);
  await client.connect();
  const collection = client.db().collection<{ _id: string; member: string; points: number; text: string }>('ceiling');
  const limit = pLimit(INGEST_PARTITIONS);
  const started = performance.now();
  await Promise.all(Array.from({ length: operations }, (_, index) =>
    limit(() => collection.insertOne({ _id: `ceiling-${index}`, member: `m${index % 97}`, points: 10, text: 'x'.repeat(200) }))));
  const seconds = (performance.now() - started) / 1000;
  await client.db().dropDatabase();
  await client.close();
  return operations / seconds;
}

async function main(): Promise<void> {
  const app = await startTestNuqta('bench_ingest');
  try {
    const ceiling = await insertCeiling(app.config.MONGODB_URI.replace(/\/[^/]*$/, '/bench_ceiling'), 2000);
    const campaign = app.nuqta.campaigns.get('thawb-style').campaign;
    const to = new Date();
    const plan = planActivity(createPopulation({ seed: 11, size: 400 }), {
      instagram: campaign.accounts.instagram.map((accountId) => ({ accountId, mediaIds: campaign.media })),
      hashtags: campaign.hashtags,
    }, { seed: 11, from: new Date(to.getTime() - 7 * 86_400_000), to, engagements: EVENTS, theme: 'clothing', mix: { hashtagPost: 0, deletion: 0 } });

    const started = performance.now();
    const report = await sendWebhooks(plan.engagements, {
      baseUrl: app.url, instagramAppSecret: TEST_SECRETS.IG_APP_SECRET, tiktokClientSecret: TEST_SECRETS.TIKTOK_CLIENT_SECRET, concurrency: 8,
    });
    const accepted = performance.now();
    for (;;) {
      const depth = await app.nuqta.queue.depth();
      if ((depth.waiting ?? 0) + (depth.active ?? 0) + (depth.delayed ?? 0) === 0) break;
      if (performance.now() - started > DEADLINE_MS) throw new Error('the workers did not drain the queue within 5 minutes');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const drained = performance.now();
    const stored = await app.nuqta.db.collection('events').countDocuments();
    const scoredPerSecond = stored / ((drained - started) / 1000);
    console.log(`events stored            ${stored} (${report.accepted}/${report.sent} deliveries accepted)`);
    console.log(`webhook acceptance       ${(stored / ((accepted - started) / 1000)).toFixed(0)} events/s (durably queued)`);
    console.log(`end to end (scored)      ${scoredPerSecond.toFixed(0)} events/s`);
    console.log(`ceiling: bare inserts    ${ceiling.toFixed(0)} inserts/s with ${INGEST_PARTITIONS} writers`);
    console.log(`ratio scored/ceiling     ${(scoredPerSecond / ceiling).toFixed(3)} (each scored event costs ${(ceiling / scoredPerSecond).toFixed(1)} bare inserts)`);
  } finally {
    await app.cleanup();
    await dropTestData(app.config);
  }
}

await main();
