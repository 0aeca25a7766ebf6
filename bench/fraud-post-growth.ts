/**
 * What the fraud scorer pays per comment as one post grows to 50,000
 * comments: the history of a batch read from Redis (BatchHistory, the reads
 * production makes: the member's week, the post's newest 2,000 actions of
 * the day, the account's texts, first-seen times of everyone on the post in
 * the wave hour, arrival cohorts) and the verdict (scoreFraud, with the
 * stock-text wave check). Every read is bounded, so the cost per comment
 * rises while the windows fill (the post's newest 2,000 actions, the
 * account's 2,000 comparable texts of the day: about 12,000 comments here)
 * and must stay flat after: each size is printed as a ratio to the same
 * measurement at 20,000 comments, where every read is at its bound (the
 * ceiling), taken in the same run on the same servers (target: at most 1.5×). For scale, the time to read everything the history keeps for
 * the post (up to 5,000 records: what an unbounded check would read per
 * comment) is printed next to it.
 *
 *   npx tsx bench/fraud-post-growth.ts [comments…]    (default 2000 5000 20000 35000 50000)
 *
 * The post gets a comment every 1.2 seconds (50,000 in under 17 hours) from
 * a crowd of 20,000 people: half known to the campaign from earlier posts,
 * half first seen on this post; a third write the same stock praise. Each
 * measurement scores 10 batches of 20 new comments arriving on the post, by
 * people new to it (half known to the campaign, half never seen), median of
 * 5 rounds.
 */
import { cpus, loadavg } from 'node:os';
import type { Campaign } from '../src/config/campaign-schema.js';
import { toEngagementEvent, type EngagementEvent } from '../src/domain/event.js';
import { createLogger } from '../src/log.js';
import { openFromConfig } from '../src/runtime.js';
import { BatchHistory } from '../src/scoring/batch-history.js';
import { buildRecentActivity, FRAUD_WINDOWS, fraudListsFor, scoreFraud } from '../src/scoring/fraud/index.js';
import type { ChainableCommander } from 'ioredis';
import type { RedisFraudHistory } from '../src/scoring/fraud-history.js';
import { dropTestData, testConfig } from '../test/helpers/test-nuqta.js';

const SIZES = process.argv.slice(2).map(Number).filter((size) => size > 0);
const CAMPAIGN = 'qahwa-corner';
const ACCOUNT = '17841400000000002';
const POST = '17900000000000201';
const CROWD = 20_000;
const GAP_MS = 1_200;
const BATCHES = 10;
const BATCH = 20;
const ROUNDS = 5;
const FLAT_RATIO = 1.5;
/** Every bounded read is full from about 12,000 comments on: the cost there is the ceiling. */
const CEILING_AT = 20_000;
const REMEMBER_CHUNK = 1_000;
/** The measured comments come from people outside the post's crowd: these known ones, and as many never seen. */
const PROBE_PEOPLE = 1_000;
const PROBE_KNOWN = 1_000_000;
const PROBE_NEW = 2_000_000;
const PRAISE = ['ما شاء الله القهوة 😍', 'ماشاءالله القهوه', 'Love it 😍', 'جميل', 'الكورتادو عندكم رهيب بس الزحمة كثيرة', 'متى تفتحون فرع في جدة؟'];

const START = Date.parse('2027-02-01T09:00:00+03:00');

function comment(n: number, person: number, at: number): EngagementEvent {
  const occurredAt = new Date(at);
  return toEngagementEvent({
    platform: 'instagram', kind: 'comment', actor: { platformUserId: `17841488${String(person).padStart(7, '0')}`, username: `fan.${person}` },
    target: { accountId: ACCOUNT, mediaId: POST }, text: PRAISE[n % PRAISE.length] ?? '',
    occurredAt, receivedAt: occurredAt, source: 'emulator', verified: true, platformEventId: `growth-${n}`,
  });
}

async function remember(history: RedisFraudHistory, pipelineOf: () => ChainableCommander, events: readonly EngagementEvent[]): Promise<void> {
  for (let from = 0; from < events.length; from += REMEMBER_CHUNK) {
    const pipeline = pipelineOf();
    history.queueRemember(pipeline, events.slice(from, from + REMEMBER_CHUNK).map((event) => ({ event, campaignIds: [CAMPAIGN] })));
    await pipeline.exec();
  }
}

