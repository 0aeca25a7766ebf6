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

/** Entries undone by a reverse entry that was not itself rejected. */
function reversedKeys(facts: readonly LedgerFact[]): Set<string> {
  const keys = new Set<string>();
  for (const fact of facts) {
    if (fact.kind === 'reverse' && fact.status !== 'rejected' && fact.refersTo) keys.add(refKey(fact.refersTo));
  }
  return keys;
}

/**
 * Awards that still stand: posted or held (a held award may be approved later,
 * so it keeps its slot under every cap), neither rejected nor reversed.
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
