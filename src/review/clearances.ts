/**
 * Clearances (`clearances`, `_id` = `campaignId|memberId`): what a reviewer's
 * approval settles for a while. Approving a flag clears the member of the
 * account-level reasons on it (`CLEARABLE_FRAUD_SIGNALS`: a young or empty
 * profile, a handle, stock comments, the friends it acts with, the accounts it
 * arrived with) for the campaign's `fraud.clearance_days`, so the next comment
 * is not held again for what a person has already looked at. Bursts, copies
 * and delete cycles are judged anew every time, and a rejection of any of the
 * member's flags withdraws the clearance. The scorer reads one document by
 * `_id` per event.
 */
import type { Collection, Db } from 'mongodb';
import type { ClearanceReader } from '../scoring/event-scorer.js';
import { clearanceAfter, clearedCodes, type ClearanceTerms, type FraudSignalCode } from '../scoring/fraud/index.js';

export interface Clearance extends ClearanceTerms {
  campaignId: string;
  memberId: string;
  /** The approval that granted or last extended it. */
  flagId: string;
  by: string;
  at: Date;
}

type ClearanceDocument = Omit<Clearance, 'campaignId' | 'memberId'> & { _id: string; campaignId: string; memberId: string };

export function clearanceId(campaignId: string, memberId: string): string {
  return `${campaignId}|${memberId}`;
}

/** The clearance an approval leaves (`clearanceAfter`), with who granted it; undefined when nothing is to be cleared. */
export function clearanceAfterApproval(
  existing: Clearance | null,
  approval: { campaignId: string; memberId: string; flagId: string; reasons: readonly FraudSignalCode[]; by: string; at: Date },
  clearanceDays: number,
): Clearance | undefined {
  const { reasons, ...granted } = approval;
  const terms = clearanceAfter(existing, { reasons, at: approval.at }, clearanceDays);
  return terms && { ...granted, ...terms };
}

export class MongoClearances implements ClearanceReader {
  private readonly clearances: Collection<ClearanceDocument>;

  constructor(db: Db) {
    this.clearances = db.collection<ClearanceDocument>('clearances');
  }

  async get(campaignId: string, memberId: string): Promise<Clearance | null> {
    const found = await this.clearances.findOne({ _id: clearanceId(campaignId, memberId) });
    if (!found) return null;
    const { _id, ...clearance } = found;
    return clearance;
  }

  async clearedFor(campaignId: string, memberId: string, now: Date): Promise<ReadonlySet<FraudSignalCode>> {
    return clearedCodes(await this.get(campaignId, memberId), now);
  }

  async put(clearance: Clearance): Promise<void> {
    await this.clearances.replaceOne({ _id: clearanceId(clearance.campaignId, clearance.memberId) }, clearance, { upsert: true });
  }

  /** True when the member had a clearance in the campaign. */
  async withdraw(campaignId: string, memberId: string): Promise<boolean> {
    return (await this.clearances.deleteOne({ _id: clearanceId(campaignId, memberId) })).deletedCount > 0;
  }
}
