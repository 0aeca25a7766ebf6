/**
 * A member's state in one campaign, folded from their ledger entries: what
 * every later decision reads, and nothing more. Balance, points earned and
 * the tier; per rule the standing awards by campaign-local day (weeks and the
 * campaign total are sums of days) and, for rules with a cooldown, their
 * times; challenge counts; points per leaderboard board; the held entries
 * waiting for a review; the expiry lots; and the awards of the last week
 * (retroactive review and deletions read them). Its size follows the days a
 * member earned on and their recent week, never every event they sent.
 *
 * `applyEntry` and `settleEntry` are the only transitions, and `stateOf`
 * folds a member's ledger with them, so a state kept up to date entry by
 * entry and one rebuilt from the ledger are the same (what `nuqta verify`
 * checks). Standing awards follow one rule: an award stands unless rejected
 * or reversed, where a posted reversal undoes its award and a held reversal
 * of a held award (its comment deleted while it waits for review) does too.
 */
import { boardIdsFor } from '../domain/board-windows.js';
import { localDayNumber } from '../domain/calendar.js';
import {
  EARNING_KINDS, isAward, isCampaignBonus, isClawback, isReviewReversal, refKey, TIER_RULE_PREFIX, UNSCORED_DELETION_RULE_ID,
  type LedgerKind, type LedgerRef,
} from '../domain/ledger.js';
import type { MemberFact } from './entry.js';
import { creditLots, type LotNote } from './state-lots.js';
import type { StateSpec } from './state-spec.js';

/** Awards are remembered for a week after the member's newest one: the longest retroactive review looks back that far. */
export const AWARD_MEMORY_MS = 7 * 86_400_000;

/** Standing awards of one rule: in all, per campaign-local day number, and (cooldown rules) their times, ascending. */
export interface RuleTally {
  n: number;
  days: Record<string, number>;
  times?: number[];
}

/** Points on one board, when the member reached them (the newest entry that changed them) and that entry's seq. */
export type BoardStanding = [points: number, reachedAt: number, reachedSeq: number];

/** A standing award the state remembers: the last week's, and every challenge and streak bonus. */
export interface AwardNote {
  seq: number;
  eventKey: string;
  ruleId: string;
  kind: 'earn' | 'bonus';
  points: number;
  status: 'posted' | 'held';
  /** occurredAt, epoch ms. */
  at: number;
  /** Points of it gone to expiry: a reversal takes back only the rest. */
  expired: number;
  /** It has been under review once (a held review reversal was written for it). */
  reviewed?: true;
  /** It was written held, so its event had a review flag of its own. */
  wasHeld?: true;
}

/** An entry waiting for a review decision. */
export interface HeldNote {
  seq: number;
  eventKey: string;
  ruleId: string;
  kind: LedgerKind;
  points: number;
  at: number;
  createdAt: number;
  refersTo?: LedgerRef;
  /** Review reversals: whether its award still stands posted, so its points count as under review. */
  counts?: boolean;
}

export interface MemberState {
  /** The fingerprint of the campaign settings the state was built under (state-spec.ts). */
  spec: string;
  /** The last ledger seq applied. */
  seq: number;
  balance: number;
  earned: number;
  /** The tier last written to the ledger; null before any tier entry (the lowest tier). */
  tierId: string | null;
  rules: Record<string, RuleTally>;
  challenges: Record<string, number>;
  boards: Record<string, BoardStanding>;
  awards: AwardNote[];
  /** The newest occurredAt of any award applied: remembered awards are the week before it. */
  newestAwardAt: number;
  held: HeldNote[];
  lots: LotNote[];
  /** Points spent that no lot covered (a clawback after a redemption); the next lots pay it first. */
  debt: number;
  /** Deletions recorded before their comment was scored (their eventKeys). */
  deletions: string[];
}

export function emptyState(spec: StateSpec): MemberState {
  return {
    spec: spec.fingerprint, seq: 0, balance: 0, earned: 0, tierId: null, rules: {}, challenges: {}, boards: {},
    awards: [], newestAwardAt: 0, held: [], lots: [], debt: 0, deletions: [],
  };
}

/** The status an entry was written with: held when a review decision settled it later. */
function writtenStatus(entry: MemberFact): MemberFact['status'] {
  return entry.settledAtSeq === undefined ? entry.status : 'held';
}

