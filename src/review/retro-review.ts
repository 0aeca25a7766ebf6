/**
 * Retroactive review. When an event of a member is held or rejected, the
 * member's awards posted before it (a day back for a hold, a week for a
 * rejection) go under review with it: the first actions of a fraud carry no
 * pattern yet when they are scored. The ledger
 * never changes a posted entry, so each award gets a held `reverse` entry
 * pointing at it, written under the flagged event's key; the flag's decision
 * settles these with the event's own held entries. Rejecting posts them (the
 * points are taken back), approving rejects them (nothing changes). Until
 * then the award keeps counting in the balance, on the boards and under caps.
 *
 * Pure: the shell loads the facts and says which events already had a flag
 * of their own (a reviewer has seen them).
 */
import type { Campaign } from '../config/campaign-schema.js';
import type { EntryDecision } from '../scoring/event-scorer.js';
import { FRAUD_WINDOWS, type FraudDecision } from '../scoring/fraud/index.js';
import { challengeCheck, challengeRuleId, streakCheck, streakRuleId } from '../scoring/rules/bonuses.js';
import { pointsLeftOf, refKey, REVIEW_RULE_PREFIX, standingAwards } from '../scoring/rules/facts.js';
import type { LedgerFact } from '../scoring/rules/types.js';
import { pointsText } from '../scoring/rules/wording.js';

/** Rule ids of review reversals: `review:<award rule>:<award eventKey>`; an award is put under review once, ever. */
export { REVIEW_RULE_PREFIX };
export const UNDER_REVIEW = 'UNDER_REVIEW';

export interface FlaggedEvent {
  eventKey: string;
  occurredAt: Date;
  decision: Exclude<FraudDecision, 'allow'>;
}

export function isReviewReversal(fact: Pick<LedgerFact, 'kind' | 'ruleId'>): boolean {
  return fact.kind === 'reverse' && fact.ruleId.startsWith(REVIEW_RULE_PREFIX);
}

/** Awards that have been under review once, whatever came of it: they are not put under review again. */
function reviewedAwards(facts: readonly LedgerFact[]): Set<string> {
  return new Set(facts.flatMap((fact) => (isReviewReversal(fact) && fact.refersTo ? [refKey(fact.refersTo)] : [])));
}

/** How far back the flagged event puts awards under review: a day for a hold, the scorer's week of member history for a rejection. */
export function reviewLookbackOf(decision: FlaggedEvent['decision']): number {
  return FRAUD_WINDOWS.reviewLookbackMs[decision];
}

/**
 * The member's posted awards that occurred within the look-back before the
 * flagged event (or after it), still standing and never under review. The
 * shell looks up which of their events had a flag of their own.
 */
export function awardsInReviewWindow(facts: readonly LedgerFact[], flagged: FlaggedEvent): LedgerFact[] {
  const reviewed = reviewedAwards(facts);
  const from = flagged.occurredAt.getTime() - reviewLookbackOf(flagged.decision);
  return standingAwards(facts).filter(
    (award) => award.status === 'posted' && award.eventKey !== flagged.eventKey && award.occurredAt.getTime() >= from && !reviewed.has(refKey(award)),
  );
}

/**
 * The held reversals that put the member's recent awards under review with
 * the flagged event: the awards in the window whose events a reviewer has not
 * seen, and the challenge and streak bonuses that would no longer qualify
 * without them (as a deleted comment takes them back).
 */
export function underReviewEntries(input: {
  campaign: Campaign;
  facts: readonly LedgerFact[];
  flagged: FlaggedEvent;
  /** Events that had a flag of their own: a reviewer decided on them already. */
  reviewedEvents: ReadonlySet<string>;
}): EntryDecision[] {
  const { campaign, facts, flagged, reviewedEvents } = input;
  const awards = awardsInReviewWindow(facts, flagged).filter((award) => !reviewedEvents.has(award.eventKey));
  if (awards.length === 0) return [];
  const chosen = new Set(awards.map(refKey));
  const reviewed = reviewedAwards(facts);
  const without = facts.filter((fact) => !chosen.has(refKey(fact)));
  const resting = (ruleId: string, stillQualifies: boolean): LedgerFact[] =>
    stillQualifies
      ? []
      : standingAwards(facts, ruleId).filter((bonus) => bonus.status === 'posted' && !chosen.has(refKey(bonus)) && !reviewed.has(refKey(bonus)));
  const bonuses = [
    ...campaign.challenges.flatMap((challenge) => resting(challengeRuleId(challenge), challengeCheck(challenge, without).passed)),
    ...(campaign.streaks ? resting(streakRuleId(campaign.streaks), streakCheck(campaign.streaks, without, campaign.timezone).passed) : []),
  ];
  return [...awards, ...bonuses]
    .map((award) => ({ award, points: pointsLeftOf(award, facts) }))
    .filter(({ points }) => points > 0)
    .map(({ award, points }) => reviewReversal(award, points, flagged));
}

function reviewReversal(award: LedgerFact, points: number, flagged: FlaggedEvent): EntryDecision {
  const amount = pointsText(points);
  const held = flagged.decision === 'hold';
  return {
    eventKey: flagged.eventKey,
    ruleId: `${REVIEW_RULE_PREFIX}${award.ruleId}:${award.eventKey}`,
    kind: 'reverse',
    points: -points,
    status: 'held',
    // The award's time, so that taking it back lands on the award's week and month boards.
    occurredAt: award.occurredAt,
    refersTo: { eventKey: award.eventKey, ruleId: award.ruleId },
    reason: {
      code: UNDER_REVIEW,
      text: {
        en: `Under review because a later action of this account was ${held ? 'held' : 'rejected'}: a reviewer who rejects it takes back ${amount.en} (rule ${award.ruleId})`,
        ar: `قيد المراجعة لأن تفاعلًا لاحقًا لهذا الحساب ${held ? 'عُلِّق' : 'رُفض'}: تُسترجع ${amount.ar} إذا رفضه المراجِع (القاعدة ${award.ruleId})`,
      },
    },
    explain: { review: { flaggedEventKey: flagged.eventKey, decision: flagged.decision, lookbackMs: reviewLookbackOf(flagged.decision), award: { eventKey: award.eventKey, ruleId: award.ruleId, points: award.points } } },
  };
}
