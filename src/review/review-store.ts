/**
 * The audit trail of review work (`reviews`): every decision on a flag and
 * every change to the block list, with who, when, why, and what it changed.
 * Records are written once and never updated (a privacy erasure excepted).
 */
import type { Collection, Db } from 'mongodb';
import type { FraudSignalCode } from '../domain/fraud-codes.js';
import type { LedgerStatus } from '../domain/ledger.js';
import type { ReviewDecision } from './flags.js';
import { insertOnce } from '../insert-once.js';


/** The member's standing and the settled entries' statuses on one side of a decision. */
export interface DecisionState {
  balance: number;
  earned: number;
  entries: { seq: number; ruleId: string; kind: string; points: number; status: LedgerStatus }[];
}

export type ReviewRecord =
  | {
      id: string;
      kind: 'decision';
      flagId: string;
      campaignId: string;
      memberId: string;
      decision: ReviewDecision;
      by: string;
      at: Date;
      note?: string;
      before: DecisionState;
      after: DecisionState;
      /** What an approval cleared the member of, and until when (src/review/clearances.ts). */
      cleared?: { codes: FraudSignalCode[]; until: Date };
    }
  /** A block in one campaign, or (no campaignId) in every campaign. */
  | { id: string; kind: 'block' | 'unblock'; memberId: string; campaignId?: string; by: string; at: Date; note?: string };

type ReviewDocument = Omit<ReviewRecord, 'id'> & { _id: string };

/** A flag is decided once, so its decision record has a fixed id and a retried decision writes it once. */
export function decisionRecordId(flagId: string): string {
  return `decision|${flagId}`;
}

export class ReviewStore {
  private readonly reviews: Collection<ReviewDocument>;

  constructor(db: Db) {
    this.reviews = db.collection<ReviewDocument>('reviews');
  }

  async record(record: ReviewRecord): Promise<void> {
    const { id, ...rest } = record;
    await insertOnce(this.reviews, { _id: id, ...rest });
  }

  async get(id: string): Promise<ReviewRecord | null> {
    const found = await this.reviews.findOne({ _id: id });
    if (!found) return null;
    const { _id, ...rest } = found;
    return { id: _id, ...rest } as ReviewRecord;
  }
}
