/**
 * Erasure requests (`erasures`, `_id` = a random erasure id). A record never
 * names the person: it says when, how far the erasure got and how much it
 * changed. While ledger entries move to the anonymous member, their
 * anonymized copies wait here, so a crash between deleting an original and
 * writing its copy loses nothing.
 */
import type { Collection, Db } from 'mongodb';
import type { LedgerEntry } from '../ledger/entry.js';

export const ERASURE_STEPS = [
  'queueJobs', 'reviews', 'flags', 'decisions', 'activityRecords', 'boardPlaces',
  'ledgerEntries', 'memberships', 'redemptions', 'rewardUnits', 'blocks', 'clearances', 'events', 'webhookDeliveries',
  'vouchers', 'referralCodes', 'referralOrders',
] as const;
export type ErasureCounts = Record<(typeof ERASURE_STEPS)[number], number>;

export interface Erasure {
  id: string;
  status: 'queued' | 'done';
  requestedAt: Date;
  completedAt?: Date;
  /** What the run that completed it changed; all zero when nothing was left (an erasure repeated). */
  counts?: ErasureCounts;
}

interface ErasureDocument extends Omit<Erasure, 'id'> {
  _id: string;
  stagedLedger?: LedgerEntry[];
}

export class MongoErasureStore {
  private readonly erasures: Collection<ErasureDocument>;

  constructor(db: Db) {
    this.erasures = db.collection<ErasureDocument>('erasures');
  }

  async create(id: string, requestedAt: Date): Promise<Erasure> {
    await this.erasures.insertOne({ _id: id, status: 'queued', requestedAt });
    return { id, status: 'queued', requestedAt };
  }

  async get(id: string): Promise<Erasure | null> {
    const found = await this.erasures.findOne({ _id: id }, { projection: { stagedLedger: 0 } });
    if (!found) return null;
    const { _id, stagedLedger: _staged, ...erasure } = found;
    return { id: _id, ...erasure };
  }

  /** The anonymized ledger copies staged for this erasure, or null when none are. */
  async stagedLedger(id: string): Promise<LedgerEntry[] | null> {
    const found = await this.erasures.findOne({ _id: id }, { projection: { stagedLedger: 1 } });
    return found?.stagedLedger ?? null;
  }

  async stageLedger(id: string, entries: readonly LedgerEntry[]): Promise<void> {
    await this.erasures.updateOne({ _id: id }, { $set: { stagedLedger: [...entries] } });
  }

  async complete(id: string, counts: ErasureCounts, completedAt: Date): Promise<void> {
    await this.erasures.updateOne({ _id: id }, { $set: { status: 'done', counts, completedAt }, $unset: { stagedLedger: '' } });
  }
}
