/**
 * src/review owns what happens after the fraud scorer holds an award: the
 * review flags, reviewers' decisions and their audit trail (`reviews`), and
 * the block list the scorer reads. It never scores events and never writes
 * new ledger entries: a decision only moves held entries to posted or
 * rejected (the one in-place ledger change DESIGN.md allows) and rebuilds the
 * member's projection from the ledger.
 *
 * This file holds the flag's shape and the pure decisions about it.
 */
import type { Campaign } from '../config/campaign-schema.js';
import type { LedgerKind, MemberFact } from '../ledger/entry.js';
import { decisionFor, scoreOf, type FraudDecision, type FraudSignal, type FraudSignalCode } from '../scoring/fraud/index.js';

export const FLAG_STATUSES = ['open', 'approved', 'rejected'] as const;
export type FlagStatus = (typeof FLAG_STATUSES)[number];
export const REVIEW_DECISIONS = ['approve', 'reject'] as const;
export type ReviewDecision = (typeof REVIEW_DECISIONS)[number];

/** Who decided when nobody did: decisions taken by nuqta itself (after an unblock). */
export const SYSTEM_REVIEWER = 'system';

/** A held ledger entry, as the flag lists it. */
export interface FlagEntry {
  seq: number;
  ruleId: string;
  kind: LedgerKind;
  points: number;
}

export interface FlagDecision {
  decision: ReviewDecision;
  by: string;
  at: Date;
  note?: string;
}

/** One held event of one member in one campaign, waiting for (or past) a reviewer's decision. */
export interface Flag {
  /** `campaignId|eventKey`. */
  id: string;
  campaignId: string;
  eventKey: string;
  memberId: string;
  status: FlagStatus;
  score: number;
  signals: FraudSignal[];
  /** The signal codes, for filtering. */
  reasons: FraudSignalCode[];
  entries: FlagEntry[];
  /** Points held by the flag's entries when it was opened. */
  points: number;
  occurredAt: Date;
  createdAt: Date;
  decision?: FlagDecision;
}

export function flagIdOf(campaignId: string, eventKey: string): string {
  return `${campaignId}|${eventKey}`;
}

export function flagStatusAfter(decision: ReviewDecision): Exclude<FlagStatus, 'open'> {
  return decision === 'approve' ? 'approved' : 'rejected';
}

export function entryStatusAfter(decision: ReviewDecision): 'posted' | 'rejected' {
  return decision === 'approve' ? 'posted' : 'rejected';
}

/**
 * The held entries a decision on the flagged event settles: the event's own
 * held entries (awards, and bonuses it unlocked, written under its eventKey)
 * and held entries pointing at them (a held reversal after the comment was
 * deleted), so an award and its reversal always end the same way.
 */
export function settledBy(facts: readonly MemberFact[], eventKey: string): MemberFact[] {
  return facts.filter((fact) => fact.status === 'held' && (fact.eventKey === eventKey || fact.refersTo?.eventKey === eventKey));
}

/** Award entries that keep a flag open: the held earn and bonus entries of an event. */
export function heldAwards(facts: readonly MemberFact[]): MemberFact[] {
  return facts.filter((fact) => fact.status === 'held' && (fact.kind === 'earn' || fact.kind === 'bonus'));
}

/**
 * The verdict a flag would get once the member is off the block list. The
 * other signals are kept as recorded: they describe the event and its history
 * at the time, which the recent-activity windows may no longer hold.
 */
export function verdictWithoutBlock(flag: Pick<Flag, 'signals'>, fraud: Campaign['fraud'], stillBlocked: boolean): { score: number; decision: FraudDecision } {
  const signals = flag.signals.filter((signal) => stillBlocked || signal.code !== 'blocked_member');
  const score = scoreOf(signals);
  return { score, decision: decisionFor(score, fraud) };
}
