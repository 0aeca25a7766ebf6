import type { AnyBulkWriteOperation, Collection, Db } from 'mongodb';
import { duplicateIndexes } from '../ledger/ledger-store.js';
import type { FraudVerdict } from './fraud/index.js';
import type { NonAward } from './rules/types.js';

/**
 * How an event was decided for a campaign (`decisions`, `_id` =
 * `campaignId|eventKey`): why it earned nothing under some or all rules (the
 * ledger only holds what was awarded), its fraud verdict, and where its
 * entries are. Its existence means the event is decided: it is written after
 * the event's entries, and an event with a decision is never scored again.
 */
export interface ScoringDecision {
  campaignId: string;
  eventKey: string;
  memberId: string;
  campaignRevision: string;
  nonAwards: readonly NonAward[];
  /** The ledger seqs this event's entries were written at, for look-ups by key. */
  entrySeqs: readonly number[];
  /** Later entries about the event's awards (a reversal, expiry, a review, a replay adjustment). */
  laterSeqs?: readonly number[];
  decidedAt: Date;
  /** The fraud scorer's verdict; absent for removals (a deleted comment), which are never judged. */
  fraud?: FraudVerdict;
  /**
   * Rebuilt from the ledger after a commit was cut short between the entries
   * and the decision: the entries are exact, the reasons for rules that did
   * not award were not kept.
   */
  recovered?: true;
}

type DecisionDocument = ScoringDecision & { _id: string };

/** A later entry about an event's awards, to list on that event's decision. */
export interface DecisionLink {
  campaignId: string;
  eventKey: string;
  seq: number;
}

/** FerretDB 1.x hangs on bulk updates of about a hundred existing documents; sixty are fine. */
const UPDATES_PER_BULK = 50;

export class MongoDecisionStore {
  private readonly decisions: Collection<DecisionDocument>;

  constructor(db: Db) {
    this.decisions = db.collection<DecisionDocument>('decisions');
  }

  /** Records decisions in one insert; a decision already recorded is kept as it was. */
  async insert(decisions: readonly ScoringDecision[]): Promise<void> {
    if (decisions.length === 0) return;
    try {
      await this.decisions.insertMany(decisions.map((decision) => ({ _id: decisionId(decision.campaignId, decision.eventKey), ...decision })), { ordered: false });
    } catch (error) {
      if (duplicateIndexes(error) === null) throw error;
    }
  }

  /** Adds later entries to the decisions of the events they are about (repeating a link adds nothing). */
  async link(links: readonly DecisionLink[]): Promise<void> {
    for (let start = 0; start < links.length; start += UPDATES_PER_BULK) {
      const operations: AnyBulkWriteOperation<DecisionDocument>[] = links.slice(start, start + UPDATES_PER_BULK).map((link) => ({
        updateOne: { filter: { _id: decisionId(link.campaignId, link.eventKey) }, update: { $addToSet: { laterSeqs: link.seq } } },
      }));
      await this.decisions.bulkWrite(operations, { ordered: false });
    }
  }

  async get(campaignId: string, eventKey: string): Promise<ScoringDecision | null> {
    return this.decisions.findOne({ _id: decisionId(campaignId, eventKey) }, { projection: { _id: 0 } });
  }
}

export function decisionId(campaignId: string, eventKey: string): string {
  return `${campaignId}|${eventKey}`;
}
