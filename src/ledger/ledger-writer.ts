/**
 * The one writer of the ledger. Scoring, redemptions, expiry, review
 * decisions and replays hand it decided entries for a member; it numbers
 * them after the member's last seq, applies them to the member state at once
 * (the next decision in the batch reads them), and commits the whole batch
 * in an order a retry can finish: the ledger entries (one insertMany), the
 * review settlements, new members in the directory, the caller's records
 * that must follow the ledger (decisions, flags), and last one Redis pipeline
 * with the member states, the boards (through the projection sink) and the
 * caller's Redis work. A record is only ever written after the entries it
 * includes, so a commit cut short anywhere leaves the ledger ahead of the
 * record, which the member loader catches up.
 */
import type { ChainableCommander, Redis } from 'ioredis';
import type { LoadedCampaign } from '../config/campaign-loader.js';
import type { Campaign } from '../config/campaign-schema.js';
import type { LedgerKind, LedgerStatus } from '../domain/ledger.js';
import type { OutboundEventType } from '../domain/outbound-events.js';
import { NuqtaError } from '../errors.js';
import type { EntryDecision, LedgerEntry } from './entry.js';
import type { LedgerStore } from './ledger-store.js';
import type { MemberDirectory } from './member-directory.js';
import type { LoadedMember } from './member-loader.js';
import { applyEntry, settleEntry, type BoardStanding, type MemberState } from './member-state.js';
import type { MemberRecord, RedisMemberStates } from './member-states.js';
import { stateSpecOf } from './state-spec.js';

/** What a member's new state changes for the readers beside it (the leaderboard implements it). */
export interface ProjectionSink {
  /** Queues on `pipeline` the member's standing on `boards` (absolute, so a replay converges) and, when `named`, their display name. */
  project(pipeline: ChainableCommander, change: { campaign: Campaign; record: MemberRecord; boards: readonly string[]; named: boolean }): void;
}

/** An entry as written (or approved), with the member's balance before and after it: what the outbox derives events from. */
export interface WrittenEntry {
  campaignId: string;
  memberId: string;
  username?: string | undefined;
  seq: number;
  eventKey: string;
  ruleId: string;
  kind: LedgerKind;
  points: number;
  status: LedgerStatus;
  reason: { code: string; text: { en: string; ar: string } };
  createdAt: Date;
  balanceBefore: number;
  balanceAfter: number;
}

/** What a member task tells the brand's systems besides entries (a flag decided, points expiring). */
export interface Announcement {
  campaignId: string;
  memberId: string;
  type: OutboundEventType;
  /** Makes the event's id: the same announcement made twice is one event. */
  key: string;
  afterSeq: number;
  at: Date;
  data: Record<string, unknown>;
}

/** The outbox (src/outbound implements it): written in the commit's pipeline before the member records. */
export interface OutboxSink {
  /** Whether anything listens to the campaign; nothing is noted otherwise. */
  listens(campaignId: string): boolean;
  queue(pipeline: ChainableCommander, written: readonly { campaign: Campaign; entry: WrittenEntry }[], announcements: readonly Announcement[]): void;
}

export interface LedgerWriterDeps {
  redis: Redis;
  ledger: Pick<LedgerStore, 'insert' | 'settle'>;
  directory: Pick<MemberDirectory, 'add' | 'rename'>;
  states: Pick<RedisMemberStates, 'queuePut'>;
  sink: ProjectionSink;
  outbox?: OutboxSink;
}

/** What the caller commits with the batch: records that follow the ledger, and Redis work for the same pipeline. */
export interface CommitHooks {
  afterLedger?: () => Promise<void>;
  pipeline?: (pipeline: ChainableCommander) => void;
}

/** A member under the writer in one batch. */
export interface MemberBook {
  readonly loaded: LoadedCampaign;
  readonly record: MemberRecord;
}

interface Book extends MemberBook {
  isNew: boolean;
  /** The boards as they stood before the batch changed them; empty when all must be written (a caught-up record). */
  boardsBefore: Record<string, BoardStanding>;
  named: boolean;
  renamed: boolean;
}

interface Settlement {
  campaignId: string;
  memberId: string;
  seq: number;
  status: 'posted' | 'rejected';
  settledAtSeq: number;
}

export class LedgerWriter {
  constructor(private readonly deps: LedgerWriterDeps) {}

  batch(): LedgerBatch {
    return new LedgerBatch(this.deps);
  }
}

export class LedgerBatch {
  readonly entries: LedgerEntry[] = [];
  private readonly books = new Map<string, Book>();
  private readonly settlements: Settlement[] = [];
  private readonly written: { campaign: Campaign; entry: WrittenEntry }[] = [];
  private readonly announcements: Announcement[] = [];

  constructor(private readonly deps: LedgerWriterDeps) {}

  /** The member's book in this batch (opened once; later calls return it). */
  open(loaded: LoadedCampaign, member: LoadedMember): MemberBook {
    const key = `${loaded.campaign.id}|${member.record.memberId}`;
    const known = this.books.get(key);
    if (known) return known;
    const caughtUp = member.isNew || member.rebuilt || member.recovered.length > 0;
    const book: Book = {
      loaded,
      record: member.record,
      isNew: member.isNew,
      boardsBefore: caughtUp ? {} : { ...member.record.state.boards },
      named: member.isNew,
      renamed: false,
    };
    this.books.set(key, book);
    // Entries a cut-short commit wrote to the ledger but not to the record: their events may not be in the outbox either.
    for (const entry of member.recovered) {
      const balance = member.record.state.balance;
      this.note(loaded.campaign, { ...entry, username: member.record.username, balanceBefore: balance, balanceAfter: balance });
    }
    return book;
  }