/** Applies one entry as it was written, in ledger order. Mutates `state`. */
export function applyEntry(state: MemberState, entry: MemberFact, spec: StateSpec): void {
  const status = writtenStatus(entry);
  const at = entry.occurredAt.getTime();
  if (isAward(entry)) {
    if (status !== 'rejected') {
      stand(state, spec, entry.ruleId, at);
      state.awards.push({
        seq: entry.seq, eventKey: entry.eventKey, ruleId: entry.ruleId, kind: entry.kind as AwardNote['kind'], points: entry.points,
        status: status === 'held' ? 'held' : 'posted', at, expired: 0, ...(status === 'held' ? { wasHeld: true as const } : {}),
      });
      state.newestAwardAt = Math.max(state.newestAwardAt, at);
    }
  } else if (entry.kind === 'reverse' && entry.ruleId === UNSCORED_DELETION_RULE_ID) {
    state.deletions.push(entry.eventKey);
  } else if (isReviewReversal(entry) && entry.refersTo) {
    const award = state.awards.find((note) => note.eventKey === entry.refersTo?.eventKey && note.ruleId === entry.refersTo.ruleId);
    if (award) award.reviewed = true;
  } else if (isClawback(entry) && entry.refersTo && status !== 'rejected') {
    unstand(state, spec, entry.refersTo, at);
    // An award taken back is no longer points under review: the clawback takes it off the boards instead.
    for (const note of state.held) {
      if (note.counts && note.refersTo && refKey(note.refersTo) === refKey(entry.refersTo)) {
        note.counts = false;
        moveBoards(state, spec, note, -note.points);
      }
    }
  } else if (entry.kind === 'adjust' && entry.ruleId.startsWith(TIER_RULE_PREFIX) && status === 'posted') {
    state.tierId = entry.ruleId.slice(TIER_RULE_PREFIX.length);
  }
  if (status === 'posted') credit(state, spec, entry);
  if (status === 'held') {
    const note: HeldNote = {
      seq: entry.seq, eventKey: entry.eventKey, ruleId: entry.ruleId, kind: entry.kind, points: entry.points, at, createdAt: entry.createdAt.getTime(),
      ...(entry.refersTo ? { refersTo: entry.refersTo } : {}),
      ...(isReviewReversal(entry) ? { counts: true } : {}),
    };
    state.held.push(note);
    // Boards show only what stands: points under review leave them until a reviewer approves.
    if (note.counts) moveBoards(state, spec, note, note.points);
  }
  state.seq = Math.max(state.seq, entry.seq);
  forgetOldAwards(state);
}

/**
 * A review decision moved the held entry `seq` to `status`. Mutates `state`.
 * An award approved starts counting; one rejected stops standing (unless a
 * held reversal already undid it). A review reversal posted takes its award
 * back; rejected, it lets the award be.
 */
export function settleEntry(state: MemberState, seq: number, status: 'posted' | 'rejected', spec: StateSpec): void {
  const index = state.held.findIndex((note) => note.seq === seq);
  const note = state.held[index];
  if (!note) return;
  state.held.splice(index, 1);
  const ref = { eventKey: note.eventKey, ruleId: note.ruleId };
  if (isAward(note)) {
    const award = state.awards.find((candidate) => candidate.seq === seq);
    if (status === 'posted') {
      if (award) award.status = 'posted';
    } else if (award) {
      unstand(state, spec, ref, note.at);
    }
  } else if (isReviewReversal(note) && note.refersTo && status === 'posted' && note.counts) {
    unstand(state, spec, note.refersTo, note.at);
  }
  // The reversal's points were off the boards while it was held: approved (rejected reversal) they come
  // back; taken back (posted reversal) the credit below takes them off for good.
  if (isReviewReversal(note) && note.counts) moveBoards(state, spec, note, -note.points);
  if (status === 'posted') {
    // Posted now, at the member's current seq (the fold settles it at the same point): its lot joins here.
    credit(state, spec, {
      seq: note.seq, eventKey: note.eventKey, ruleId: note.ruleId, kind: note.kind, points: note.points, status: 'posted',
      occurredAt: new Date(note.at), createdAt: new Date(note.createdAt), settledAtSeq: state.seq, ...(note.refersTo ? { refersTo: note.refersTo } : {}),
    });
  }
}

/** Folds a member's entries (ascending seq, statuses as stored) into their state. */
export function stateOf(entries: readonly MemberFact[], spec: StateSpec): MemberState {
  const state = emptyState(spec);
  const settlements = new Map<number, MemberFact[]>();
  for (const entry of entries) {
    if (entry.settledAtSeq === undefined) continue;
    const due = settlements.get(entry.settledAtSeq) ?? [];
    due.push(entry);
    settlements.set(entry.settledAtSeq, due);
  }
  for (const entry of entries) {
    applyEntry(state, entry, spec);
    for (const settled of settlements.get(entry.seq) ?? []) {
      settleEntry(state, settled.seq, settled.status === 'held' ? 'posted' : settled.status, spec);
    }
  }
  return state;
}

