import { MongoBulkWriteError, type Collection, type Db } from 'mongodb';
import pLimit from 'p-limit';
import type { LedgerKind, LedgerStatus } from '../domain/ledger.js';
import { NuqtaError } from '../errors.js';
import type { LedgerEntry } from './entry.js';
import { DUPLICATE_KEY } from '../insert-once.js';

/**
 * The append-only ledger. An entry's `_id` is `campaignId|memberId|seq`, so a
 * member's entries are read by exact key (an index search on MongoDB and on
 * FerretDB alike) and two writers can never hold the same seq; the unique
 * (campaignId, eventKey, ruleId) index makes every award happen once.
 */
export interface LedgerStore {
  /**
   * Inserts entries of any members in one batch. The writer numbers them
   * after member states caught up with the ledger, so a seq or key already
   * taken means another writer got there first (a partition changed hands):
   * it fails retryably (NUQTA_WRITE_CONFLICT) and the batch is retried with
   * its members read back from the stores.
   */
  insert(entries: readonly LedgerEntry[]): Promise<void>;
  entry(campaignId: string, memberId: string, seq: number): Promise<LedgerEntry | null>;
  /** The entries at `seqs` that exist, in the order asked. */
  entries(campaignId: string, memberId: string, seqs: readonly number[]): Promise<LedgerEntry[]>;
  /** The member's entries after `seq`, by key, up to the first missing seq. */
  entriesAfter(campaignId: string, memberId: string, seq: number): Promise<LedgerEntry[]>;
  /** Newest first, before `before` (exclusive; default: from the newest) for cursor paging. */
  history(campaignId: string, memberId: string, options: { before?: number; limit: number; lastSeq: number }): Promise<LedgerEntry[]>;
  /**
   * Every entry of a campaign in one pass: a scan, for offline work. In the
   * order the store keeps them (each member's in seq order, members
   * interleaved), or `byMember` (sorted: the store may sort in memory).
   */
  campaignEntries(campaignId: string, options?: { byMember: boolean }): AsyncIterable<LedgerEntry>;
  /** Every entry of one rule in a campaign (e.g. a reward's redemptions); a scan on FerretDB, so for rare or offline use. */
  entriesOfRule(campaignId: string, ruleId: string): AsyncIterable<LedgerEntry>;
  /** Points and entry counts by kind and status, for campaign KPIs. */
  totals(campaignId: string): Promise<LedgerTotal[]>;
  /**
   * The one in-place change the ledger allows (DESIGN.md): a held entry
   * becomes posted or rejected by a review decision, recorded with the
   * member's last seq at that moment. The writer only settles entries its
   * member state holds as held, so the update is by key alone.
   */
  settle(campaignId: string, memberId: string, seq: number, status: Exclude<LedgerStatus, 'held'>, settledAtSeq: number): Promise<void>;
}

export interface LedgerTotal {
  kind: LedgerKind;
  status: LedgerStatus;
  points: number;
  entries: number;
}

type LedgerDocument = LedgerEntry & { _id: string };

/** Parallel key reads in flight per call. */
const READS_IN_FLIGHT = 32;

export function ledgerEntryId(campaignId: string, memberId: string, seq: number): string {
  return `${campaignId}|${memberId}|${String(seq).padStart(10, '0')}`;
}

export class MongoLedgerStore implements LedgerStore {
  private readonly collection: Collection<LedgerDocument>;

  constructor(db: Db) {
    this.collection = db.collection<LedgerDocument>('ledger');
  }

  async ensureIndexes(): Promise<void> {
    await this.collection.createIndex({ campaignId: 1, eventKey: 1, ruleId: 1 }, { unique: true, name: 'one_entry_per_event_rule' });
  }

  async insert(entries: readonly LedgerEntry[]): Promise<void> {
    if (entries.length === 0) return;
    try {
      await this.collection.insertMany(entries.map((entry) => ({ _id: ledgerEntryId(entry.campaignId, entry.memberId, entry.seq), ...entry })), { ordered: false });
    } catch (error) {
      const duplicates = duplicateIndexes(error);
      if (duplicates === null) throw error;
      const taken = entries[duplicates[0] ?? 0];
      throw new NuqtaError('NUQTA_WRITE_CONFLICT', `ledger seq ${taken?.seq} (or the key ${taken?.eventKey} ${taken?.ruleId}) of ${taken?.memberId} was taken by another writer; retried with the member read again`);
    }
  }

