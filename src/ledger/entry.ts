/**
 * src/ledger owns the append-only ledger (the only truth about points) and the
 * projections rebuilt from it. It never decides points: scoring does.
 */
export const LEDGER_KINDS = ['earn', 'bonus', 'redeem', 'expire', 'reverse', 'adjust'] as const;
export type LedgerKind = (typeof LEDGER_KINDS)[number];
export const LEDGER_STATUSES = ['posted', 'held', 'rejected'] as const;
export type LedgerStatus = (typeof LEDGER_STATUSES)[number];

/** A stable code for programs and a sentence for people, in both languages. */
export interface LedgerReason {
  code: string;
  text: { en: string; ar: string };
}

/** What scoring or a redemption asks the ledger to record; the store assigns `seq`. */
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
  refersTo?: { eventKey: string; ruleId: string };
}

export interface LedgerEntry extends LedgerEntryDraft {
  seq: number;
  createdAt: Date;
}

/** Kinds that count as earning (tiers, leaderboards); redemptions and expiry only lower the balance. */
export const EARNING_KINDS: ReadonlySet<LedgerKind> = new Set(['earn', 'bonus', 'reverse', 'adjust']);

export function balanceDelta(entry: Pick<LedgerEntry, 'status' | 'points'>): number {
  return entry.status === 'posted' ? entry.points : 0;
}

export function earnedDelta(entry: Pick<LedgerEntry, 'status' | 'points' | 'kind'>): number {
  return entry.status === 'posted' && EARNING_KINDS.has(entry.kind) ? entry.points : 0;
}

/** The part of an entry that later scoring decisions read (caps, bonuses, tiers, expiry). */
export type MemberFact = Pick<LedgerEntry, 'seq' | 'eventKey' | 'ruleId' | 'kind' | 'points' | 'status' | 'occurredAt' | 'createdAt' | 'refersTo'>;

export function factOf(entry: LedgerEntry): MemberFact {
  const { seq, eventKey, ruleId, kind, points, status, occurredAt, createdAt, refersTo } = entry;
  return { seq, eventKey, ruleId, kind, points, status, occurredAt, createdAt, ...(refersTo ? { refersTo } : {}) };
}