/** Points of posted awards that held review reversals have put under review: in the balance, not spendable. */
export function pointsUnderReview(state: MemberState): number {
  return state.held.reduce((sum, note) => (note.counts ? sum - note.points : sum), 0);
}

/** Points the member's own held entries hold for review. */
export function heldPoints(state: MemberState): number {
  return state.held.reduce((sum, note) => (isReviewReversal(note) ? sum : sum + note.points), 0);
}

/** The campaign-local day number of an instant, the key of the daily tallies. */
export function dayOf(spec: StateSpec, at: number): number {
  return localDayNumber(new Date(at), spec.timezone);
}

function stand(state: MemberState, spec: StateSpec, ruleId: string, at: number): void {
  const tally = (state.rules[ruleId] ??= { n: 0, days: {} });
  tally.n += 1;
  const day = String(dayOf(spec, at));
  tally.days[day] = (tally.days[day] ?? 0) + 1;
  if (spec.cooldownRules.has(ruleId)) {
    const times = (tally.times ??= []);
    times.splice(insertionIndex(times, at), 0, at);
  }
  for (const challenge of spec.challenges) {
    if (challenge.rule === ruleId && at >= challenge.from && at <= challenge.to) state.challenges[challenge.id] = (state.challenges[challenge.id] ?? 0) + 1;
  }
}

function unstand(state: MemberState, spec: StateSpec, ref: LedgerRef, at: number): void {
  const tally = state.rules[ref.ruleId];
  if (tally) {
    tally.n -= 1;
    const day = String(dayOf(spec, at));
    const left = (tally.days[day] ?? 0) - 1;
    if (left > 0) tally.days[day] = left;
    else delete tally.days[day];
    if (tally.times) {
      const index = insertionIndex(tally.times, at);
      if (tally.times[index] === at) tally.times.splice(index, 1);
    }
  }
  for (const challenge of spec.challenges) {
    if (challenge.rule === ref.ruleId && at >= challenge.from && at <= challenge.to) state.challenges[challenge.id] = (state.challenges[challenge.id] ?? 0) - 1;
  }
  const key = refKey(ref);
  state.awards = state.awards.filter((note) => refKey(note) !== key);
}

/** A posted entry moves the balance, the points earned, the boards and the lots. */
function credit(state: MemberState, spec: StateSpec, entry: MemberFact): void {
  state.balance += entry.points;
  if (EARNING_KINDS.has(entry.kind) && entry.points !== 0) {
    state.earned += entry.points;
    const createdAt = entry.createdAt.getTime();
    for (const board of new Set(['all', ...boardIdsFor(entry, spec.boards)])) {
      const [points, reachedAt, reachedSeq] = state.boards[board] ?? [0, 0, 0];
      state.boards[board] = entry.seq >= reachedSeq ? [points + entry.points, createdAt, entry.seq] : [points + entry.points, reachedAt, reachedSeq];
    }
  }
  if (entry.kind === 'expire' && entry.refersTo) {
    const award = state.awards.find((note) => note.eventKey === entry.refersTo?.eventKey && note.ruleId === entry.refersTo.ruleId);
    if (award) award.expired -= entry.points;
  }
  if (spec.expiryDays !== undefined) state.debt = creditLots(state.lots, state.debt, entry, spec.expiryDays, spec.timezone);
}

/** Moves the member's standing on the boards an entry counts on by `points`, leaving when each was reached as it was. */
function moveBoards(state: MemberState, spec: StateSpec, note: Pick<HeldNote, 'ruleId' | 'at'>, points: number): void {
  if (points === 0) return;
  for (const board of new Set(['all', ...boardIdsFor({ ruleId: note.ruleId, occurredAt: new Date(note.at) }, spec.boards)])) {
    const [standing, reachedAt, reachedSeq] = state.boards[board] ?? [0, 0, 0];
    // A board only points under review ever moved is gone again once they come back.
    if (standing + points === 0 && reachedSeq === 0) delete state.boards[board];
    else state.boards[board] = [standing + points, reachedAt, reachedSeq];
  }
}

/**
 * Awards older than a week before the newest are forgotten, except the ones
 * a later decision still needs: held awards (a review settles them) and
 * challenge and streak bonuses (a deletion may take them back any time).
 */
function forgetOldAwards(state: MemberState): void {
  const oldest = state.newestAwardAt - AWARD_MEMORY_MS;
  if (state.awards.every((note) => note.at >= oldest)) return;
  state.awards = state.awards.filter((note) => note.at >= oldest || note.status === 'held' || isCampaignBonus(note.ruleId));
}

/** Where `value` goes in the ascending `sorted` (the index of an equal value when there is one). */
export function insertionIndex(sorted: readonly number[], value: number): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((sorted[middle] ?? 0) < value) low = middle + 1;
    else high = middle;
  }
  return low;
}
