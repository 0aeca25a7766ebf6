/**
 * Reviewers working the queue during a simulated campaign. Every held or
 * rejected event opens a flag that a reviewer decides `delayMs` later, and
 * gets right: an honest member is approved, which clears the account-level
 * reasons on the flag for `fraud.clearance_days` exactly as an approval does
 * in the product (`clearanceAfter`); a fraudulent one is rejected, which
 * changes nothing for later scoring.
 */
import type { Campaign } from '../config/campaign-schema.js';
import { clearanceAfter, clearedCodes, type ClearanceTerms } from '../scoring/fraud/clearance.js';
import type { FraudSignalCode } from '../domain/fraud-codes.js';
import type { FraudVerdict } from '../scoring/fraud/types.js';
import type { Label } from './world.js';

export const DEFAULT_REVIEWER_DELAY_MS = 24 * 3_600_000;

interface PendingApproval {
  memberId: string;
  decidedAt: Date;
  reasons: FraudSignalCode[];
}

export class SimulatedReviewers {
  /** Approvals not yet made, in the order they fall due (flags open in time order and wait alike). */
  private readonly pending: PendingApproval[] = [];
  private readonly clearances = new Map<string, ClearanceTerms>();

  constructor(
    private readonly campaign: Campaign,
    private readonly delayMs: number | false,
  ) {}

  /** Records the flag a verdict opens; only an honest member's flag leads to a clearance. */
  flagged(memberId: string, label: Label, verdict: FraudVerdict, at: number): void {
    if (this.delayMs === false || verdict.decision === 'allow' || label !== 'ordinary') return;
    this.pending.push({ memberId, decidedAt: new Date(at + this.delayMs), reasons: verdict.signals.map((signal) => signal.code) });
  }

  /** The codes cleared for the member at `at`, after every approval due by then. */
  clearedAt(memberId: string, at: number): ReadonlySet<FraudSignalCode> {
    while (this.pending[0] !== undefined && this.pending[0].decidedAt.getTime() <= at) {
      const approval = this.pending.shift();
      if (approval !== undefined) this.approve(approval);
    }
    return clearedCodes(this.clearances.get(memberId), new Date(at));
  }

  private approve({ memberId, decidedAt, reasons }: PendingApproval): void {
    const cleared = clearanceAfter(this.clearances.get(memberId), { reasons, at: decidedAt }, this.campaign.fraud.clearance_days);
    if (cleared !== undefined) this.clearances.set(memberId, cleared);
  }
}
