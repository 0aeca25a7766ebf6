/**
 * Member tasks (a redemption, an expiry sweep, a review decision, a replay,
 * a repair, an erasure) run in the member's partition, so nothing else
 * writes the member meanwhile. A handler runs in the batch, in the member's
 * turn, or alone between batches.
 */
import type { LoadedCampaign } from '../config/campaign-loader.js';
import type { MemberTask } from '../ingestion/ingest-queue.js';
import type { LedgerBatch, MemberBook } from '../ledger/ledger-writer.js';
import type { BatchRecords } from './batch-records.js';

/** A member task's turn in a batch: its member (undefined when the campaign has never seen them), the batch's writer and records. */
export interface TaskTurn {
  now: Date;
  loaded: LoadedCampaign;
  book: MemberBook | undefined;
  ledger: LedgerBatch;
  records: BatchRecords;
}

export type MemberTaskHandler =
  /**
   * Runs in the batch, in the member's turn; its result is the job's. A
   * refusal for good (a NuqtaError that is not retryable) must come before
   * the handler hands the batch any entry: it fails this job alone.
   */
  | { inBatch: (turn: TaskTurn, task: MemberTask) => Promise<unknown> }
  /** Runs alone between batches, with stores of its own (a privacy erasure spans every campaign). */
  | { alone: (task: MemberTask) => Promise<unknown> };