  async entry(campaignId: string, memberId: string, seq: number): Promise<LedgerEntry | null> {
    return this.collection.findOne({ _id: ledgerEntryId(campaignId, memberId, seq) }, { projection: { _id: 0 } });
  }

  async entries(campaignId: string, memberId: string, seqs: readonly number[]): Promise<LedgerEntry[]> {
    const found = await this.byIds(seqs.map((seq) => ledgerEntryId(campaignId, memberId, seq)));
    return seqs.flatMap((seq) => {
      const entry = found.get(ledgerEntryId(campaignId, memberId, seq));
      return entry ? [entry] : [];
    });
  }

  async entriesAfter(campaignId: string, memberId: string, seq: number): Promise<LedgerEntry[]> {
    // Usually nothing follows: one key read says so. Past that, read ahead a chunk at a time.
    const found: LedgerEntry[] = [];
    for (let from = seq + 1, chunk = 1; ; from += chunk, chunk = READS_IN_FLIGHT) {
      const seqs = Array.from({ length: chunk }, (_, index) => from + index);
      const entries = await this.entries(campaignId, memberId, seqs);
      for (const [index, entry] of entries.entries()) {
        if (entry.seq !== seqs[index]) return found;
        found.push(entry);
      }
      if (entries.length < chunk) return found;
    }
  }

  async history(campaignId: string, memberId: string, options: { before?: number; limit: number; lastSeq: number }): Promise<LedgerEntry[]> {
    const top = Math.min(options.lastSeq, (options.before ?? Number.POSITIVE_INFINITY) - 1);
    const seqs = Array.from({ length: Math.max(0, Math.min(options.limit, top)) }, (_, index) => top - index);
    return this.entries(campaignId, memberId, seqs);
  }

  campaignEntries(campaignId: string, options: { byMember: boolean } = { byMember: false }): AsyncIterable<LedgerEntry> {
    return this.collection.find({ campaignId }, { projection: { _id: 0 }, ...(options.byMember ? { sort: { memberId: 1, seq: 1 } } : {}) });
  }

  entriesOfRule(campaignId: string, ruleId: string): AsyncIterable<LedgerEntry> {
    return this.collection.find({ campaignId, ruleId }, { projection: { _id: 0 } });
  }

  async totals(campaignId: string): Promise<LedgerTotal[]> {
    // One accumulator only: FerretDB 1.x computes only the first of several in a $group (the others come back 0).
    // Grouping by points too keeps the sum exact: points = Σ value × count.
    const groups = await this.collection
      .aggregate<{ _id: { kind: LedgerKind; status: LedgerStatus; points: number }; entries: number }>([
        { $match: { campaignId } },
        { $group: { _id: { kind: '$kind', status: '$status', points: '$points' }, entries: { $sum: 1 } } },
      ])
      .toArray();
    const totals = new Map<string, LedgerTotal>();
    for (const { _id: { kind, status, points }, entries } of groups) {
      const total = totals.get(`${kind}|${status}`) ?? { kind, status, points: 0, entries: 0 };
      totals.set(`${kind}|${status}`, { kind, status, points: total.points + points * entries, entries: total.entries + entries });
    }
    return [...totals.values()];
  }

  async settle(campaignId: string, memberId: string, seq: number, status: Exclude<LedgerStatus, 'held'>, settledAtSeq: number): Promise<void> {
    await this.collection.updateOne({ _id: ledgerEntryId(campaignId, memberId, seq) }, { $set: { status, settledAtSeq } });
  }

  /** Exact `_id` reads, a few in flight at a time (an `$in` filter would scan on FerretDB). */
  private async byIds(ids: readonly string[]): Promise<Map<string, LedgerEntry>> {
    const found = new Map<string, LedgerEntry>();
    const limit = pLimit(READS_IN_FLIGHT);
    await Promise.all(ids.map((id) => limit(async () => {
      const document = await this.collection.findOne({ _id: id });
      if (document) {
        const { _id, ...entry } = document;
        found.set(_id, entry);
      }
    })));
    return found;
  }
}

/** The indexes of the documents an unordered insert refused as duplicates; null when it failed for another reason. */
export function duplicateIndexes(error: unknown): number[] | null {
  if (error instanceof MongoBulkWriteError) {
    const writeErrors = Array.isArray(error.writeErrors) ? error.writeErrors : [error.writeErrors];
    if (writeErrors.length === 0 || writeErrors.some((writeError) => writeError.code !== DUPLICATE_KEY)) return null;
    return writeErrors.map((writeError) => writeError.index);
  }
  return null;
}
