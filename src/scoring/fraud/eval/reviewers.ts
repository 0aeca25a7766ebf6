/**
 * Reviewers working the queue during a simulated campaign. Every held or
 * rejected event opens a flag that a reviewer decides `delayMs` later, and
 * gets right: an honest member is approved, which clears the account-level
 * reasons on the flag (`CLEARABLE_FRAUD_SIGNALS`) for `fraud.clearance_days`,
 * as an approval does in the product (src/review/clearances.ts); a fraudulent
 * one is rejected, which changes nothing for later scoring.
 */
import type { Campaign } from '../../../config/campaign-schema.js';
import { CLEARABLE_FRAUD_SIGNALS, type FraudSignalCode } from '../codes.js';
import type { FraudVerdict } from '../types.js';
import type { Label } from './world.js';

export const DEFAULT_REVIEWER_DELAY_MS = 24 * 3_600_000;
const DAY_MS = 86_400_000;

interface PendingApproval {
  memberId: string;
  decidedAt: number;
  codes: FraudSignalCode[];
}

interface Clearance {
  codes: Set<FraudSignalCode>;
  until: number;
}

export class SimulatedReviewers {
  /** Approvals not yet made, in the order they fall due (flags open in time order and wait alike). */
  private readonly pending: PendingApproval[] = [];
  private readonly clearances = new Map<string, Clearance>();

  constructor(
    private readonly campaign: Campaign,
    private readonly delayMs: number | false,
  ) {}

  /** Records the flag a verdict opens; only an honest member's flag leads to a clearance. */
  flagged(memberId: string, label: Label, verdict: FraudVerdict, at: number): void {
    if (this.delayMs === false || verdict.decision === 'allow' || label !== 'ordinary') return;
    const codes = verdict.signals.map((signal) => signal.code).filter((code) => CLEARABLE_FRAUD_SIGNALS.has(code));
    this.pending.push({ memberId, decidedAt: at + this.delayMs, codes });
  }

  /** The codes cleared for the member at `at`, after every approval due by then. */
  clearedAt(memberId: string, at: number): ReadonlySet<FraudSignalCode> {
    while (this.pending[0] !== undefined && this.pending[0].decidedAt <= at) {
      const approval = this.pending.shift();
      if (approval !== undefined) this.approve(approval);
    }
    const clearance = this.clearances.get(memberId);
    return clearance !== undefined && clearance.until > at ? clearance.codes : new Set();
  }

  private approve({ memberId, decidedAt, codes }: PendingApproval): void {
    const days = this.campaign.fraud.clearance_days;
    if (days === 0) return;
    const until = decidedAt + days * DAY_MS;
    const existing = this.clearances.get(memberId);
    const kept = existing !== undefined && existing.until > decidedAt ? existing.codes : [];
    this.clearances.set(memberId, { codes: new Set([...kept, ...codes]), until });
  }
}