  /** Tells the brand's systems something about the member, after their last entry in this batch. */
  announce(book: MemberBook, announcement: Omit<Announcement, 'campaignId' | 'memberId' | 'afterSeq'>): void {
    if (!this.deps.outbox?.listens(book.loaded.campaign.id)) return;
    this.announcements.push({ ...announcement, campaignId: book.loaded.campaign.id, memberId: book.record.memberId, afterSeq: book.record.state.seq });
  }

  private note(campaign: Campaign, entry: WrittenEntry): void {
    if (this.deps.outbox?.listens(campaign.id)) this.written.push({ campaign, entry });
  }

  get members(): readonly MemberBook[] {
    return [...this.books.values()];
  }

  /** Numbers the member's decided entries after their last seq and applies them; returns the entries as they will be stored. */
  append(book: MemberBook, decisions: readonly EntryDecision[], by: string, now: Date): LedgerEntry[] {
    const { loaded, record } = book;
    const spec = stateSpecOf(loaded.campaign);
    return decisions.map((decision) => {
      const entry: LedgerEntry = {
        ...decision,
        explain: { ...decision.explain },
        campaignId: loaded.campaign.id,
        memberId: record.memberId,
        campaignRevision: loaded.revision,
        by,
        seq: record.state.seq + 1,
        createdAt: now,
      };
      const balanceBefore = record.state.balance;
      applyEntry(record.state, entry, spec);
      this.entries.push(entry);
      this.note(loaded.campaign, { ...entry, username: record.username, balanceBefore, balanceAfter: record.state.balance });
      return entry;
    });
  }

  /** A review decision moves the member's held entry `seq` to `status`, as of their last seq. */
  settle(book: MemberBook, seq: number, status: 'posted' | 'rejected'): void {
    const { loaded, record } = book;
    if (!record.state.held.some((note) => note.seq === seq)) {
      throw new NuqtaError('NUQTA_INTERNAL', `entry ${seq} of ${record.memberId} is not held; only held entries are settled`);
    }
    this.settlements.push({ campaignId: loaded.campaign.id, memberId: record.memberId, seq, status, settledAtSeq: record.state.seq });
    const held = record.state.held.find((note) => note.seq === seq);
    const balanceBefore = record.state.balance;
    settleEntry(record.state, seq, status, stateSpecOf(loaded.campaign));
    if (held && status === 'posted') {
      this.note(loaded.campaign, {
        campaignId: loaded.campaign.id, memberId: record.memberId, username: record.username, seq, eventKey: held.eventKey, ruleId: held.ruleId,
        kind: held.kind, points: held.points, status, reason: APPROVED, createdAt: new Date(), balanceBefore, balanceAfter: record.state.balance,
      });
    }
  }

  /** Replaces the member's state with one rebuilt from the ledger (a repair); every board they stand on is written again. */
  replaceState(book: MemberBook, state: MemberState): void {
    const known = this.books.get(`${book.loaded.campaign.id}|${book.record.memberId}`);
    if (!known) return;
    known.record.state = state;
    known.boardsBefore = {};
    known.named = true;
  }

  /** The member goes by a new username (the boards show it unless the campaign anonymizes). */
  rename(book: MemberBook, username: string): void {
    const known = this.books.get(`${book.loaded.campaign.id}|${book.record.memberId}`);
    if (!known || known.record.username === username) return;
    known.record.username = username;
    known.named = true;
    known.renamed = !known.isNew;
  }

  async commit(hooks: CommitHooks = {}): Promise<void> {
    const { ledger, directory, states, sink, redis } = this.deps;
    await ledger.insert(this.entries);
    for (const settlement of this.settlements) {
      await ledger.settle(settlement.campaignId, settlement.memberId, settlement.seq, settlement.status, settlement.settledAtSeq);
    }
    const books = [...this.books.values()];
    await directory.add(books.filter((book) => book.isNew).map(({ record: { state: _state, ...identity } }) => identity));
    for (const book of books) if (book.renamed && book.record.username !== undefined) await directory.rename(book.loaded.campaign.id, book.record.memberId, book.record.username);
    await hooks.afterLedger?.();

    const pipeline = redis.pipeline();
    // Before the records: a record that includes an entry means its events are in the outbox.
    if (this.written.length + this.announcements.length > 0) this.deps.outbox?.queue(pipeline, this.written, this.announcements);
    for (const book of books) {
      states.queuePut(pipeline, book.record);
      sink.project(pipeline, { campaign: book.loaded.campaign, record: book.record, boards: changedBoards(book.boardsBefore, book.record.state.boards), named: book.named });
    }
    hooks.pipeline?.(pipeline);
    const replies = (await pipeline.exec()) ?? [];
    const failed = replies.find(([error]) => error !== null);
    if (failed?.[0]) throw failed[0];
  }
}

const APPROVED = { code: 'APPROVED', text: { en: 'Approved by a reviewer', ar: 'وافق عليها مراجع' } };

function changedBoards(before: Readonly<Record<string, BoardStanding>>, after: Readonly<Record<string, BoardStanding>>): string[] {
  return Object.entries(after)
    .filter(([board, [points, reachedAt]]) => {
      const was = before[board];
      return was === undefined || was[0] !== points || was[1] !== reachedAt;
    })
    .map(([board]) => board);
}
