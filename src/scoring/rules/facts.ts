/**
 * Reading a member's ledger facts: which awards still count, the balance and
 * the points earned. Every rule decision goes through these few definitions so
 * caps, bonuses, tiers and the ledger projections agree.
 */
import type { LedgerFact, LedgerKind, LedgerRef, ScoredEntry } from './types.js';

export function refKey(ref: LedgerRef): string {
  return `${ref.eventKey}\u0000${ref.ruleId}`;
}

function isAward(fact: LedgerFact): boolean {
  return fact.kind === 'earn' || fact.kind === 'bonus';
}

/**
 * Entries a reverse entry undoes. A posted reversal undoes its award. A held
 * reversal of a held award (its comment deleted while it waits for review)
 * undoes it too: the two are settled together, and either way the award ends
 * with no points. A held reversal of a posted award, points put under review,
 * undoes nothing until a reviewer posts it.
 */
function reversedKeys(facts: readonly LedgerFact[]): Set<string> {
  const heldAwards = new Set(facts.filter((fact) => isAward(fact) && fact.status === 'held').map(refKey));
  const keys = new Set<string>();
  for (const fact of facts) {
    if (fact.kind !== 'reverse' || !fact.refersTo) continue;
    const key = refKey(fact.refersTo);
    if (fact.status === 'posted' || (fact.status === 'held' && heldAwards.has(key))) keys.add(key);
  }
  return keys;
}

/**
 * Awards that still stand: posted or held, neither rejected nor reversed. An
 * award that may still count keeps its slot under every cap and its part in
 * bonuses: a held award (it may be approved) and a posted award under review
 * (the review may clear it), so no decision can ever push a cap past its limit.
 */
export function standingAwards(facts: readonly LedgerFact[], ruleId?: string): LedgerFact[] {
  const reversed = reversedKeys(facts);
  return facts.filter(
    (fact) =>
      isAward(fact) &&
      fact.status !== 'rejected' &&
      (ruleId === undefined || fact.ruleId === ruleId) &&
      !reversed.has(refKey(fact)),
  );
}

/** The spendable balance: every posted entry, nothing else (held points never count). */
export function balanceOf(facts: readonly LedgerFact[]): number {
  return facts.reduce((sum, fact) => (fact.status === 'posted' ? sum + fact.points : sum), 0);
}

/**
 * Points of posted awards that a held reversal has put under review: still in
 * the balance (held entries never count), but a reviewer may take them back,
 * so they are not safe to spend.
 */
/** Rule ids of the held reversals that put a flagged member's earlier awards under review: `review:<rule>:<award eventKey>`. */
export const REVIEW_RULE_PREFIX = 'review:';

export function pointsUnderReview(facts: readonly LedgerFact[]): number {
  const posted = new Set(standingAwards(facts).filter((award) => award.status === 'posted').map(refKey));
  return facts.reduce(
    (sum, fact) => (fact.kind === 'reverse' && fact.status === 'held' && fact.refersTo && posted.has(refKey(fact.refersTo)) ? sum - fact.points : sum),
    0,
  );
}

/**
 * What is left of an award once its posted expiry entries are taken off: a
 * reversal takes back only that, so the expired part stays earned (it was
 * earned, and it already left the balance).
 */
export function pointsLeftOf(award: LedgerFact, facts: readonly LedgerFact[]): number {
  const key = refKey(award);
  const expired = facts
    .filter((fact) => fact.kind === 'expire' && fact.status === 'posted' && fact.refersTo && refKey(fact.refersTo) === key)
    .reduce((sum, fact) => sum - fact.points, 0);
  return Math.max(0, award.points - expired);
}

/** Kinds whose points count as earned; redemptions and expiry only lower the balance. */
const EARNING_KINDS: ReadonlySet<LedgerKind> = new Set(['earn', 'bonus', 'reverse', 'adjust']);

/**
 * Points earned in the campaign, the measure of tiers and leaderboards: posted
 * earn, bonus, reverse and adjust entries. Redemptions and expiry do not lower
 * it. Entry by entry, so a projection can keep it up to date incrementally
 * (src/ledger keeps the same definition in `earnedDelta`).
 */
export function earnedOf(facts: readonly LedgerFact[]): number {
  return facts.reduce((sum, fact) => (fact.status === 'posted' && EARNING_KINDS.has(fact.kind) ? sum + fact.points : sum), 0);
}

/** The entries of one scoring pass, seen as facts so later steps of the pass count them. */
export function asFacts(entries: readonly ScoredEntry[], createdAt: Date): LedgerFact[] {
  return entries.map((entry) => ({
    eventKey: entry.eventKey,
    ruleId: entry.ruleId,
    kind: entry.kind,
    points: entry.points,
    status: entry.status,
    occurredAt: entry.occurredAt,
    createdAt,
    ...(entry.refersTo ? { refersTo: entry.refersTo } : {}),
  }));
}
