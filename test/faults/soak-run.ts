/**
 * One soak run: a seeded emulated campaign sent through a real `nuqta serve`
 * and two or three `nuqta work` processes while the run's fault plan kills
 * and restarts processes and servers and bends the deliveries; then, once
 * everything is drained, the checker reads the stores.
 */
import { randomBytes } from 'node:crypto';
import { Cluster } from 'ioredis';
import pLimit from 'p-limit';
import type { Nuqta } from '../../src/app.js';
import { readConfig } from '../../src/main.js';
import { createLogger } from '../../src/log.js';
import { openFromConfig } from '../../src/runtime.js';
import { freePort } from '../helpers/own-redis.js';
import { checkSnapshot, type CheckReport } from './soak-checker.js';
import { faultPlanOf, type FaultPlan } from './fault-plan.js';
import { startNuqta, type NuqtaProcess } from './soak-processes.js';
import { readSnapshot } from './soak-snapshot.js';
import type { SoakServices } from './soak-services.js';
import { SOAK_CAMPAIGN, soakTraffic, type EchoedComment, type SoakDelivery, type SoakTraffic } from './soak-traffic.js';

export const SOAK_CAMPAIGNS_DIR = 'test/faults/campaigns';
const SECRETS = { instagramAppSecret: 'soak-app-secret-0123', tiktokClientSecret: 'soak-tiktok-secret-0123' };
const INGEST_KEY = 'soak-ingest-key-0123456789abcdef';
const REDEEM_KEY = 'soak-redeem-key-0123456789abcdef';
/** How long a delivery is retried (the platforms retry for hours; a run has minutes). */
const DELIVERY_PATIENCE_MS = 120_000;
const DRAIN_PATIENCE_MS = 180_000;
/** How long a redemption waits for its member's first award (a member whose events all earn nothing never becomes one). */
const UNKNOWN_MEMBER_PATIENCE_MS = 30_000;

export interface SoakRunOptions {
  services: SoakServices;
  /** Where Redis is: `{ REDIS_URL }` or `{ NUQTA_REDIS_CLUSTER }`. */
  redisEnv: Record<string, string>;
  /** Fixes the number of worker processes. */
  workers?: 2 | 3;
  size: { followers: number; engagements: number };
}

export interface SoakRunResult {
  plan: FaultPlan;
  report: CheckReport;
  /** Webhook deliveries and API posts answered with success (duplicates and replays included). */
  acknowledged: number;
  redemptions: { granted: number; refused: number };
  ms: number;
}

const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Retries until the server answers 2xx (a 503 while Redis is down, a refused connection while nothing listens), as the platforms do. */
async function untilAccepted(what: string, send: () => Promise<Response>): Promise<Response> {
  const deadline = Date.now() + DELIVERY_PATIENCE_MS;
  let last = 'no answer';
  for (let wait = 100; Date.now() < deadline; wait = Math.min(wait * 2, 2_000)) {
    try {
      const response = await send();
      if (response.ok) return response;
      last = `${response.status} ${await response.text()}`;
      if (response.status < 500) break;
    } catch (error) {
      last = String(error);
    }
    await pause(wait);
  }
  throw new Error(`${what} was never accepted: ${last}`);
}

class Run {
  readonly id = `soak_${randomBytes(4).toString('hex')}`;
  readonly url: string;
  readonly env: Record<string, string>;
  readonly processes: NuqtaProcess[] = [];
  acknowledged = 0;
  readonly redemptions = { granted: 0, refused: 0 };

  constructor(readonly plan: FaultPlan, readonly options: SoakRunOptions, port: number) {
    this.url = `http://127.0.0.1:${port}`;
    this.env = {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      MONGODB_URI: `${options.services.mongoUrl}/${this.id}`,
      ...options.redisEnv,
      NUQTA_QUEUE_PREFIX: this.id,
      NUQTA_CAMPAIGNS: SOAK_CAMPAIGNS_DIR,
      PORT: String(port),
      IG_APP_SECRET: SECRETS.instagramAppSecret,
      IG_VERIFY_TOKEN: 'soak-verify-token',
      TIKTOK_CLIENT_SECRET: SECRETS.tiktokClientSecret,
      NUQTA_API_KEYS: `ingest:${INGEST_KEY},redeem:${REDEEM_KEY}`,
      NUQTA_PARTITION_LEASE_SECONDS: '2',
      NUQTA_BATCH_SIZE: '16',
      NUQTA_EXPIRY_EVERY_MINUTES: '0',
      NUQTA_RATE_LIMIT: '1000000',
      LOG_LEVEL: 'warn',
    };
  }

