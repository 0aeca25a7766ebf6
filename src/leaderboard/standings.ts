import type { Campaign } from '../config/campaign-schema.js';
import { earnedDelta, type MemberFact } from '../ledger/entry.js';
import { boardIdsFor } from './windows.js';

export interface Standing {
  points: number;
  /** When the member reached these points: ties go to who got there first. */
  reachedAt: Date;
}

/** The boards an entry counts on; the all-time board always exists (member views rank on it). */
export function boardsOf(entry: Pick<MemberFact, 'ruleId' | 'occurredAt'>, campaign: Campaign): string[] {
  return [...new Set(['all', ...boardIdsFor(entry, campaign)])];
}

/**
 * A member's points on each of `boards`, from their ledger facts: posted
 * earning entries only (held and rejected points never count; redemptions and
 * expiry do not lower a ranking).
 */
export function standingsOf(facts: readonly MemberFact[], campaign: Campaign, boards: ReadonlySet<string>): Map<string, Standing> {
  const standings = new Map<string, Standing>();
  for (const fact of facts) {
    const points = earnedDelta(fact);
    if (points === 0) continue;
    for (const board of boardsOf(fact, campaign)) {
      if (!boards.has(board)) continue;
      const standing = standings.get(board);
      standings.set(board, { points: (standing?.points ?? 0) + points, reachedAt: fact.createdAt });
    }
  }
  return standings;
}
