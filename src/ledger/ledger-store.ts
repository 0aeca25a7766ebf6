import type { Collection, Db } from 'mongodb';
import { NuqtaError } from '../errors.js';
import type { LedgerEntry, LedgerEntryDraft, LedgerKind, LedgerStatus } from './entry.js';

export interface LedgerStore {
  /** Appends the drafts of one member in order; drafts already recorded are skipped. Returns the entries now recorded for them. */
  append(drafts: readonly LedgerEntryDraft[]): Promise<LedgerEntry[]>;
  entriesAfter(campaignId: string, memberId: string, seq: number): Promise<LedgerEntry[]>;
  memberEntries(campaignId: string, memberId: string): Promise<LedgerEntry[]>;
  entriesForEvent(campaignId: string, eventKey: string): Promise<LedgerEntry[]>;
  /** Newest first, `before` a seq (exclusive) for cursor paging. */
  history(campaignId: string, memberId: string, options: { before?: number; limit: number }): Promise<LedgerEntry[]>;
  campaignEntries(campaignId: string): AsyncIterable<LedgerEntry>;
  /** Points and entry counts by kind and status, for campaign KPIs. */
  totals(campaignId: string): Promise<LedgerTotal[]>;
}

export interface LedgerTotal {
  kind: LedgerKind;
  status: LedgerStatus;
  points: number;
  entries: number;
}

/**
 * Callers must append one member's entries one caller at a time (the ingest
 * partitions guarantee it); the unique (campaignId, memberId, seq) index turns
 * any violation of that into an error instead of a silent double award.
 */
export class MongoLedgerStore implements LedgerStore {
  private readonly entries: Collection<LedgerEntry>;

  constructor(db: Db) {
    this.entries = db.collection<LedgerEntry>('ledger');
  }

  async ensureIndexes(): Promise<void> {
    await this.entries.createIndex({ campaignId: 1, eventKey: 1, ruleId: 1 }, { unique: true, name: 'one_entry_per_event_rule' });
    await this.entries.createIndex({ campaignId: 1, memberId: 1, seq: 1 }, { unique: true, name: 'member_sequence' });
  }

  async append(drafts: readonly LedgerEntryDraft[]): Promise<LedgerEntry[]> {
    const first = drafts[0];
    if (!first) return [];
    const recorded = await this.entries
      .find({ campaignId: first.campaignId, $or: drafts.map((d) => ({ eventKey: d.eventKey, ruleId: d.ruleId })) }, { projection: { _id: 0 } })
      .toArray();
    const known = new Set(recorded.map(keyOf));
    let seq = await this.lastSeq(first.campaignId, first.memberId);
    const written: LedgerEntry[] = [];
    for (const draft of drafts) {
      if (draft.memberId !== first.memberId || draft.campaignId !== first.campaignId) {
        throw new NuqtaError('NUQTA_INTERNAL', 'ledger append takes the entries of one member of one campaign at a time');
      }
      if (known.has(keyOf(draft))) continue;
      seq += 1;
      const entry: LedgerEntry = { ...draft, seq, createdAt: new Date() };
      try {
        await this.entries.insertOne({ ...entry });
      } catch (error) {
        throw new NuqtaError('NUQTA_STORE_UNAVAILABLE', `ledger append for ${draft.memberId} raced another writer; retrying`, { cause: String(error) });
      }
      written.push(entry);
    }
    return [...recorded, ...written];
  }

  async entriesAfter(campaignId: string, memberId: string, seq: number): Promise<LedgerEntry[]> {
    return this.entries.find({ campaignId, memberId, seq: { $gt: seq } }, { projection: { _id: 0 }, sort: { seq: 1 } }).toArray();
  }

  async memberEntries(campaignId: string, memberId: string): Promise<LedgerEntry[]> {
    return this.entriesAfter(campaignId, memberId, 0);
  }

  async entriesForEvent(campaignId: string, eventKey: string): Promise<LedgerEntry[]> {
    return this.entries.find({ campaignId, eventKey }, { projection: { _id: 0 }, sort: { seq: 1 } }).toArray();
  }

  async history(campaignId: string, memberId: string, options: { before?: number; limit: number }): Promise<LedgerEntry[]> {
    const seq = options.before === undefined ? {} : { seq: { $lt: options.before } };
    return this.entries.find({ campaignId, memberId, ...seq }, { projection: { _id: 0 }, sort: { seq: -1 }, limit: options.limit }).toArray();
  }

  campaignEntries(campaignId: string): AsyncIterable<LedgerEntry> {
    return this.entries.find({ campaignId }, { projection: { _id: 0 }, sort: { memberId: 1, seq: 1 } });
  }

  async totals(campaignId: string): Promise<LedgerTotal[]> {
    const groups = await this.entries
      .aggregate<{ _id: { kind: LedgerKind; status: LedgerStatus }; points: number; entries: number }>([
        { $match: { campaignId } },
        { $group: { _id: { kind: '$kind', status: '$status' }, points: { $sum: '$points' }, entries: { $sum: 1 } } },
      ])
      .toArray();
    return groups.map((group) => ({ kind: group._id.kind, status: group._id.status, points: group.points, entries: group.entries }));
  }

  private async lastSeq(campaignId: string, memberId: string): Promise<number> {
    const last = await this.entries.findOne({ campaignId, memberId }, { projection: { seq: 1 }, sort: { seq: -1 } });
    return last?.seq ?? 0;
  }
}

function keyOf(entry: Pick<LedgerEntryDraft, 'eventKey' | 'ruleId'>): string {
  return `${entry.eventKey}\u0000${entry.ruleId}`;
}