  workers(): NuqtaProcess[] {
    return this.processes.filter((child) => child.role === 'work' && child.alive());
  }

  async deliver({ delivery }: SoakDelivery): Promise<void> {
    await untilAccepted(`a ${delivery.platform} webhook`, () => fetch(`${this.url}${delivery.path}`, { method: 'POST', headers: delivery.headersAt(new Date()), body: delivery.body }));
    this.acknowledged += 1;
  }

  async echo(echoes: readonly EchoedComment[]): Promise<void> {
    if (echoes.length === 0) return;
    await untilAccepted('POST /v1/events', () => fetch(`${this.url}/v1/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${INGEST_KEY}` },
      body: JSON.stringify({ events: echoes.map((echo) => echo.input) }),
    }));
    this.acknowledged += 1;
  }

  /** A redemption sent twice at once with one idempotency key: one answer, at most one entry. */
  async redeem(memberId: string, attempt: number): Promise<void> {
    // Refused for an unknown member, a redemption is answered for good: a later try is a new redemption with a key of its own.
    let tries = 0;
    const send = (): Promise<Response> => fetch(`${this.url}/v1/campaigns/${SOAK_CAMPAIGN}/members/${encodeURIComponent(memberId)}/redemptions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${REDEEM_KEY}`, 'idempotency-key': `${this.id}-${memberId}-${attempt}-${tries}` },
      body: JSON.stringify({ rewardId: 'tea' }),
    });
    const deadline = Date.now() + DELIVERY_PATIENCE_MS;
    const answer = async (): Promise<number> => {
      for (;;) {
        const response = await send().catch(() => undefined);
        if (response && response.status !== 503 && response.status !== 502) return response.status;
        if (Date.now() > deadline) throw new Error(`redemption for ${memberId} never answered`);
        await pause(500);
      }
    };
    let answers = await Promise.all([answer(), answer()]);
    // A member is known once their first event is scored: until then the redemption races ahead of the scoring.
    const known = Date.now() + UNKNOWN_MEMBER_PATIENCE_MS;
    while (answers.every((status) => status === 404) && Date.now() < known) {
      await pause(300);
      tries += 1;
      answers = await Promise.all([answer(), answer()]);
    }
    if (answers.some((status) => status !== 201 && status !== 409 && status !== 404)) throw new Error(`redemption for ${memberId} answered ${answers.join(' and ')}`);
    if (answers[0] !== answers[1]) throw new Error(`one redemption, two answers: ${answers.join(' and ')}`);
    if (answers[0] === 201) this.redemptions.granted += 1;
    else this.redemptions.refused += 1;
  }

  /** The process and server faults of the plan, in order, while the traffic flows. */
  async faults(nuqta: Nuqta, progress: () => number): Promise<void> {
    const until = async (share: number): Promise<void> => {
      while (progress() < share) await pause(50);
    };
    if (this.plan.worker !== 'none') {
      await until(0.25);
      // In the middle of its work: wait until jobs are in hand.
      const deadline = Date.now() + 10_000;
      while (Date.now() < deadline && ((await nuqta.queue.depth().catch(() => ({ active: 0 }))).active ?? 0) === 0) await pause(50);
      const victim = this.workers()[0];
      await victim?.kill();
      if (this.plan.worker === 'kill-and-restart') {
        await pause(1_000);
        this.processes.push(startNuqta('work', this.env));
      }
    }
    if (this.plan.restartRedis) {
      await until(0.5);
      await this.options.services.restartRedis(1_000);
    }
    if (this.plan.restartMongo) {
      await until(0.7);
      await this.options.services.restartMongo(1_000);
    }
  }

  /** Until every stored event is decided and the queue is empty. */
  async drained(nuqta: Nuqta, expected: ReadonlySet<string>): Promise<void> {
    const deadline = Date.now() + DRAIN_PATIENCE_MS;
    const decisions = nuqta.db.collection('decisions');
    let last = '';
    while (Date.now() < deadline) {
      try {
        const depth = await nuqta.queue.depth();
        const busy = (depth.waiting ?? 0) + (depth.active ?? 0) + (depth.delayed ?? 0) + (depth.prioritized ?? 0);
        const decided = await decisions.countDocuments({ campaignId: SOAK_CAMPAIGN });
        const stored = await nuqta.db.collection('events').countDocuments({});
        last = `${busy} jobs queued, ${decided} of ${stored} stored events decided (${expected.size} sent)`;
        if (busy === 0 && decided === stored && stored >= expected.size) return;
      } catch (error) {
        last = String(error);
      }
      await pause(250);
    }
    throw new Error(`not drained after ${DRAIN_PATIENCE_MS / 1000} s: ${last}\n${this.processes.flatMap((child) => child.log.slice(-5)).join('\n')}`);
  }

  async send(traffic: SoakTraffic, nuqta: Nuqta): Promise<void> {
    const senders = pLimit(4);
    let sent = 0;
    const total = traffic.main.length;
    const progress = (): number => sent / Math.max(1, total);
    const echoAt = Math.floor(total / 2);
    const redeemAt = Math.floor(total / 3);
    const side: Promise<void>[] = [];
    // Side work fails the run only when awaited below, not as an unhandled rejection meanwhile.
    const alongside = (work: Promise<void>): void => {
      work.catch(() => undefined);
      side.push(work);
    };
    alongside(this.faults(nuqta, progress));
    await Promise.all(traffic.main.map((delivery, index) => senders(async () => {
      if (index === echoAt) alongside(this.echo(traffic.echoes));
      if (index === redeemAt) {
        for (const [attempt, memberId] of traffic.activeMembers.slice(0, this.plan.redemptions).entries()) alongside(this.redeem(memberId, attempt));
      }
      await this.deliver(delivery);
      sent += 1;
    })));
    await Promise.all(side);
    await Promise.all(traffic.delayed.map((delivery) => senders(() => this.deliver(delivery))));
  }
}

