/**
 * Retroactive review, as the product runs it (src/review/retro-review.ts),
 * replayed over a scored population: a held or rejected event puts the
 * member's events allowed in the look-back before it (a day for a hold, a
 * week for a rejection by default) under review, unless they were deleted by
 * then (a deleted comment's award is already taken back) or are under review
 * already. A held or rejected event that is part of a stock-text wave also
 * puts under review the wave members' events allowed on that post since the
 * wave began (src/review/wave-review.ts). Each event is taken to carry an
 * award, as every scored event is counted as one that can earn.
 */
import type { FraudDecision, FraudWave } from '../scoring/fraud/types.js';
import type { Label } from './world.js';

/** Look-back in milliseconds by the flagged event's decision. */
export type ReviewLookback = Readonly<Record<Exclude<FraudDecision, 'allow'>, number>>;

export interface ScoredAction {
  label: Label;
  memberId: string;
  /** occurredAt, epoch ms; the actions are in scoring (time) order. */
  at: number;
  /** When the comment was deleted, if it was. */
  deletedAt?: number;
  mediaId?: string | undefined;
  /** The stock-text wave the scorer saw the action in. */
  wave?: FraudWave | undefined;
}

/**
 * For each action allowed when scored, the index of the later held or
 * rejected action of its member that put it under review; undefined when
 * none did (and for the flagged actions themselves).
 */
export function reviewTriggers(actions: readonly ScoredAction[], decisions: readonly FraudDecision[], lookback: ReviewLookback): (number | undefined)[] {
  const triggers: (number | undefined)[] = actions.map(() => undefined);
  // Per member, the allowed actions not yet under review.
  const waiting = new Map<string, number[]>();
  actions.forEach((action, index) => {
    const pending = waiting.get(action.memberId) ?? [];
    waiting.set(action.memberId, pending);
    const decision = decisions[index];
    if (decision === undefined || decision === 'allow') {
      pending.push(index);
      return;
    }
    const from = action.at - lookback[decision];
    // Older ones stay waiting: a later rejection looks back further than a hold.
    const older = pending.filter((earlier) => (actions[earlier]?.at ?? 0) < from);
    for (const earlier of pending) {
      const candidate = actions[earlier];
      if (candidate === undefined || candidate.at < from) continue;
      if (candidate.deletedAt !== undefined && candidate.deletedAt <= action.at) continue;
      triggers[earlier] = index;
    }
    waiting.set(action.memberId, older);
    // The wave's first members were allowed before it showed: their awards on the post since it began go with it.
    const wave = action.wave;
    for (const member of wave?.members ?? []) {
      const theirs = waiting.get(member) ?? [];
      const left = theirs.filter((earlier) => {
        const candidate = actions[earlier];
        if (candidate === undefined || wave === undefined || candidate.mediaId !== wave.mediaId || candidate.at < wave.from || candidate.at > wave.to) return true;
        if (candidate.deletedAt === undefined || candidate.deletedAt > action.at) triggers[earlier] = index;
        return false;
      });
      waiting.set(member, left);
    }
  });
  return triggers;
}

export interface ReviewWorkload {
  /** Review flags opened: held events, and rejected events that put earlier awards under review. */
  flags: number;
  /** Held events: the flags there would be without retroactive review. */
  heldEvents: number;
  /** Events whose points wait for a reviewer: held when scored, or put under review. */
  eventsToDecide: number;
  /** Of those, the honest followers' events: reviewers' time spent on false positives. */
  honestEventsToDecide: number;
}

/** What reviewers get to decide; a rejected event earns nothing, so it opens a flag only when it put something under review. */
export function reviewWorkload(actions: readonly ScoredAction[], decisions: readonly FraudDecision[], triggers: readonly (number | undefined)[]): ReviewWorkload {
  const triggering = new Set(triggers.filter((trigger): trigger is number => trigger !== undefined));
  let flags = 0;
  let heldEvents = 0;
  let eventsToDecide = 0;
  let honestEventsToDecide = 0;
  actions.forEach((action, index) => {
    const decision = decisions[index];
    if (decision === 'hold') heldEvents += 1;
    if (decision === 'hold' || (decision === 'reject' && triggering.has(index))) flags += 1;
    if (decision === 'hold' || triggers[index] !== undefined) {
      eventsToDecide += 1;
      if (action.label === 'ordinary') honestEventsToDecide += 1;
    }
  });
  return { flags, heldEvents, eventsToDecide, honestEventsToDecide };
}
