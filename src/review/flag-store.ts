/**
 * Review flags (`flags`, `_id` = `campaignId|eventKey`) and the queue of open
 * ones (a Redis sorted set per campaign, scored by when the flag opened).
 *
 * Listing with filters scans `flags` on FerretDB. That is accepted: flags are
 * a small share of events, and reviewers list them now and then; the hot
 * paths (opening a flag while scoring, deciding one) are `_id` look-ups, and
 * the queue metrics read only the Redis index.
 */
import type { Redis } from 'ioredis';
import type { Collection, Db, Filter } from 'mongodb';
import type { FraudSignalCode } from '../domain/fraud-codes.js';
import { isReviewReversal } from '../domain/ledger.js';
import type { LedgerEntry } from '../ledger/entry.js';
import type { FraudVerdict } from '../scoring/fraud/index.js';
import { flagIdOf, type Flag, type FlagDecision, type FlagStatus, type FlagWave, flagStatusAfter } from './flags.js';

/** An event the fraud scorer held or rejected that left entries to review. */
export interface HeldAward {
  campaignId: string;
  eventKey: string;
  memberId: string;
  verdict: FraudVerdict;
  /** The event's held entries: its own held awards and the reversals putting earlier awards under review. */
  entries: readonly Pick<LedgerEntry, 'seq' | 'ruleId' | 'kind' | 'points' | 'refersTo'>[];
  occurredAt: Date;
  heldAt: Date;
  /** The stock-text wave the event belongs to. */
  wave?: FlagWave | undefined;
}

type FlagDocument = Omit<Flag, 'id'> & { _id: string };

export interface FlagQuery {
  /** Flags of these campaigns; absent: of every campaign. */
  campaignIds?: readonly string[];
  status?: FlagStatus;
  reason?: FraudSignalCode;
  memberId?: string;
  /** The flags of one stock-text wave. */
  waveId?: string;
  /** Flags after this one in the listing order (oldest first). */
  after?: { createdAt: Date; id: string };
  limit: number;
}

export interface ReviewQueueState {
  campaignId: string;
  open: number;
  /** When the oldest open flag was opened; null when none is open. */
  oldest: Date | null;
}

export class FlagStore {
  private readonly flags: Collection<FlagDocument>;

  constructor(
    db: Db,
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {
    this.flags = db.collection<FlagDocument>('flags');
  }

  private openKey(campaignId: string): string {
    return `${this.prefix}:review:open:${campaignId}`;
  }

  /** Opens a review flag for the held award, once; true when this call opened it. */
  async hold(held: HeldAward): Promise<boolean> {
    const id = flagIdOf(held.campaignId, held.eventKey);
    const flag: Omit<Flag, 'id'> = {
      campaignId: held.campaignId,
      eventKey: held.eventKey,
      memberId: held.memberId,
      status: 'open',
      score: held.verdict.score,
      signals: held.verdict.signals,
      reasons: held.verdict.signals.map((signal) => signal.code),
      entries: held.entries.map(({ seq, ruleId, kind, points, refersTo }) => ({ seq, ruleId, kind, points, ...(refersTo ? { refersTo } : {}) })),
      points: held.entries.reduce((sum, entry) => (isReviewReversal(entry) ? sum : sum + entry.points), 0),
      pointsUnderReview: held.entries.reduce((sum, entry) => (isReviewReversal(entry) ? sum - entry.points : sum), 0),
      occurredAt: held.occurredAt,
      createdAt: held.heldAt,
      ...(held.wave === undefined ? {} : { wave: held.wave }),
    };
    // A retried scoring finds the flag already there, possibly decided: it is left as it is.
    const result = await this.flags.updateOne({ _id: id }, { $setOnInsert: flag }, { upsert: true });
    const opened = result.upsertedCount === 1;
    const current = opened ? { ...flag, id } : await this.get(id);
    if (current?.status === 'open') await this.redis.zadd(this.openKey(held.campaignId), current.createdAt.getTime(), id);
    return opened;
  }

  async get(id: string): Promise<Flag | null> {
    const found = await this.flags.findOne({ _id: id });
    return found && flagOf(found);
  }

  /** Oldest first, then by id; a scan with the filters given. */
  async list(query: FlagQuery): Promise<Flag[]> {
    const filter: Filter<FlagDocument> = {
      ...(query.campaignIds === undefined ? {} : { campaignId: { $in: [...query.campaignIds] } }),
      ...(query.status === undefined ? {} : { status: query.status }),
      ...(query.reason === undefined ? {} : { reasons: query.reason }),
      ...(query.memberId === undefined ? {} : { memberId: query.memberId }),
      ...(query.waveId === undefined ? {} : { 'wave.id': query.waveId }),
    };
    const after = query.after;
    const paged: Filter<FlagDocument> = after
      ? { ...filter, $or: [{ createdAt: { $gt: after.createdAt } }, { createdAt: after.createdAt, _id: { $gt: after.id } }] }
      : filter;
    const found = await this.flags.find(paged).sort({ createdAt: 1, _id: 1 }).limit(query.limit).toArray();
    return found.map(flagOf);
  }

  /** Records the decision on an open flag; null when the flag is not open (decided already, or unknown). */
  async decide(id: string, decision: FlagDecision): Promise<Flag | null> {
    const flag = await this.get(id);
    if (flag?.status !== 'open') return null;
    const updated = await this.flags.updateOne({ _id: id, status: 'open' }, { $set: { status: flagStatusAfter(decision.decision), decision } });
    if (updated.modifiedCount === 0) return null;
    await this.redis.zrem(this.openKey(flag.campaignId), id);
    return this.get(id);
  }

  /** How many flags are open per campaign and since when, from the Redis index. */
  async queueStates(campaignIds: readonly string[]): Promise<ReviewQueueState[]> {
    const pipeline = this.redis.pipeline();
    for (const campaignId of campaignIds) {
      pipeline.zcard(this.openKey(campaignId));
      pipeline.zrange(this.openKey(campaignId), 0, 0, 'WITHSCORES');
    }
    const results = (await pipeline.exec()) ?? [];
    return campaignIds.map((campaignId, index) => {
      const [countError, count] = results[index * 2] ?? [null, 0];
      const [oldestError, oldest] = results[index * 2 + 1] ?? [null, []];
      if (countError || oldestError) throw countError ?? oldestError;
      const score = Array.isArray(oldest) ? oldest[1] : undefined;
      return { campaignId, open: Number(count), oldest: score === undefined ? null : new Date(Number(score)) };
    });
  }
}

function flagOf({ _id, ...flag }: FlagDocument): Flag {
  // FerretDB drops empty arrays written by $setOnInsert: a hold at score 0 (hold_at: 0) has no signals.
  // A flag stored by an earlier version has no points under review.
  return { id: _id, ...flag, signals: flag.signals ?? [], reasons: flag.reasons ?? [], pointsUnderReview: flag.pointsUnderReview ?? 0 };
}
