/**
 * Retroactive review. When an event of a member is held or rejected, the
 * member's awards posted before it (a day back for a hold, a week for a
 * rejection) go under review with it: the first actions of a fraud carry no
 * pattern yet when they are scored. The ledger
 * never changes a posted entry, so each award gets a held `reverse` entry
 * pointing at it, written under the flagged event's key; the flag's decision
 * settles these with the event's own held entries. Rejecting posts them (the
 * points are taken back), approving rejects them (nothing changes). Until
 * then the award keeps counting in the balance and under caps, but leaves the
 * boards (member-state.ts): boards show only what stands.
 *
 * Pure: it reads the member state, which remembers the last week of awards
 * (what a rejection looks back over) and which of them were written held
 * (their events had a flag of their own, so a reviewer has seen them).
 */
import type { Campaign } from '../config/campaign-schema.js';
import { challengeRuleId, REVIEW_RULE_PREFIX, streakRuleId } from '../domain/ledger.js';
import { pointsText } from '../domain/wording.js';
import type { EntryDecision } from '../ledger/entry.js';
import type { AwardNote, MemberState } from '../ledger/member-state.js';
import { stateSpecOf } from '../ledger/state-spec.js';
import { FRAUD_WINDOWS, type FraudDecision } from '../scoring/fraud/index.js';
import { challengeCheck, streakCheck, type AwardChange } from '../scoring/rules/bonuses.js';

export const UNDER_REVIEW = 'UNDER_REVIEW';

export interface FlaggedEvent {
  eventKey: string;
  occurredAt: Date;
  decision: Exclude<FraudDecision, 'allow'>;
}

/** How far back the flagged event puts awards under review: a day for a hold, the scorer's week of member history for a rejection. */
export function reviewLookbackOf(decision: FlaggedEvent['decision']): number {
  return FRAUD_WINDOWS.reviewLookbackMs[decision];
}

/**
 * The member's posted awards that occurred within the look-back before the
 * flagged event (or after it), still standing and never under review, whose
 * events had no flag of their own (a reviewer decided those already).
 */
export function awardsInReviewWindow(state: MemberState, flagged: FlaggedEvent): AwardNote[] {
  const from = flagged.occurredAt.getTime() - reviewLookbackOf(flagged.decision);
  return state.awards.filter(
    (award) => award.status === 'posted' && award.eventKey !== flagged.eventKey && award.at >= from && !award.reviewed && !award.wasHeld,
  );
}

/**
 * The held reversals that put the member's recent awards under review with
 * the flagged event: the awards in the window, and the challenge and streak
 * bonuses that would no longer qualify without them (as a deleted comment
 * takes them back).
 */
export function underReviewEntries(input: { campaign: Campaign; state: MemberState; flagged: FlaggedEvent }): EntryDecision[] {
  const { campaign, state, flagged } = input;
  const held = flagged.decision === 'hold';
  return reversalsFor(campaign, state, awardsInReviewWindow(state, flagged), {
    eventKey: flagged.eventKey,
    why: {
      en: `Under review because a later action of this account was ${held ? 'held' : 'rejected'}`,
      ar: `قيد المراجعة لأن تفاعلًا لاحقًا لهذا الحساب ${held ? 'عُلِّق' : 'رُفض'}`,
    },
    explain: { flaggedEventKey: flagged.eventKey, decision: flagged.decision, lookbackMs: reviewLookbackOf(flagged.decision) },
  });
}

/** Why awards go under review, and what the reversals' explanation says about it. */
export interface ReviewCause {
  /** The key the reversals are written under: the flag they join. */
  eventKey: string;
  why: { en: string; ar: string };
  explain: Record<string, unknown>;
}

/**
 * Held reversals for the awards, and for the challenge and streak bonuses
 * that would no longer qualify without them (as a deleted comment takes them
 * back).
 */
export function reversalsFor(campaign: Campaign, state: MemberState, awards: readonly AwardNote[], cause: ReviewCause): EntryDecision[] {
  if (awards.length === 0) return [];
  const spec = stateSpecOf(campaign);
  const chosen = new Set(awards.map((award) => award.seq));
  const without: AwardChange[] = awards.map((award) => ({ ruleId: award.ruleId, at: award.at, delta: -1 }));
  const resting = (ruleId: string, stillQualifies: boolean): AwardNote[] =>
    stillQualifies ? [] : state.awards.filter((bonus) => bonus.ruleId === ruleId && bonus.status === 'posted' && !chosen.has(bonus.seq) && !bonus.reviewed);
  const bonuses = [
    ...campaign.challenges.flatMap((challenge) => resting(challengeRuleId(challenge), challengeCheck(challenge, state, without).passed)),
    ...(campaign.streaks ? resting(streakRuleId(campaign.streaks), streakCheck(campaign.streaks, state, spec, without).passed) : []),
  ];
  return [...awards, ...bonuses]
    .map((award) => ({ award, points: award.points - award.expired }))
    .filter(({ points }) => points > 0)
    .map(({ award, points }) => reviewReversal(award, points, cause));
}

function reviewReversal(award: AwardNote, points: number, cause: ReviewCause): EntryDecision {
  const amount = pointsText(points);
  return {
    eventKey: cause.eventKey,
    ruleId: `${REVIEW_RULE_PREFIX}${award.ruleId}:${award.eventKey}`,
    kind: 'reverse',
    points: -points,
    status: 'held',
    // The award's time, so that taking it back lands on the award's week and month boards.
    occurredAt: new Date(award.at),
    refersTo: { eventKey: award.eventKey, ruleId: award.ruleId },
    reason: {
      code: UNDER_REVIEW,
      text: {
        en: `${cause.why.en}: a reviewer who rejects it takes back ${amount.en} (rule ${award.ruleId})`,
        ar: `${cause.why.ar}: تُسترجع ${amount.ar} إذا رفضه المراجِع (القاعدة ${award.ruleId})`,
      },
    },
    explain: { review: { ...cause.explain, award: { eventKey: award.eventKey, ruleId: award.ruleId, points: award.points } } },
  };
}
