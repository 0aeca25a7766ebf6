/**
 * Clearances (`clearances`, `_id` = `campaignId|memberId`): what a reviewer's
 * approval settles for a while. Approving a flag clears the member of the
 * account-level reasons on it (`CLEARABLE_FRAUD_SIGNALS`: a young or empty
 * profile, a handle, stock comments, the friends it acts with, the accounts it
 * arrived with) for the campaign's `fraud.clearance_days`, so the next comment
 * is not held again for what a person has already looked at. Bursts, copies
 * and delete cycles are judged anew every time, and a rejection of any of the
 * member's flags withdraws the clearance.
 *
 * MongoDB keeps the record; a Redis hash per campaign mirrors the terms for
 * the fraud scorer (one round trip per batch), rebuilt from MongoDB whenever
 * its marker is missing. Every change writes MongoDB first.
 */
import type { Redis } from 'ioredis';
import type { Collection, Db } from 'mongodb';
import type { FraudSignalCode } from '../domain/fraud-codes.js';
import { clearanceAfter, clearedCodes, type ClearanceTerms } from '../scoring/fraud/index.js';

/** Never a member id (those are `platform:id`). */
const BUILT = '#built';

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

export class MongoClearances {
  private readonly clearances: Collection<ClearanceDocument>;

  constructor(db: Db, private readonly redis: Redis, private readonly prefix: string) {
    this.clearances = db.collection<ClearanceDocument>('clearances');
  }

  async get(campaignId: string, memberId: string): Promise<Clearance | null> {
    const found = await this.clearances.findOne({ _id: clearanceId(campaignId, memberId) });
    if (!found) return null;
    const { _id, ...clearance } = found;
    return clearance;
  }

  /** The codes cleared at `now` for each of `memberIds` that has any. */
  async clearedAmong(campaignId: string, memberIds: readonly string[], now: Date): Promise<Map<string, ReadonlySet<FraudSignalCode>>> {
    const cleared = new Map<string, ReadonlySet<FraudSignalCode>>();
    if (memberIds.length === 0) return cleared;
    let found = await this.redis.hmget(this.key(campaignId), BUILT, ...memberIds);
    if (found[0] === null) {
      await this.mirror(campaignId);
      found = await this.redis.hmget(this.key(campaignId), BUILT, ...memberIds);
    }
    memberIds.forEach((memberId, index) => {
      const terms = found[index + 1];
      if (typeof terms !== 'string') return;
      const parsed = JSON.parse(terms) as { codes: FraudSignalCode[]; until: number };
      const codes = clearedCodes({ codes: parsed.codes, until: new Date(parsed.until) }, now);
      if (codes.size > 0) cleared.set(memberId, codes);
    });
    return cleared;
  }

  async put(clearance: Clearance): Promise<void> {
    await this.clearances.replaceOne({ _id: clearanceId(clearance.campaignId, clearance.memberId) }, clearance, { upsert: true });
    await this.redis.hset(this.key(clearance.campaignId), clearance.memberId, termsOf(clearance));
  }

  /** True when the member had a clearance in the campaign. */
  async withdraw(campaignId: string, memberId: string): Promise<boolean> {
    const withdrawn = (await this.clearances.deleteOne({ _id: clearanceId(campaignId, memberId) })).deletedCount > 0;
    await this.redis.hdel(this.key(campaignId), memberId);
    return withdrawn;
  }

  private key(campaignId: string): string {
    return `${this.prefix}:fraud:clearances:${campaignId}`;
  }

  private async mirror(campaignId: string): Promise<void> {
    const all = await this.clearances.find({ campaignId }).toArray();
    const fields = all.flatMap((clearance) => [clearance.memberId, termsOf(clearance)]);
    await this.redis.multi().del(this.key(campaignId)).hset(this.key(campaignId), BUILT, '1', ...fields).exec();
  }
}

function termsOf(clearance: ClearanceTerms): string {
  return JSON.stringify({ codes: clearance.codes, until: clearance.until.getTime() });
}
