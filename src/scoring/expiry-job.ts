/**
 * Expiry of points, first in first out (the member state keeps the lots,
 * rules/expiry.ts decides which are due). A scheduled BullMQ job sweeps every
 * campaign with `expiry`, queueing one member task per member; the task runs
 * in the member's turn of a batch in their partition, so it never overlaps
 * the scoring of their events or a redemption.
 */
import { Queue, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { z } from 'zod';
import type { CampaignRegistry } from '../config/campaign-registry.js';
import type { LoadedCampaign } from '../config/campaign-loader.js';
import type { IngestQueue, QueuedTask } from '../ingestion/ingest-queue.js';
import type { MemberDirectory } from '../ledger/member-directory.js';
import type { Logger } from '../log.js';
import type { MemberTaskHandler } from './member-task.js';
import { expireLots } from './rules/index.js';
import { countTaskDone } from './task-runs.js';

export const EXPIRE_TASK = 'expire';
const SWEEP_QUEUE = 'expiry';
const SWEEP_SCHEDULER = 'expiry-sweep';
/** Tasks queued per round trip. */
const QUEUED_TOGETHER = 1_000;
const DAY_MS = 86_400_000;

const expirePayload = z.object({
  asOf: z.coerce.date(),
  /** Set by `nuqta expire`, which counts the tasks done under this id. */
  runId: z.string().optional(),
});

/**
 * Writes the member's expire entries due at the task's `asOf`; nothing when
 * none are due (the task is safe to repeat). Then tells listening endpoints
 * of lots that expire within the days they asked for (once per lot).
 */
export function expiryTaskHandler(deps: { prefix: string; expiringNoticeDays: (campaignId: string) => number | undefined }): MemberTaskHandler {
  return {
    inBatch: async ({ loaded, book, ledger, records, now }, task) => {
      const { asOf, runId } = expirePayload.parse(task.payload);
      const due = book && loaded.campaign.expiry ? expireLots(book.record.state, loaded.campaign, asOf) : [];
      const written = book && due.length > 0 ? ledger.append(book, due, 'expiry', now) : [];
      const noticeDays = deps.expiringNoticeDays(loaded.campaign.id);
      if (book && noticeDays !== undefined) {
        const horizon = asOf.getTime() + noticeDays * DAY_MS;
        for (const lot of book.record.state.lots.filter((lot) => lot.remaining > 0 && lot.expiresAt > asOf.getTime() && lot.expiresAt <= horizon)) {
          ledger.announce(book, {
            type: 'points.expiring', key: `${lot.seq}:${lot.expiresAt}`, at: now,
            data: { points: lot.remaining, expiresAt: new Date(lot.expiresAt).toISOString(), balance: book.record.state.balance, seq: lot.seq },
          });
        }
      }
      for (const entry of written) if (entry.refersTo) records.link(loaded.campaign.id, entry.refersTo.eventKey, entry.seq);
      const totals = { entries: written.length, points: -written.reduce((sum, entry) => sum + entry.points, 0) };
      if (runId !== undefined) records.onPipeline((pipeline) => countTaskDone(pipeline, deps.prefix, runId, totals));
      return totals;
    },
  };
}

export interface SweepDeps {
  directory: Pick<MemberDirectory, 'memberIds'>;
  queue: Pick<IngestQueue, 'enqueueMemberTasks'>;
}

/** Queues an expire task for every member of the campaign; returns how many. */
export async function sweepExpiry(deps: SweepDeps, loaded: LoadedCampaign, asOf: Date, runId?: string): Promise<number> {
  const { campaign } = loaded;
  if (!campaign.expiry) return 0;
  let queued = 0;
  let chunk: QueuedTask[] = [];
  const flush = async (): Promise<void> => {
    await deps.queue.enqueueMemberTasks(chunk, { removeOnComplete: true });
    queued += chunk.length;
    chunk = [];
  };
  for await (const memberId of deps.directory.memberIds(campaign.id)) {
    chunk.push({
      task: { kind: EXPIRE_TASK, campaignId: campaign.id, memberId, payload: { asOf: asOf.toISOString(), ...(runId === undefined ? {} : { runId }) } },
      taskId: `expire-${campaign.id}-${encodeURIComponent(memberId)}-${asOf.getTime()}`,
    });
    if (chunk.length >= QUEUED_TOGETHER) await flush();
  }
  await flush();
  return queued;
}

export interface ExpiryScheduleDeps extends SweepDeps {
  redis: Redis;
  workerConnection(): Redis;
  campaigns: CampaignRegistry;
  logger: Logger;
  config: { NUQTA_QUEUE_PREFIX: string; NUQTA_EXPIRY_EVERY_MINUTES: number };
}

/**
 * Schedules the sweep every NUQTA_EXPIRY_EVERY_MINUTES (0: never) and returns
 * the worker that runs it; with several worker processes, each sweep runs once.
 */
export async function startExpirySchedule(deps: ExpiryScheduleDeps): Promise<Worker[]> {
  const { NUQTA_QUEUE_PREFIX: prefix, NUQTA_EXPIRY_EVERY_MINUTES: minutes } = deps.config;
  const queue = new Queue(SWEEP_QUEUE, { connection: deps.redis, prefix });
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
    for (const loaded of deps.campaigns.all) members += await sweepExpiry(deps, loaded, asOf);
    return { members };
  }, { connection: deps.workerConnection(), prefix, concurrency: 1 });
  worker.on('failed', (job, error) => deps.logger.warn({ jobId: job?.id, err: error }, 'expiry sweep failed'));
  worker.on('error', (error) => deps.logger.error({ err: error }, 'expiry worker error'));
  await worker.waitUntilReady();
  return [worker];
}