export async function soakRun(seed: number, options: SoakRunOptions): Promise<SoakRunResult> {
  const started = Date.now();
  const plan = faultPlanOf(seed, { redisRestarts: options.services.redisUrl !== undefined, ...(options.workers ? { workers: options.workers } : {}) });
  const traffic = soakTraffic(plan, SECRETS, options.size);
  const run = new Run(plan, options, await freePort());
  const config = readConfig(run.env);
  const nuqta = await openFromConfig(config, createLogger('silent'));
  try {
    run.processes.push(startNuqta('serve', run.env));
    for (let index = 0; index < plan.workers; index += 1) run.processes.push(startNuqta('work', run.env));
    await untilAccepted('GET /readyz', () => fetch(`${run.url}/readyz`));
    await run.send(traffic, nuqta);
    await run.drained(nuqta, new Set([...traffic.main, ...traffic.delayed].flatMap((delivery) => delivery.eventKeys)));
    // Hours later in the campaign: replays of old deliveries, and deletions of comments that earned.
    await Promise.all(traffic.late.map((delivery) => run.deliver(delivery)));
    await run.drained(nuqta, traffic.eventKeys);
    const campaign = nuqta.campaigns.get(SOAK_CAMPAIGN).campaign;
    const report = checkSnapshot(campaign, await readSnapshot(nuqta, campaign));
    const stored = new Set((await readSnapshot(nuqta, campaign)).events.map((event) => event.eventKey));
    report.lost.push(...[...traffic.eventKeys].filter((key) => !stored.has(key)).map((key) => `${key}: acknowledged, not stored`));
    return { plan, report, acknowledged: run.acknowledged, redemptions: run.redemptions, ms: Date.now() - started };
  } catch (error) {
    // What the processes said last, and which of them died without being killed by the plan.
    const said = run.processes.map((child) => `nuqta ${child.role} ${child.pid}${child.alive() ? '' : ' (exited)'}: ${child.log.slice(-3).join(' | ')}`);
    throw new Error(`${error instanceof Error ? error.message : String(error)}\n${said.join('\n')}`);
  } finally {
    await Promise.all(run.processes.map((child) => child.stop()));
    await nuqta.db.dropDatabase().catch(() => undefined);
    await deleteKeys(nuqta, `${config.NUQTA_QUEUE_PREFIX}:*`).catch(() => undefined);
    await nuqta.close();
  }
}

/** Deletes the run's keys: on a cluster, on each master (SCAN walks one server). */
async function deleteKeys(nuqta: Nuqta, pattern: string): Promise<void> {
  const connection: unknown = nuqta.redis;
  const servers = connection instanceof Cluster ? connection.nodes('master') : [nuqta.redis];
  for (const server of servers) {
    let cursor = '0';
    do {
      const [next, keys] = await server.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
      if (keys.length > 0) await server.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  }
}
