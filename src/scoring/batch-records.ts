/**
 * What a batch records besides ledger entries, kept until its commit: the
 * decisions of the events it scored, links from later entries to the
 * decisions of the events they are about, review flags, and the member
 * tasks' own records. They are written after the ledger entries, decisions
 * last: a decision says its event is done.
 */
import type { ChainableCommander } from 'ioredis';
import type { RedemptionAnswer } from '../ledger/redemption-store.js';
import type { HeldAward } from '../review/flag-store.js';
import { decisionId, type DecisionLink, type MongoDecisionStore, type ScoringDecision } from './decision-store.js';

export class BatchRecords {
  private readonly decisions = new Map<string, ScoringDecision>();
  private readonly links: DecisionLink[] = [];
  private readonly holds: HeldAward[] = [];
  private readonly answers = new Map<string, RedemptionAnswer>();
  private readonly afterLedgerWork: (() => Promise<void>)[] = [];
  private readonly pipelineWork: ((pipeline: ChainableCommander) => void)[] = [];

  decide(decision: ScoringDecision): void {
    this.decisions.set(decisionId(decision.campaignId, decision.eventKey), decision);
  }

  /** The decision made in this batch for the event, if any. */
  decided(campaignId: string, eventKey: string): ScoringDecision | undefined {
    return this.decisions.get(decisionId(campaignId, eventKey));
  }

  /** Lists a later entry on the decision of the event it is about. */
  link(campaignId: string, eventKey: string, seq: number): void {
    const pending = this.decided(campaignId, eventKey);
    if (pending) this.decide({ ...pending, laterSeqs: [...new Set([...(pending.laterSeqs ?? []), seq])] });
    else this.links.push({ campaignId, eventKey, seq });
  }

  /** Later entries linked in this batch to an event decided before it. */
  linkedTo(campaignId: string, eventKey: string): number[] {
    return this.links.filter((link) => link.campaignId === campaignId && link.eventKey === eventKey).map((link) => link.seq);
  }

  hold(held: HeldAward): void {
    this.holds.push(held);
  }

  /** A redemption answered in this batch, so a repeated request in the same batch gets the same answer. */
  rememberRedemption(answer: RedemptionAnswer): void {
    this.answers.set(answerKey(answer), answer);
  }

  redemptionAnswer(request: { campaignId: string; memberId: string; idempotencyKey: string }): RedemptionAnswer | undefined {
    return this.answers.get(answerKey(request));
  }

  /** Work to do once the ledger entries are written (and before the decisions). */
  afterLedger(work: () => Promise<void>): void {
    this.afterLedgerWork.push(work);
  }

  /** Redis work for the commit's pipeline, with the member states. */
  onPipeline(work: (pipeline: ChainableCommander) => void): void {
    this.pipelineWork.push(work);
  }

  async write(stores: { decisions: Pick<MongoDecisionStore, 'insert' | 'link'>; flags: { hold(held: HeldAward): Promise<boolean> }; onFlagOpened: (campaignId: string) => void }): Promise<void> {
    await stores.decisions.link(this.links);
    for (const held of this.holds) if (await stores.flags.hold(held)) stores.onFlagOpened(held.campaignId);
    for (const work of this.afterLedgerWork) await work();
    await stores.decisions.insert([...this.decisions.values()]);
  }

  queuePipeline(pipeline: ChainableCommander): void {
    for (const work of this.pipelineWork) work(pipeline);
  }
}

function answerKey(request: { campaignId: string; memberId: string; idempotencyKey: string }): string {
  return `${request.campaignId}\u0000${request.memberId}\u0000${request.idempotencyKey}`;
}
