/**
 * Progress of a command that queues member tasks and waits for them
 * (`nuqta expire`, `nuqta replay --apply`): each task counts itself done
 * under the run's id, in the same Redis pipeline as its batch's commit.
 */
import type { ChainableCommander, Redis } from 'ioredis';
import { NuqtaError } from '../errors.js';

const RUN_TTL_SECONDS = 24 * 3600;
/** A run gives up when its tasks make no progress for this long. */
const STALL_MS = 60_000;

export type RunTotals = Record<string, number>;

function runKey(prefix: string, runId: string): string {
  return `${prefix}:task-run:${runId}`;
}

/** Queues "one more task done" with its figures on the commit's pipeline. */
export function countTaskDone(pipeline: ChainableCommander, prefix: string, runId: string, figures: RunTotals): void {
  const key = runKey(prefix, runId);
  pipeline.hincrby(key, 'tasks', 1);
  for (const [field, value] of Object.entries(figures)) pipeline.hincrby(key, field, value);
  pipeline.expire(key, RUN_TTL_SECONDS);
}

export async function runTotals(redis: Redis, prefix: string, runId: string): Promise<RunTotals> {
  const counts = await redis.hgetall(runKey(prefix, runId));
  return Object.fromEntries(Object.entries(counts).map(([field, value]) => [field, Number(value)]));
}

/** Waits until `tasks` tasks of the run are done; fails when they stop making progress. */
export async function runDone(redis: Redis, prefix: string, runId: string, tasks: number, onProgress: (done: number) => void): Promise<RunTotals> {
  let totals = await runTotals(redis, prefix, runId);
  let movedAt = Date.now();
  while ((totals.tasks ?? 0) < tasks) {
    if (Date.now() - movedAt > STALL_MS) {
      throw new NuqtaError('NUQTA_INTERNAL', `stalled after ${totals.tasks ?? 0} of ${tasks} member tasks; see the worker logs for failed tasks`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
    const next = await runTotals(redis, prefix, runId);
    if ((next.tasks ?? 0) > (totals.tasks ?? 0)) movedAt = Date.now();
    totals = next;
    onProgress(totals.tasks ?? 0);
  }
  return totals;
}
