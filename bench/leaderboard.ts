/**
 * Leaderboard reads on a big board: the top 10 and a member's rank with the
 * members around them, through the HTTP API, against a ceiling measured in
 * the same run on the same Redis: the same reads done raw with the same
 * client (ZREVRANGE 0 9 WITHSCORES; ZREVRANK, then ZREVRANGE around it).
 *
 *   npx tsx bench/leaderboard.ts [members]    (default 1000000)
 *
 * One campaign's all-time board is filled directly in Redis the way the
 * ledger writer leaves it, through the stores' own pipeline calls: each
 * member's record (identity and a state folded from k comment awards, k
 * long-tailed, the tie-break time varied per member), their standing on the
 * board and the name shown beside it, 10,000 members per pipeline. Then the
 * API serves (no workers) and the reads run one at a time, API and raw
 * interleaved so both see the same conditions, each timed from the caller
 * (the API side includes HTTP on loopback and parsing the JSON answer).
 * Exits 1 when an API answer disagrees with the raw read.
 */
import { Agent, get as httpGet } from 'node:http';
import { cpus, loadavg } from 'node:os';
import type { Nuqta } from '../src/app.js';
import type { LoadedCampaign } from '../src/config/campaign-loader.js';
import { eventKeyOf, memberIdOf } from '../src/domain/event.js';
import { mulberry32 } from '../src/domain/seeded.js';
import { BoardSink } from '../src/leaderboard/board-sink.js';
import { leaderboardKey } from '../src/leaderboard/leaderboard-index.js';
import type { MemberFact } from '../src/ledger/entry.js';
import { stateOf, type MemberState } from '../src/ledger/member-state.js';
import type { MemberRecord } from '../src/ledger/member-states.js';
import { stateSpecOf } from '../src/ledger/state-spec.js';
import { createLogger } from '../src/log.js';
import { openFromConfig, startRunning } from '../src/runtime.js';
import { dropTestData, testConfig, TEST_SECRETS } from '../test/helpers/test-nuqta.js';

const MEMBERS = Number(process.argv[2] ?? 1_000_000);
/** Public boards, names shown (not anonymized), a cooldown rule and expiry lots: the fullest member records. */
const CAMPAIGN = 'thawb-style';
const PER_PIPELINE = 10_000;
const READS = 2_000;
const WARM_UP = 200;
/** Rows above and below the member in a rank read (the API's default). */
const AROUND = 3;
/**
 * Awards per member are long-tailed: Pareto with this shape (about two
 * members in three have one), at most 149 of 10 points, below the campaign's
 * 1,500-point tier, so the folded states need no tier entries to be right.
 */
const AWARDS_SHAPE = 1.5;
const MOST_AWARDS = 149;
/** Pipelines in flight while the next is built. */
const PIPELINES_IN_FLIGHT = 2;
const TARGET_P99_MS = 5;
const DAY_MS = 86_400_000;

interface Figures {
  p50: number;
  p99: number;
}

/** A member's state after `awards` posted comment awards, one a day from the campaign's start, as the writer folds them. */
function foldedState(loaded: LoadedCampaign, awards: number): MemberState {
  const { campaign } = loaded;
  const start = campaign.starts_at.getTime();
  const points = campaign.rules.find((rule) => rule.id === 'comment')?.points ?? 10;
  const facts: MemberFact[] = Array.from({ length: awards }, (_, index) => {
    const occurredAt = new Date(start + index * DAY_MS + 10 * 3_600_000);
    return {
      seq: index + 1, eventKey: eventKeyOf('instagram', 'comment', `bench-${index}`), ruleId: 'comment', kind: 'earn',
      points, status: 'posted', occurredAt, createdAt: new Date(occurredAt.getTime() + 1_000),
    };
  });
  return stateOf(facts, stateSpecOf(campaign));
}

