/**
 * src/ledger owns the append-only ledger (the only truth about points), the
 * member state folded from it, and the one writer that appends to both. It
 * never decides points: scoring and the member tasks do, and hand their
 * decided entries to the writer.
 */
import type { LedgerKind, LedgerRef, LedgerStatus } from '../domain/ledger.js';
import type { Localized } from '../domain/localized.js';

/** A stable code for programs and a sentence for people, in both languages. */
export interface LedgerReason {
  code: string;
  text: Localized;
}

/** What scoring, a redemption, expiry, a review or a replay asks the ledger to record; the writer assigns `seq`. */
export interface LedgerEntryDraft {
  campaignId: string;
  memberId: string;
  /** With ruleId, the idempotency key: one entry per (campaign, eventKey, ruleId), ever. */
  eventKey: string;
  ruleId: string;
  kind: LedgerKind;
  points: number;
  status: LedgerStatus;
  reason: LedgerReason;
  explain: Record<string, unknown>;
  campaignRevision: string;
  occurredAt: Date;
  by: string;
  /** For `reverse` and `expire` entries: the entry they undo or expire. */
  refersTo?: LedgerRef;
}

export interface LedgerEntry extends LedgerEntryDraft {
  seq: number;
  createdAt: Date;
  /**
   * Set when a review decision moved the entry from held to posted or
   * rejected: the member's last seq at that moment, so the member state
   * folded from the ledger applies the decision where it happened.
   */
  settledAtSeq?: number;
}

/** The part of an entry the member state reads. */
export type MemberFact = Pick<LedgerEntry, 'seq' | 'eventKey' | 'ruleId' | 'kind' | 'points' | 'status' | 'occurredAt' | 'createdAt' | 'refersTo' | 'settledAtSeq'>;

export function factOf(entry: LedgerEntry): MemberFact {
  const { seq, eventKey, ruleId, kind, points, status, occurredAt, createdAt, refersTo, settledAtSeq } = entry;
  return {
    seq, eventKey, ruleId, kind, points, status, occurredAt, createdAt,
    ...(refersTo ? { refersTo } : {}),
    ...(settledAtSeq === undefined ? {} : { settledAtSeq }),
  };
}

/** An entry as a decision makes it (scoring, a redemption, expiry, a review, a replay); the writer adds campaign, member, revision and author. */
export type EntryDecision = Omit<LedgerEntryDraft, 'campaignId' | 'memberId' | 'campaignRevision' | 'by' | 'explain'> & { explain: object };
