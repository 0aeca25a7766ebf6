import type { Collection, Db } from 'mongodb';
import type { FraudVerdict } from './fraud/index.js';
import type { NonAward } from './rules/types.js';

/** Why an event earned nothing (under some or all rules) — the ledger only holds what was awarded. */
export interface ScoringDecision {
  campaignId: string;
  eventKey: string;
  memberId: string;
  campaignRevision: string;
  nonAwards: readonly NonAward[];
  /** The ledger seqs this event's entries were written at, for look-ups by key. */
  entrySeqs: readonly number[];
  decidedAt: Date;
  /** The fraud scorer's verdict; absent for removals (a deleted comment), which are never judged. */
  fraud?: FraudVerdict;
}

type DecisionDocument = ScoringDecision & { _id: string };

export interface DecisionStore {
  record(decision: ScoringDecision): Promise<void>;
  get(campaignId: string, eventKey: string): Promise<ScoringDecision | null>;
}

export class MongoDecisionStore implements DecisionStore {
  private readonly decisions: Collection<DecisionDocument>;

  constructor(db: Db) {
    this.decisions = db.collection<DecisionDocument>('decisions');
  }

  async record(decision: ScoringDecision): Promise<void> {
    await this.decisions.replaceOne({ _id: decisionId(decision.campaignId, decision.eventKey) }, decision, { upsert: true });
  }

  async get(campaignId: string, eventKey: string): Promise<ScoringDecision | null> {
    return this.decisions.findOne({ _id: decisionId(campaignId, eventKey) }, { projection: { _id: 0 } });
  }
}

export function decisionId(campaignId: string, eventKey: string): string {
  return `${campaignId}|${eventKey}`;
}
