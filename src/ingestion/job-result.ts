/**
 * Waits for a queued job's result, as BullMQ's `waitUntilFinished` does,
 * with every Redis read inside our own promise chain. BullMQ's version reads
 * Redis inside an async promise executor, so a read that fails while Redis
 * restarts escapes as an unhandled rejection and ends the API process; here
 * such a read only waits for the next look.
 */
import type { Queue, QueueEvents } from 'bullmq';

/** How often the job is looked at besides the queue's completed and failed events. */
const LOOK_EVERY_MS = 1_000;

export function jobResult(queue: Queue, events: QueueEvents, jobId: string, timeoutMs: number): Promise<unknown> {
  return new Promise((resolve, reject) => {
    let settled = false;
    const finish = (outcome: () => void): void => {
      if (settled) return;
      settled = true;
      clearTimeout(deadline);
      clearInterval(looking);
      events.off('completed', onCompleted);
      events.off('failed', onFailed);
      outcome();
    };
    const onCompleted = ({ jobId: id, returnvalue }: { jobId: string; returnvalue: unknown }): void => {
      if (id === jobId) finish(() => resolve(returnvalue));
    };
    const onFailed = ({ jobId: id, failedReason }: { jobId: string; failedReason: string }): void => {
      if (id === jobId) finish(() => reject(new Error(failedReason)));
    };
    // A job that finished before the listeners were on, or whose event was missed while Redis was away.
    // The state first, then the job: a job read before it finished would carry no result yet.
    const look = async (): Promise<void> => {
      const state = await queue.getJobState(jobId);
      if (state !== 'completed' && state !== 'failed') return;
      const job = await queue.getJob(jobId);
      if (!job) return;
      if (state === 'completed') finish(() => resolve(job.returnvalue));
      else finish(() => reject(new Error(job.failedReason)));
    };
    events.on('completed', onCompleted);
    events.on('failed', onFailed);
    const looking = setInterval(() => void look().catch(() => undefined), LOOK_EVERY_MS);
    const deadline = setTimeout(() => finish(() => reject(new Error(`job ${jobId} timed out before it finished`))), timeoutMs);
    void look().catch(() => undefined);
  });
}
