/**
 * Expiry of points, first in first out (rules/expiry.ts decides). A scheduled
 * BullMQ job sweeps every campaign with `expiry`, queueing one member task
 * per member; the task runs in the member's ingest partition, so it never
 * overlaps the scoring of their events (a clawback reads what expired), and
 * under the member lock, so it never overlaps a redemption.
 */
import { Queue, Worker } from 'bullmq';
import pLimit from 'p-limit';
import { z } from 'zod';
import type { Nuqta } from '../app.js';
import type { LoadedCampaign } from '../config/campaign-loader.js';
import { isNuqtaError } from '../errors.js';
import type { MemberTask } from '../ingestion/ingest-queue.js';
import type { MemberProjection } from '../ledger/member-store.js';
import { recordRetrying } from './record-retrying.js';
import { expireLots } from './rules/index.js';

export const EXPIRE_TASK = 'expire';
const SWEEP_QUEUE = 'expiry';
const SWEEP_SCHEDULER = 'expiry-sweep';
/** Enqueueing is one Redis round trip per member: keep a few in flight. */
const ENQUEUE_CONCURRENCY = 16;
const RUN_TTL_SECONDS = 24 * 3600;

const expirePayload = z.object({
  asOf: z.coerce.date(),
  /** Set by `nuqta expire`, which counts the tasks done under this id. */
  runId: z.string().optional(),
});

export interface ExpiryTotals {
  members: number;
  entries: number;
  points: number;
}

/** Writes the member's expire entries due at the task's `asOf`; nothing when none are due (the task is safe to repeat). */
export async function expireMember(nuqta: Nuqta, task: MemberTask): Promise<ExpiryTotals> {
  const { asOf, runId } = expirePayload.parse(task.payload);
  const loaded = nuqta.campaigns.find(task.campaignId);
  const totals = loaded?.campaign.expiry ? await nuqta.memberLocks.withLock(task.campaignId, task.memberId, () => writeExpiry(nuqta, loaded, task.memberId, asOf)) : { members: 1, entries: 0, points: 0 };
  if (runId !== undefined) {
    const key = expiryRunKey(nuqta, runId);
    await nuqta.redis.multi().hincrby(key, 'members', 1).hincrby(key, 'entries', totals.entries).hincrby(key, 'points', totals.points).expire(key, RUN_TTL_SECONDS).exec();
  }
  return totals;
}

async function writeExpiry(nuqta: Nuqta, loaded: LoadedCampaign, memberId: string, asOf: Date): Promise<ExpiryTotals> {
  let member: MemberProjection;
  try {
    member = await nuqta.scorer.caughtUp(loaded, memberId);
  } catch (error) {
    // Erased since the sweep listed them: nothing left to expire.
    if (isNuqtaError(error, 'NUQTA_MEMBER_NOT_FOUND')) return { members: 1, entries: 0, points: 0 };
    throw error;
  }
  const due = expireLots(member.facts, loaded.campaign, asOf);
  if (due.length === 0) return { members: 1, entries: 0, points: 0 };
  const { written } = await recordRetrying(nuqta.scorer, loaded, memberId, due, 'expiry');
  return { members: 1, entries: written.length, points: -written.reduce((sum, entry) => sum + entry.points, 0) };
}

/** Queues an expire task for every member of the campaign; returns how many. */
export async function sweepExpiry(nuqta: Nuqta, loaded: LoadedCampaign, asOf: Date, runId?: string): Promise<number> {
  const { campaign } = loaded;
  if (!campaign.expiry) return 0;
  const limit = pLimit(ENQUEUE_CONCURRENCY);
  const queued: Promise<void>[] = [];
  for await (const memberId of nuqta.members.memberIds(campaign.id)) {
    const task: MemberTask = { kind: EXPIRE_TASK, campaignId: campaign.id, memberId, payload: { asOf: asOf.toISOString(), ...(runId === undefined ? {} : { runId }) } };
    const taskId = `expire-${campaign.id}-${encodeURIComponent(memberId)}-${asOf.getTime()}`;
    queued.push(limit(() => nuqta.queue.enqueueMemberTask(task, taskId, { removeOnComplete: true })));
  }
  await Promise.all(queued);
  return queued.length;
}

/** What the expire tasks of one `nuqta expire` run have done so far. */
export async function expiryRunTotals(nuqta: Nuqta, runId: string): Promise<ExpiryTotals> {
  const counts = await nuqta.redis.hgetall(expiryRunKey(nuqta, runId));
  return { members: Number(counts.members ?? 0), entries: Number(counts.entries ?? 0), points: Number(counts.points ?? 0) };
}

function expiryRunKey(nuqta: Nuqta, runId: string): string {
  return `${nuqta.config.NUQTA_QUEUE_PREFIX}:expiry-run:${runId}`;
}

/**
 * Schedules the sweep every NUQTA_EXPIRY_EVERY_MINUTES (0: never) and returns
 * the worker that runs it; with several worker processes, each sweep runs once.
 */
export async function startExpirySchedule(nuqta: Nuqta): Promise<Worker[]> {
  const { NUQTA_QUEUE_PREFIX: prefix, NUQTA_EXPIRY_EVERY_MINUTES: minutes } = nuqta.config;
  const queue = new Queue(SWEEP_QUEUE, { connection: nuqta.redis, prefix });
  try {
    if (minutes === 0) {
      await queue.removeJobScheduler(SWEEP_SCHEDULER);
      return [];
    }
    await queue.upsertJobScheduler(SWEEP_SCHEDULER, { every: minutes * 60_000 }, { name: 'sweep', opts: { removeOnComplete: 100, removeOnFail: 100 } });
  } finally {
    await queue.close();
  }
  const worker = new Worker(SWEEP_QUEUE, async () => {
    const asOf = new Date();
    let members = 0;
    for (const loaded of nuqta.campaigns.all) members += await sweepExpiry(nuqta, loaded, asOf);
    return { members };
  }, { connection: nuqta.workerConnection(), prefix, concurrency: 1 });
  worker.on('failed', (job, error) => nuqta.logger.warn({ jobId: job?.id, err: error }, 'expiry sweep failed'));
  worker.on('error', (error) => nuqta.logger.error({ err: error }, 'expiry worker error'));
  await worker.waitUntilReady();
  return [worker];
}
