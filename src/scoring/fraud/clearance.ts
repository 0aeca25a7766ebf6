/**
 * What a reviewer's approval clears, as pure terms: which reasons stop
 * counting for the member, and until when. The review shell stores them
 * (src/review/clearances.ts); the evaluation's simulated reviewers keep them
 * in memory. Both go through these two functions, so they cannot drift.
 */
import { CLEARABLE_FRAUD_SIGNALS, type FraudSignalCode } from '../../domain/fraud-codes.js';

const DAY_MS = 86_400_000;

export interface ClearanceTerms {
  /** The reasons that count for nothing until `until`. */
  codes: FraudSignalCode[];
  until: Date;
}

/**
 * The clearance an approval at `at` leaves: the flag's clearable reasons
 * joined to those of a clearance still in force, all until `clearanceDays`
 * after the approval. Undefined when nothing is to be cleared (the existing
 * clearance, if any, stays as it was).
 */
export function clearanceAfter(
  existing: ClearanceTerms | null | undefined,
  approval: { reasons: readonly FraudSignalCode[]; at: Date },
  clearanceDays: number,
): ClearanceTerms | undefined {
  const codes = approval.reasons.filter((code) => CLEARABLE_FRAUD_SIGNALS.has(code));
  if (clearanceDays === 0 || codes.length === 0) return undefined;
  const kept = existing && existing.until > approval.at ? existing.codes : [];
  return { codes: [...new Set([...kept, ...codes])].sort(), until: new Date(approval.at.getTime() + clearanceDays * DAY_MS) };
}

/** The codes cleared at `now`; none once the clearance has run out. */
export function clearedCodes(clearance: ClearanceTerms | null | undefined, now: Date): ReadonlySet<FraudSignalCode> {
  return clearance && clearance.until > now ? new Set(clearance.codes) : new Set();
}
