/**
 * Scheduled polling, the second door into the pipeline. One BullMQ job
 * scheduler per connected account on the `poll` queue (every
 * NUQTA_POLL_INTERVAL_SECONDS, the first run at once); mention lookups queued
 * by the Instagram webhook run on the same queue. A poll job takes a Redis
 * lock on its account so two workers never read the same account at once, and
 * what it finds goes through `queue.enqueue` (source `poll`), deduped by
 * eventKey with everything else. Polling itself lives in src/platforms.
 */
import { Queue, Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import { randomBytes } from 'node:crypto';
import type { CampaignRegistry } from '../config/campaign-registry.js';
import type { NuqtaConfig } from '../config/env.js';
import type { EngagementEvent, Platform } from '../domain/event.js';
import { NuqtaError } from '../errors.js';
import type { Logger } from '../log.js';
import type { Metrics } from '../metrics.js';
import { accountKeyOf, type AccountRef, type ConnectedAccount } from '../platforms/accounts/account.js';
import type { MongoAccountStore } from '../platforms/accounts/account-store.js';
import { pollAccount, type PollerDeps } from '../platforms/accounts/account-poll.js';
import { PlatformHttp } from '../platforms/accounts/platform-call.js';
import type { MongoPollStateStore } from '../platforms/accounts/poll-state-store.js';
import { missingTokenKey } from '../platforms/accounts/token-cipher.js';
import { instagramPolling } from '../platforms/instagram/poller.js';
import { lookUpMention } from '../platforms/instagram/poller-mentions.js';
import type { MentionLookup } from '../platforms/instagram/webhook-types.js';
import { tiktokPolling } from '../platforms/tiktok/poller.js';
import { withHashtagPosts } from '../platforms/hashtag-posts.js';
import type { IngestQueue } from './ingest-queue.js';

export const POLL_QUEUE = 'poll';
/** Long enough for a first pass over a busy account; each page extends it. */
const LOCK_MS = 15 * 60_000;
/** A token refresh is one call with retries; the lock outlives it, and frees itself if the process dies. */
const TOKEN_LOCK_MS = 60_000;
const ENQUEUE_TIMEOUT_MS = 3_000;

export type PollJob = { kind: 'account'; platform: Platform; accountId: string } | { kind: 'mention'; lookup: MentionLookup };

export function schedulerIdOf(ref: AccountRef): string {
  return `poll|${accountKeyOf(ref)}`;
}

export class PollScheduler {
  readonly queue: Queue<PollJob>;

  constructor(connection: Redis, prefix: string, private readonly everyMs: number) {
    this.queue = new Queue<PollJob>(POLL_QUEUE, { connection, prefix });
    // Connection errors are already logged where the connection is made (app.ts); callers see failed calls.
    this.queue.on('error', () => undefined);
  }

  async schedule(ref: AccountRef): Promise<void> {
    await this.queue.upsertJobScheduler(schedulerIdOf(ref), { every: this.everyMs }, {
      name: 'account',
      data: { kind: 'account', platform: ref.platform, accountId: ref.accountId },
      opts: { removeOnComplete: { count: 20 }, removeOnFail: { count: 100 } },
    });
  }

  async unschedule(ref: AccountRef): Promise<boolean> {
    return this.queue.removeJobScheduler(schedulerIdOf(ref));
  }

  /** One scheduler per connected account, none for accounts that were removed. */
  async reconcile(accounts: readonly ConnectedAccount[]): Promise<void> {
    const wanted = new Set(accounts.map(schedulerIdOf));
    for (const scheduler of await this.queue.getJobSchedulers()) {
      if (!wanted.has(scheduler.key)) await this.queue.removeJobScheduler(scheduler.key);
    }
    for (const account of accounts) await this.schedule(account);
  }

  /** Durable before the webhook is acknowledged: throws NUQTA_QUEUE_UNAVAILABLE otherwise. */
  async lookupMentions(lookups: readonly MentionLookup[]): Promise<void> {
    if (lookups.length === 0) return;
    const jobs = lookups.map((lookup) => ({
      name: 'mention',
      data: { kind: 'mention' as const, lookup },
      opts: {
        jobId: `mention|${lookup.accountId}|${lookup.mediaId}|${lookup.commentId ?? ''}`,
        attempts: 8,
        backoff: { type: 'exponential', delay: 60_000 },
        removeOnComplete: { age: 3 * 24 * 3600 },
        removeOnFail: { age: 14 * 24 * 3600 },
      },
    }));
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        this.queue.addBulk(jobs),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error(`timed out after ${ENQUEUE_TIMEOUT_MS} ms`)), ENQUEUE_TIMEOUT_MS);
        }),
      ]);
    } catch (error) {
      throw new NuqtaError('NUQTA_QUEUE_UNAVAILABLE', 'the poll queue (Redis) is unavailable; retry later', { cause: String(error) });
    } finally {
      clearTimeout(timer);
    }
  }

  async close(): Promise<void> {
    await this.queue.close();
  }
}

