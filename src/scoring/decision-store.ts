import type { Collection, Db } from 'mongodb';
import type { NonAward } from './rules/types.js';

/** Why an event earned nothing (under some or all rules) — the ledger only holds what was awarded. */
export interface ScoringDecision {
  campaignId: string;
  eventKey: string;
  memberId: string;
  campaignRevision: string;
  nonAwards: readonly NonAward[];
  decidedAt: Date;
}

export interface DecisionStore {
  record(decision: ScoringDecision): Promise<void>;
  get(campaignId: string, eventKey: string): Promise<ScoringDecision | null>;
}

export class MongoDecisionStore implements DecisionStore {
  private readonly decisions: Collection<ScoringDecision>;

  constructor(db: Db) {
    this.decisions = db.collection<ScoringDecision>('decisions');
  }

  async ensureIndexes(): Promise<void> {
    await this.decisions.createIndex({ campaignId: 1, eventKey: 1 }, { unique: true, name: 'one_decision_per_event' });
  }

  async record(decision: ScoringDecision): Promise<void> {
    const { campaignId, eventKey, ...rest } = decision;
    await this.decisions.updateOne({ campaignId, eventKey }, { $set: rest, $setOnInsert: { campaignId, eventKey } }, { upsert: true });
  }

  async get(campaignId: string, eventKey: string): Promise<ScoringDecision | null> {
    return this.decisions.findOne({ campaignId, eventKey }, { projection: { _id: 0 } });
  }
}
