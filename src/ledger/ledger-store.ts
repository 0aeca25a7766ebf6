import { MongoServerError, type Collection, type Db } from 'mongodb';
import { NuqtaError } from '../errors.js';
import type { LedgerEntry, LedgerEntryDraft, LedgerKind, LedgerStatus } from './entry.js';

/**
 * The append-only ledger. An entry's `_id` is `campaignId|memberId|seq`, so a
 * member's entries are read by key (fast on MongoDB and on FerretDB alike);
 * the unique (campaignId, eventKey, ruleId) index makes every award happen once.
 */
export interface LedgerStore {
  /**
   * Appends one member's drafts in order after `knownSeq`, the member's last
   * seq as the caller knows it (callers catch up first). A seq taken meanwhile
   * by another writer fails retryably; drafts already recorded are skipped.
   * Returns what it wrote.
   */
  append(drafts: readonly LedgerEntryDraft[], knownSeq: number): Promise<LedgerEntry[]>;
  entry(campaignId: string, memberId: string, seq: number): Promise<LedgerEntry | null>;
  entriesAfter(campaignId: string, memberId: string, seq: number): Promise<LedgerEntry[]>;
  /** Newest first, before `before` (exclusive; default: from the newest) for cursor paging. */
  history(campaignId: string, memberId: string, options: { before?: number; limit: number; lastSeq: number }): Promise<LedgerEntry[]>;
  campaignEntries(campaignId: string): AsyncIterable<LedgerEntry>;
  /** Every entry of one rule in a campaign (e.g. a reward's redemptions); a scan on FerretDB, so for rare or offline use. */
  entriesOfRule(campaignId: string, ruleId: string): AsyncIterable<LedgerEntry>;
  /** Points and entry counts by kind and status, for campaign KPIs. */
  totals(campaignId: string): Promise<LedgerTotal[]>;
  /**
   * The one in-place change the ledger allows (DESIGN.md): a held entry
   * becomes posted or rejected by a review decision. True when it was held.
   */
  settleHeld(campaignId: string, memberId: string, seq: number, status: Exclude<LedgerStatus, 'held'>): Promise<boolean>;
}

export interface LedgerTotal {
  kind: LedgerKind;
  status: LedgerStatus;
  points: number;
  entries: number;
}

type LedgerDocument = LedgerEntry & { _id: string };

const DUPLICATE_KEY = 11000;

export function ledgerEntryId(campaignId: string, memberId: string, seq: number): string {
  return `${campaignId}|${memberId}|${String(seq).padStart(10, '0')}`;
}

export class MongoLedgerStore implements LedgerStore {
  private readonly entries: Collection<LedgerDocument>;

  constructor(db: Db) {
    this.entries = db.collection<LedgerDocument>('ledger');
  }

  async ensureIndexes(): Promise<void> {
    await this.entries.createIndex({ campaignId: 1, eventKey: 1, ruleId: 1 }, { unique: true, name: 'one_entry_per_event_rule' });
  }

  async append(drafts: readonly LedgerEntryDraft[], knownSeq: number): Promise<LedgerEntry[]> {
    const first = drafts[0];
    if (!first) return [];
    let seq = knownSeq;
    const written: LedgerEntry[] = [];
    for (const draft of drafts) {
      if (draft.memberId !== first.memberId || draft.campaignId !== first.campaignId) {
        throw new NuqtaError('NUQTA_INTERNAL', 'ledger append takes the entries of one member of one campaign at a time');
      }
      const entry: LedgerEntry = { ...draft, seq: seq + 1, createdAt: new Date() };
      const _id = ledgerEntryId(draft.campaignId, draft.memberId, entry.seq);
      try {
        await this.entries.insertOne({ _id, ...entry });
      } catch (error) {
        if (!(error instanceof MongoServerError && error.code === DUPLICATE_KEY)) throw error;
        // Either this (eventKey, ruleId) is already recorded — skip it — or another writer took the seq.
        if (await this.entries.findOne({ _id }, { projection: { _id: 1 } })) {
          throw new NuqtaError('NUQTA_STORE_UNAVAILABLE', `ledger seq ${entry.seq} of ${draft.memberId} was taken by another writer; retrying`);
        }
        continue;
      }
      seq = entry.seq;
      written.push(entry);
    }
    return written;
  }

  async entry(campaignId: string, memberId: string, seq: number): Promise<LedgerEntry | null> {
    return this.entries.findOne({ _id: ledgerEntryId(campaignId, memberId, seq) }, { projection: { _id: 0 } });
  }

  async entriesAfter(campaignId: string, memberId: string, seq: number): Promise<LedgerEntry[]> {
    const found: LedgerEntry[] = [];
    for (let next = seq + 1; ; next += 1) {
      const entry = await this.entry(campaignId, memberId, next);
      if (!entry) return found;
      found.push(entry);
    }
  }

  async history(campaignId: string, memberId: string, options: { before?: number; limit: number; lastSeq: number }): Promise<LedgerEntry[]> {
    const top = Math.min(options.lastSeq, (options.before ?? Number.POSITIVE_INFINITY) - 1);
    const seqs = Array.from({ length: Math.max(0, Math.min(options.limit, top)) }, (_, index) => top - index);
    const entries = await Promise.all(seqs.map((seq) => this.entry(campaignId, memberId, seq)));
    return entries.filter((entry): entry is LedgerEntry => entry !== null);
  }

  campaignEntries(campaignId: string): AsyncIterable<LedgerEntry> {
    return this.entries.find({ campaignId }, { projection: { _id: 0 }, sort: { memberId: 1, seq: 1 } });
  }

  entriesOfRule(campaignId: string, ruleId: string): AsyncIterable<LedgerEntry> {
    return this.entries.find({ campaignId, ruleId }, { projection: { _id: 0 } });
  }

  async totals(campaignId: string): Promise<LedgerTotal[]> {
    // One accumulator only: FerretDB 1.x computes only the first of several in a $group (the others come back 0).
    // Grouping by points too keeps the sum exact: points = Σ value × count.
    const groups = await this.entries
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

  async settleHeld(campaignId: string, memberId: string, seq: number, status: Exclude<LedgerStatus, 'held'>): Promise<boolean> {
    const result = await this.entries.updateOne({ _id: ledgerEntryId(campaignId, memberId, seq), status: 'held' }, { $set: { status } });
    return result.modifiedCount > 0;
  }
}