/** What polling takes from the opened service (an opened Nuqta is one). */
export interface PollHost {
  config: NuqtaConfig;
  logger: Logger;
  metrics: Metrics;
  campaigns: CampaignRegistry;
  redis: Redis;
  queue: Pick<IngestQueue, 'enqueue'>;
  events: PollerDeps['events'];
  accounts: MongoAccountStore;
  pollState: MongoPollStateStore;
  polls: PollScheduler;
  /** A connection for blocking BullMQ workers. */
  workerConnection(): Redis;
}

/** What pollers need, taken from the service; tests pass their own clock. */
export function pollerDepsOf(nuqta: PollHost, options: { clock?: () => Date; http?: PlatformHttp } = {}): PollerDeps {
  return {
    accounts: nuqta.accounts,
    pollState: nuqta.pollState,
    campaigns: nuqta.campaigns,
    metrics: nuqta.metrics,
    logger: nuqta.logger,
    http: options.http ?? new PlatformHttp(),
    hosts: nuqta.config,
    platforms: { instagram: instagramPolling, tiktok: tiktokPolling },
    clock: options.clock ?? (() => new Date()),
    events: nuqta.events,
    tokenLock: (ref) => AccountLock.take(nuqta.redis, nuqta.config.NUQTA_QUEUE_PREFIX, ref, 'token-lock', TOKEN_LOCK_MS),
    enqueue: (events) => enqueuePolled(nuqta, events),
  };
}

async function enqueuePolled(nuqta: PollHost, polled: readonly EngagementEvent[]): Promise<void> {
  const events = withHashtagPosts(polled, nuqta.campaigns);
  const byPlatform = new Map<Platform, number>();
  for (const event of events) byPlatform.set(event.platform, (byPlatform.get(event.platform) ?? 0) + 1);
  for (const [platform, count] of byPlatform) nuqta.metrics.eventsReceived.inc({ source: 'poll', platform }, count);
  await nuqta.queue.enqueue(events);
  for (const [platform, count] of byPlatform) nuqta.metrics.eventsAccepted.inc({ source: 'poll', platform }, count);
}

/** Schedules every connected account and starts the worker that runs their polls. */
export async function startPollWorker(nuqta: PollHost): Promise<Worker<PollJob>> {
  const accounts = await nuqta.accounts.list();
  if (accounts.length > 0 && !nuqta.accounts.canHoldTokens) throw missingTokenKey();
  await nuqta.polls.reconcile(accounts);
  const deps = pollerDepsOf(nuqta);
  // Closing the worker stops running polls at their next page, cursors saved.
  const closing = new AbortController();
  const worker = new Worker<PollJob>(POLL_QUEUE, (job: Job<PollJob>) => runPollJob(nuqta, deps, job.data, closing.signal), {
    connection: nuqta.workerConnection(),
    prefix: nuqta.config.NUQTA_QUEUE_PREFIX,
    concurrency: 4,
  });
  worker.on('closing', () => closing.abort());
  worker.on('failed', (job, error) => nuqta.logger.warn({ jobId: job?.id, attempts: job?.attemptsMade, err: error }, 'poll job failed'));
  worker.on('error', (error) => nuqta.logger.error({ err: error }, 'poll worker error'));
  await worker.waitUntilReady();
  return worker;
}

async function runPollJob(nuqta: PollHost, deps: PollerDeps, job: PollJob, signal: AbortSignal): Promise<string> {
  if (job.kind === 'mention') return lookUpMention(deps, job.lookup);
  const ref = { platform: job.platform, accountId: job.accountId };
  const lock = await AccountLock.take(nuqta.redis, nuqta.config.NUQTA_QUEUE_PREFIX, ref, 'poll-lock', LOCK_MS);
  if (lock === undefined) return 'busy';
  try {
    const report = await pollAccount(deps, ref, { signal, onPage: () => void lock.extend() });
    nuqta.logger.debug({ account: accountKeyOf(ref), ...report }, 'account polled');
    return report.outcome;
  } finally {
    await lock.release();
  }
}

const RELEASE_IF_OWNER = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end";
const EXTEND_IF_OWNER = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end";

/** An account's locks: `poll-lock` while a poll reads it, `token-lock` while its token is refreshed. */
class AccountLock {
  private constructor(
    private readonly redis: Redis,
    private readonly key: string,
    private readonly owner: string,
    private readonly ttlMs: number,
  ) {}

  static async take(redis: Redis, prefix: string, ref: AccountRef, kind: 'poll-lock' | 'token-lock', ttlMs: number): Promise<AccountLock | undefined> {
    const key = `${prefix}:${kind}:${accountKeyOf(ref)}`;
    const owner = randomBytes(8).toString('hex');
    const taken = await redis.set(key, owner, 'PX', ttlMs, 'NX');
    return taken === 'OK' ? new AccountLock(redis, key, owner, ttlMs) : undefined;
  }

  async extend(): Promise<void> {
    await this.redis.eval(EXTEND_IF_OWNER, 1, this.key, this.owner, String(this.ttlMs)).catch(() => undefined);
  }

  async release(): Promise<void> {
    await this.redis.eval(RELEASE_IF_OWNER, 1, this.key, this.owner).catch(() => undefined);
  }
}