/** Writes `members` member records, board standings and names in pipelines; returns how long it took. */
async function fill(nuqta: Nuqta, loaded: LoadedCampaign, members: number): Promise<number> {
  const { campaign } = loaded;
  const random = mulberry32(7);
  const sink = new BoardSink(nuqta.leaderboard);
  const states = new Map<number, MemberState>();
  const spread = campaign.ends_at.getTime() - campaign.starts_at.getTime();
  const firstSeenAt = campaign.starts_at;
  const started = performance.now();
  const inFlight = new Set<Promise<void>>();
  for (let from = 0; from < members; from += PER_PIPELINE) {
    const pipeline = nuqta.redis.pipeline();
    for (let index = from; index < Math.min(members, from + PER_PIPELINE); index += 1) {
      // Most members sit in long runs of equal points.
      const awards = Math.min(MOST_AWARDS, Math.floor(1 / (1 - random()) ** (1 / AWARDS_SHAPE)));
      let folded = states.get(awards);
      if (!folded) states.set(awards, (folded = foldedState(loaded, awards)));
      const [points, , seq] = folded.boards.all ?? [0, 0, 0];
      // When the member reached their points decides ties, so it differs from member to member.
      const reachedAt = campaign.starts_at.getTime() + Math.floor(random() * spread * 0.3);
      const platformUserId = String(178_400_000_000_000 + index);
      const record: MemberRecord = {
        campaignId: campaign.id, memberId: memberIdOf('instagram', platformUserId), platform: 'instagram', platformUserId,
        username: `fan.${index.toString(36)}`, hideName: random() < 0.01, firstSeenAt,
        state: { ...folded, boards: { ...folded.boards, all: [points, reachedAt, seq] } },
      };
      nuqta.states.queuePut(pipeline, record);
      sink.project(pipeline, { campaign, record, boards: ['all'], named: true });
    }
    const done = Math.min(members, from + PER_PIPELINE);
    const written = pipeline.exec().then((replies) => {
      const failed = (replies ?? []).find(([error]) => error !== null);
      if (failed?.[0]) throw failed[0];
      if (done % 100_000 === 0) console.log(`filled      ${done} members (${((performance.now() - started) / 1000).toFixed(1)} s)`);
    });
    inFlight.add(written);
    void written.finally(() => inFlight.delete(written)).catch(() => undefined);
    if (inFlight.size >= PIPELINES_IN_FLIGHT) await Promise.race(inFlight);
  }
  await Promise.all(inFlight);
  return (performance.now() - started) / 1000;
}

/** Waits (at most a minute) for a background AOF rewrite or save the fill set off, so it does not run under the reads. */
async function quietRedis(nuqta: Nuqta): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    const info = await nuqta.redis.info('persistence');
    if (!/aof_rewrite_in_progress:1|rdb_bgsave_in_progress:1|aof_rewrite_scheduled:1/.test(info)) return;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

function fetchJson(agent: Agent, url: string, headers: Record<string, string>): Promise<unknown> {
  return new Promise((resolve, reject) => {
    httpGet(url, { agent, headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('error', reject);
      response.on('end', () => {
        const body = Buffer.concat(chunks).toString();
        if (response.statusCode === 200) resolve(JSON.parse(body));
        else reject(new Error(`GET ${url}: ${response.statusCode} ${body}`));
      });
    }).on('error', reject);
  });
}

function figuresOf(times: number[]): Figures {
  const sorted = [...times].sort((a, b) => a - b);
  const at = (quantile: number): number => sorted[Math.min(sorted.length - 1, Math.ceil(quantile * sorted.length) - 1)] ?? Number.NaN;
  return { p50: at(0.5), p99: at(0.99) };
}

