/**
 * One event's turn in a batch, for one campaign it concerns: the fraud
 * verdict, the rules' decision on the member's state as the batch has left
 * it, the member's recent awards put under review when the event is held or
 * rejected, and what gets recorded (ledger entries through the writer, the
 * decision, links to earlier events' decisions, a review flag).
 */
import type { LoadedCampaign } from '../config/campaign-loader.js';
import { REMOVAL_KINDS, type EngagementEvent } from '../domain/event.js';
import type { FraudSignalCode } from '../domain/fraud-codes.js';
import type { LedgerStatus } from '../domain/ledger.js';
import type { LedgerEntry } from '../ledger/entry.js';
import type { LedgerBatch, MemberBook } from '../ledger/ledger-writer.js';
import type { Logger } from '../log.js';
import type { Metrics } from '../metrics.js';
import { underReviewEntries } from '../review/retro-review.js';
import { flagWaveOf, verdictToKeep, waveReviewTasks } from '../review/wave-review.js';
import type { IngestQueue } from '../ingestion/ingest-queue.js';
import type { BatchRecords } from './batch-records.js';
import { deletedAwards, type EventEntriesDeps } from './event-entries.js';
import type { ReferralOrders } from '../referrals/orders.js';
import { countOrder, referralOrderOf, refundOrder, type OrderDeps } from './order-turn.js';
import { referrerTask } from './referrer-task.js';
import { buildRecentActivity, fraudListsFor, scoreFraud, type FraudDecision, type FraudVerdict, type HistorySource, type ReferralEvidence } from './fraud/index.js';
import { deletedEventKeys, scoreEvent, type ScoredEntry } from './rules/index.js';

const STATUS_OF: Record<FraudDecision, LedgerStatus> = { allow: 'posted', hold: 'held', reject: 'rejected' };

/** Removals take points back: holding them would leave the member the points of a deleted comment or a refunded order. */
export const UNJUDGED_KINDS: ReadonlySet<EngagementEvent['kind']> = REMOVAL_KINDS;

export interface EventTurn {
  event: EngagementEvent;
  loaded: LoadedCampaign;
  book: MemberBook;
  /** The event's fraud history; absent for kinds that are never judged. */
  history?: HistorySource;
  blocked: boolean;
  cleared: ReadonlySet<FraudSignalCode>;
}

export interface EventTurnDeps extends EventEntriesDeps, OrderDeps {
  metrics: Metrics;
  logger: Logger;
  referralOrders: Pick<ReferralOrders, 'record' | 'get' | 'markRefunded'>;
  /** Where a recognised wave's reviews of its earlier members are queued, each in its member's partition. */
  queue: Pick<IngestQueue, 'enqueueMemberTasks'>;
}

export async function takeEventTurn(deps: EventTurnDeps, turn: EventTurn, batch: { ledger: LedgerBatch; records: BatchRecords; now: Date }): Promise<LedgerEntry[]> {
  const { event, loaded, book, history } = turn;
  const { campaign, revision } = loaded;
  const { ledger, records, now } = batch;
  const { state, memberId } = book.record;

  const order = event.kind === 'purchase' && event.order ? { ...event, order: event.order } : undefined;
  const counted = order && (await countOrder(deps, { event: order, campaign, buyerId: memberId }));
  const judged = history && judge(turn, history, now, counted?.evidence);
  const verdict = judged && verdictToKeep(judged);
  const status = verdict ? STATUS_OF[verdict.decision] : 'posted';
  const deleted = event.kind === 'comment_deleted' || event.kind === 'order_refunded'
    ? await deletedAwards(deps, { campaignId: campaign.id, memberId, state, eventKeys: deletedEventKeys(event) }, { records, entries: ledger.entries })
    : undefined;
  const result = scoreEvent({ event, campaign, state, status, ...(deleted ? { deletedAwards: deleted } : {}), ...(counted?.facts ? { referral: counted.facts } : {}) });
  const underReview = verdict && verdict.decision !== 'allow'
    ? underReviewEntries({ campaign, state, flagged: { eventKey: event.eventKey, occurredAt: event.occurredAt, decision: verdict.decision } })
    : [];
  const written = ledger.append(book, [...withFraudReasons(result.entries, verdict), ...underReview], 'system', now);

  records.decide({
    campaignId: campaign.id, eventKey: event.eventKey, memberId, campaignRevision: revision, nonAwards: result.nonAwards,
    entrySeqs: written.map((entry) => entry.seq), decidedAt: now, ...(verdict ? { fraud: verdict } : {}),
  });
  for (const entry of written) if (entry.refersTo) records.link(campaign.id, entry.refersTo.eventKey, entry.seq);
  // A held event that earned nothing (a cap, a failed condition) and put nothing under review leaves nobody anything to review.
  const held = written.filter((entry) => entry.status === 'held');
  if (verdict && verdict.decision !== 'allow' && held.length > 0) {
    const wave = verdict.wave && flagWaveOf(campaign.id, verdict.wave);
    records.hold({ campaignId: campaign.id, eventKey: event.eventKey, memberId, verdict, entries: held, occurredAt: event.occurredAt, heldAt: now, wave });
  }
  const waveReviews = judged ? waveReviewTasks(campaign.id, event.eventKey, judged) : [];
  if (waveReviews.length > 0) records.afterLedger(() => deps.queue.enqueueMemberTasks(waveReviews));
  if (order && counted) {
    // Before the ledger, like the code's use: a commit cut short after its entries still leaves the order in the report.
    const record = referralOrderOf({ event: order, campaignId: campaign.id, buyerId: memberId, counted, result });
    if (record) await deps.referralOrders.record(record);
    if (result.referrer) {
      const task = referrerTask(campaign.id, { referral: result.referrer, buyer: { memberId, username: event.actor.username }, occurredAt: event.occurredAt, status, verdict });
      records.afterLedger(() => deps.queue.enqueueMemberTasks([task], { removeOnComplete: true }));
    }
  }
  if (event.kind === 'order_refunded') {
    const reversals = await refundOrder(deps, { event, campaignId: campaign.id });
    if (reversals.length > 0) records.afterLedger(() => deps.queue.enqueueMemberTasks(reversals, { removeOnComplete: true }));
  }
  if (result.negativeBalance) deps.logger.warn({ campaignId: campaign.id, memberId, balance: result.balance.after }, 'clawback left a negative balance');
  for (const entry of written) {
    deps.metrics.awards.inc({ campaign: campaign.id, kind: entry.kind, status: entry.status });
    deps.metrics.points.inc({ campaign: campaign.id, kind: entry.kind }, Math.abs(entry.points));
  }
  return written;
}

/** The verdict with the campaign's weights, thresholds and lists, the shared block list and the member's clearance. */
function judge(turn: EventTurn, history: HistorySource, now: Date, referral: ReferralEvidence | undefined): FraudVerdict {
  const { event, loaded: { campaign }, book, blocked, cleared } = turn;
  const lists = fraudListsFor(campaign, blocked ? [book.record.memberId] : []);
  return scoreFraud({ event, campaign, history: buildRecentActivity(event, history), lists, now, cleared, ...(referral ? { referral } : {}) });
}

/** Held and rejected awards carry the verdict that held or rejected them, so their history explains why. */
function withFraudReasons(entries: readonly ScoredEntry[], verdict: FraudVerdict | undefined): ScoredEntry[] {
  return entries.map((entry) => (verdict && entry.status !== 'posted' ? { ...entry, explain: { ...entry.explain, fraud: verdict } } : entry));
}
