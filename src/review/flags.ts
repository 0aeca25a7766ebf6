/**
 * src/review owns what happens after the fraud scorer holds or rejects an
 * event: the review flags, which earlier awards go under review with it
 * (`retro-review.ts`, entries the scorer writes), reviewers' decisions and
 * their audit trail (`reviews`), and the block list the scorer reads. It
 * never scores events: a decision only moves held entries to posted or
 * rejected (the one in-place ledger change DESIGN.md allows) and rebuilds the
 * member's projection from the ledger.
 *
 * This file holds the flag's shape and the pure decisions about it.
 */
import type { Campaign } from '../config/campaign-schema.js';
import { isAward, isReviewReversal, type LedgerKind } from '../domain/ledger.js';
import type { HeldNote, MemberState } from '../ledger/member-state.js';
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
  /** For a reversal putting an earlier award under review: that award. */
  refersTo?: { eventKey: string; ruleId: string };
}

export interface FlagDecision {
  decision: ReviewDecision;
  by: string;
  at: Date;
  note?: string;
}

/** The stock-text wave a flag belongs to: every flag of one wave carries the same id, so a reviewer decides them together. */
export interface FlagWave {
  id: string;
  mediaId: string;
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
  /** Points held by the event's own entries when the flag was opened. */
  points: number;
  /** Points of the member's earlier awards put under review with the event: a rejection takes them back. */
  pointsUnderReview: number;
  occurredAt: Date;
  createdAt: Date;
  decision?: FlagDecision;
  /** Set when the flag is part of a wave of accounts writing the same stock text on one post. */
  wave?: FlagWave;
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
 * held entries (awards, bonuses it unlocked, and the reversals putting earlier
 * awards under review, all written under its eventKey) and held entries
 * pointing at its awards (a held reversal after the comment was deleted), so
 * an award and its reversal always end the same way. In seq order.
 */
export function settledBy(state: MemberState, eventKey: string): HeldNote[] {
  return state.held
    .filter((note) => note.eventKey === eventKey || (note.refersTo?.eventKey === eventKey && !isReviewReversal(note)))
    .sort((a, b) => a.seq - b.seq);
}

/**
 * The status each settled entry takes. The event's own entries follow the
 * decision (`entryStatusAfter`). A reversal putting an earlier award under
 * review goes the other way: rejecting the flag posts it (the points are
 * taken back), approving rejects it (nothing changes). One whose award was
 * taken back meanwhile (its comment deleted) has nothing left to take and is
 * rejected either way, so points are never taken twice.
 */
export function settlementsOf(settled: readonly HeldNote[], decision: ReviewDecision): { note: HeldNote; status: 'posted' | 'rejected' }[] {
  return settled.map((note) => {
    if (!isReviewReversal(note)) return { note, status: entryStatusAfter(decision) };
    return { note, status: decision === 'reject' && note.counts === true ? 'posted' : 'rejected' };
  });
}

/** The events whose held awards keep a flag open. */
export function heldEvents(state: MemberState): Set<string> {
  return new Set(state.held.filter((note) => isAward(note)).map((note) => note.eventKey));
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