async function main(): Promise<void> {
  if (!(Number.isInteger(MEMBERS) && MEMBERS > AROUND * 2)) throw new Error(`members must be a whole number above ${AROUND * 2}, not ${process.argv[2]}`);
  const config = testConfig('bench_leaderboard', { NUQTA_EXPIRY_EVERY_MINUTES: '0' });
  const nuqta = await openFromConfig(config, createLogger('silent'));
  const api = await startRunning(nuqta, { serve: true, work: false });
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  let failures = 0;
  try {
    const loaded = nuqta.campaigns.get(CAMPAIGN);
    const { campaign } = loaded;
    // A reader key only when the campaign's boards are not public.
    // A reader key: rows then carry member ids to check against Redis, and the reads skip the public one-second page cache.
    const headers: Record<string, string> = { authorization: `Bearer ${TEST_SECRETS.readerKey}` };
    const seconds = await fill(nuqta, loaded, MEMBERS);
    const board = leaderboardKey(config.NUQTA_QUEUE_PREFIX, campaign.id, 'all');
    const onBoard = await nuqta.redis.zcard(board);
    console.log(`fill        ${MEMBERS} members in ${seconds.toFixed(1)} s (${(MEMBERS / seconds).toFixed(0)} members/s; ${onBoard} on the board, used_memory ${(/used_memory_human:(\S+)/.exec(await nuqta.redis.info('memory'))?.[1]) ?? '?'})`);
    await quietRedis(nuqta);

    // Members at random positions, looked up before the clock starts.
    const random = mulberry32(29);
    const positions = Array.from({ length: WARM_UP + READS }, () => Math.floor(random() * onBoard));
    const lookup = nuqta.redis.pipeline();
    for (const position of positions) lookup.zrevrange(board, position, position);
    const members = ((await lookup.exec()) ?? []).map(([, reply]) => (reply as string[])[0] ?? '');

    const base = `${api.url ?? ''}/v1/campaigns/${encodeURIComponent(campaign.id)}`;
    const reads = {
      apiTop: async (): Promise<unknown> => {
        const answer = (await fetchJson(agent, `${base}/leaderboard`, headers)) as { entries: { memberId: string }[] };
        return answer.entries.map((row) => row.memberId);
      },
      rawTop: async (): Promise<unknown> => {
        const flat = await nuqta.redis.zrevrange(board, 0, 9, 'WITHSCORES');
        return flat.filter((_, index) => index % 2 === 0);
      },
      apiAround: async (memberId: string): Promise<unknown> => {
        const answer = (await fetchJson(agent, `${base}/members/${encodeURIComponent(memberId)}/rank?around=${AROUND}`, headers)) as { around: { memberId: string }[] };
        return answer.around.map((row) => row.memberId);
      },
      rawAround: async (memberId: string): Promise<unknown> => {
        const position = await nuqta.redis.zrevrank(board, memberId);
        if (position === null) return [];
        const flat = await nuqta.redis.zrevrange(board, Math.max(0, position - AROUND), position + AROUND, 'WITHSCORES');
        return flat.filter((_, index) => index % 2 === 0);
      },
    };
    const times = { apiTop: [] as number[], rawTop: [] as number[], apiAround: [] as number[], rawAround: [] as number[] };
    const time = async (name: keyof typeof times, read: () => Promise<unknown>, keep: boolean): Promise<unknown> => {
      const started = performance.now();
      const result = await read();
      if (keep) times[name].push(performance.now() - started);
      return result;
    };
    const loadBefore = loadavg()[0] ?? 0;
    for (const [index, memberId] of members.entries()) {
      const keep = index >= WARM_UP;
      const [apiTop, rawTop] = [await time('apiTop', reads.apiTop, keep), await time('rawTop', reads.rawTop, keep)];
      const [apiAround, rawAround] = [await time('apiAround', () => reads.apiAround(memberId), keep), await time('rawAround', () => reads.rawAround(memberId), keep)];
      if (JSON.stringify(apiTop) !== JSON.stringify(rawTop) || JSON.stringify(apiAround) !== JSON.stringify(rawAround)) {
        failures += 1;
        if (failures <= 3) console.log(`MISMATCH    ${memberId}: API top ${JSON.stringify(apiTop)} around ${JSON.stringify(apiAround)}; raw top ${JSON.stringify(rawTop)} around ${JSON.stringify(rawAround)}`);
      }
    }

    const [apiTop, rawTop, apiAround, rawAround] = [figuresOf(times.apiTop), figuresOf(times.rawTop), figuresOf(times.apiAround), figuresOf(times.rawAround)];
    const line = (label: string, figures: Figures, what: string): void => console.log(`${label.padEnd(12)}p50 ${figures.p50.toFixed(3)} ms  p99 ${figures.p99.toFixed(3)} ms  (${what})`);
    console.log(`reads       ${READS} of each, one at a time after ${WARM_UP} to warm up, on a board of ${onBoard} members`);
    // Other work on the machine shows in every p99 here, the raw reads' too: the one-minute load says how busy it was.
    console.log(`environment ${cpus().length} CPUs, one-minute load average ${loadBefore.toFixed(2)} before the reads, ${(loadavg()[0] ?? 0).toFixed(2)} after`);
    line('API top', apiTop, `GET /v1/campaigns/${campaign.id}/leaderboard, top ${campaign.leaderboards.top}`);
    line('raw top', rawTop, 'ZREVRANGE 0 9 WITHSCORES');
    line('API around', apiAround, `GET …/members/:memberId/rank?around=${AROUND}, members at random ranks`);
    line('raw around', rawAround, `ZREVRANK, then ZREVRANGE rank±${AROUND} WITHSCORES`);
    console.log(`ratio top   API p99 / raw p99 = ${(apiTop.p99 / rawTop.p99).toFixed(1)}×  (API p50 / raw p50 = ${(apiTop.p50 / rawTop.p50).toFixed(1)}×)`);
    console.log(`ratio rank  API p99 / raw p99 = ${(apiAround.p99 / rawAround.p99).toFixed(1)}×  (API p50 / raw p50 = ${(apiAround.p50 / rawAround.p50).toFixed(1)}×)`);
    const worst = Math.max(apiTop.p99, apiAround.p99);
    console.log(`target      API p99 < ${TARGET_P99_MS} ms: ${worst < TARGET_P99_MS ? 'met' : 'MISSED'} (worst ${worst.toFixed(3)} ms)`);
    if (failures > 0) console.log(`MISMATCH    ${failures} of ${members.length} rounds: the API and Redis disagreed`);
  } finally {
    agent.destroy();
    await api.stop();
    await dropTestData(config);
  }
  if (failures > 0) process.exitCode = 1;
}

await main();
// Let the figures reach a pipe before leaving (a stray timer must not keep the run alive).
process.stdout.write('', () => process.exit());