const median = (values: readonly number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;

async function main(): Promise<void> {
  const sizes = SIZES.length > 0 ? SIZES : [2_000, 5_000, 20_000, 35_000, 50_000];
  const config = testConfig('bench_post_growth', { NUQTA_EXPIRY_EVERY_MINUTES: '0' });
  const nuqta = await openFromConfig(config, createLogger('silent'));
  try {
    const campaign: Campaign = nuqta.campaigns.get(CAMPAIGN).campaign;
    const lists = fraudListsFor(campaign);
    const pipelineOf = () => nuqta.redis.pipeline();
    // The known half of the crowd, and the known people whose new comments are measured: each first
    // seen on an earlier post, a week before.
    const known = [...Array.from({ length: CROWD / 2 }, (_, person) => person), ...Array.from({ length: PROBE_PEOPLE }, (_, i) => PROBE_KNOWN + i)];
    await remember(nuqta.fraudHistory, pipelineOf, known.map((person) => {
      const at = START - 7 * 86_400_000 + person * 30_000;
      return toEngagementEvent({
        platform: 'instagram', kind: 'comment', actor: { platformUserId: `17841488${String(person).padStart(7, '0')}`, username: `fan.${person}` },
        target: { accountId: ACCOUNT, mediaId: `earlier-${person % 20}` }, text: `جربت اللاتيه ${person}`,
        occurredAt: new Date(at), receivedAt: new Date(at), source: 'emulator', verified: true, platformEventId: `earlier-${person}`,
      });
    }));

    let stored = 0;
    let probe = 0;
    const costs: { size: number; perComment: number; line: string }[] = [];
    console.log(`fraud scoring per comment as one post grows (${cpus().length} cores, load ${loadavg()[0]?.toFixed(1)})`);
    for (const size of sizes) {
      const growth = Array.from({ length: size - stored }, (_, i) => comment(stored + i, (stored + i) % CROWD, START + (stored + i) * GAP_MS));
      await remember(nuqta.fraudHistory, pipelineOf, growth);
      stored = size;
      const lastAt = START + stored * GAP_MS;
      const rounds: number[] = [];
      for (let round = 0; round < ROUNDS; round += 1) {
        let elapsed = 0;
        for (let batch = 0; batch < BATCHES; batch += 1) {
          // New comments just after the post's latest, by people new to the post (half known to the
          // campaign, half never seen), so every size measures the same kind of comment.
          const events = Array.from({ length: BATCH }, () => {
            probe += 1;
            const person = (probe % 2 === 0 ? PROBE_KNOWN : PROBE_NEW) + (probe % PROBE_PEOPLE);
            return comment(1_000_000 + probe, person, lastAt + (probe % 1_000) * 10);
          });
          const started = performance.now();
          const history = await BatchHistory.load(nuqta.fraudHistory, events.map((event) => ({ event, campaign, judged: true })));
          events.forEach((event, index) => {
            scoreFraud({ event, campaign, history: buildRecentActivity(event, history.sourceFor(index)), lists, now: event.occurredAt });
          });
          elapsed += performance.now() - started;
        }
        rounds.push(elapsed / (BATCHES * BATCH));
      }
      const perComment = median(rounds);
      const started = performance.now();
      const whole = await nuqta.redis.zrangebyscore(nuqta.fraudHistory.mediaKey('instagram', POST), lastAt - FRAUD_WINDOWS.mediaLookbackMs, lastAt);
      const wholeMs = performance.now() - started;
      costs.push({ size, perComment, line: `(reading all the history keeps for the post instead: ${whole.length} records, ${wholeMs.toFixed(1)} ms per comment)` });
    }
    const ceiling = costs.find((cost) => cost.size >= CEILING_AT) ?? costs.at(-1);
    for (const { size, perComment, line } of costs) {
      const ratio = perComment / (ceiling?.perComment ?? perComment);
      console.log(`${String(size).padStart(6)} comments on the post  ${perComment.toFixed(3)} ms per comment  ratio ${ratio.toFixed(2)}× of the ceiling (${ceiling?.size} comments)  ${line}`);
      if (ratio > FLAT_RATIO) process.exitCode = 1;
    }
    console.log(process.exitCode === 1 ? `NOT flat: a ratio above ${FLAT_RATIO}×` : `flat: every ratio at most ${FLAT_RATIO}×`);
  } finally {
    await nuqta.close();
    await dropTestData(config);
  }
}

await main();
