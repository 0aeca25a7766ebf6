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
import { CLEARABLE_FRAUD_SIGNALS, type FraudSignalCode } from '../scoring/fraud/index.js';

const DAY_MS = 86_400_000;

export interface Clearance {
  campaignId: string;
  memberId: string;
  /** The reasons that no longer count for the member until `until`. */
  codes: FraudSignalCode[];
  until: Date;
  /** The approval that granted or last extended it. */
  flagId: string;
  by: string;
  at: Date;
}

type ClearanceDocument = Omit<Clearance, 'campaignId' | 'memberId'> & { _id: string; campaignId: string; memberId: string };

export function clearanceId(campaignId: string, memberId: string): string {
  return `${campaignId}|${memberId}`;
}

/**
 * The clearance an approval leaves: the flag's clearable reasons joined to
 * those of a clearance still in force, all until `clearanceDays` after the
 * approval. Undefined when nothing is to be cleared.
 */
export function clearanceAfterApproval(
  existing: Clearance | null,
  approval: { campaignId: string; memberId: string; flagId: string; reasons: readonly FraudSignalCode[]; by: string; at: Date },
  clearanceDays: number,
): Clearance | undefined {
  const codes = approval.reasons.filter((code) => CLEARABLE_FRAUD_SIGNALS.has(code));
  if (clearanceDays === 0 || codes.length === 0) return undefined;
  const kept = existing !== null && existing.until > approval.at ? existing.codes : [];
  return {
    campaignId: approval.campaignId,
    memberId: approval.memberId,
    codes: [...new Set([...kept, ...codes])].sort(),
    until: new Date(approval.at.getTime() + clearanceDays * DAY_MS),
    flagId: approval.flagId,
    by: approval.by,
    at: approval.at,
  };
}

/** The codes cleared at `now`; none once the clearance has run out. */
export function clearedCodes(clearance: Clearance | null, now: Date): ReadonlySet<FraudSignalCode> {
  return clearance !== null && clearance.until > now ? new Set(clearance.codes) : new Set();
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
