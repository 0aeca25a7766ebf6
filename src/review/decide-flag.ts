/**
 * A decision on a flag runs as a member task, in the member's queue
 * partition, so it never interleaves with the scoring of their events. It
 * settles the held entries (the event's own, and the reversals that put the
 * member's earlier awards under review with it), rebuilds the member's
 * projection and boards from the ledger, clears the member of the flag's
 * account-level reasons (approve) or withdraws its clearance (reject), writes
 * the audit record and closes the flag — in an order that a retry after a
 * crash completes: audit (written once), entries (held ones only), rebuild
 * (from the ledger), clearance (a replace or a delete), flag (only while open).
 */
import { createHash } from 'node:crypto';
import { UnrecoverableError } from 'bullmq';
import { z } from 'zod';
import type { CampaignRegistry } from '../config/campaign-registry.js';
import type { IngestQueue, MemberTask } from '../ingestion/ingest-queue.js';
import { balanceDelta, earnedDelta, type MemberFact } from '../ledger/entry.js';
import type { LedgerStore } from '../ledger/ledger-store.js';
import type { MemberProjection } from '../ledger/member-store.js';
import type { Logger } from '../log.js';
import type { Metrics } from '../metrics.js';
import type { EventScorer } from '../scoring/event-scorer.js';
import type { FlagStore } from './flag-store.js';
import { clearanceAfterApproval, type MongoClearances } from './clearances.js';
import { REVIEW_DECISIONS, settledBy, settlementsOf, type Flag, type ReviewDecision } from './flags.js';
import { decisionRecordId, type DecisionState, type ReviewStore } from './review-store.js';

export const REVIEW_DECISION_TASK = 'review-decision';

export interface DecisionRequest {
  flagId: string;
  decision: ReviewDecision;
  /** `system`, or the reviewer's key as `role:fingerprint`. */
  by: string;
  note?: string;
}

const decisionRequestSchema = z.object({
  flagId: z.string().min(1),
  decision: z.enum(REVIEW_DECISIONS),
  by: z.string().min(1),
  note: z.string().optional(),
});

export interface DecideFlagDeps {
  campaigns: CampaignRegistry;
  flags: FlagStore;
  reviews: ReviewStore;
  clearances: Pick<MongoClearances, 'get' | 'put' | 'withdraw'>;
  ledger: Pick<LedgerStore, 'settleHeld'>;
  scorer: Pick<EventScorer, 'caughtUp' | 'rebuild'>;
  metrics: Metrics;
  logger: Logger;
}

/** One task per flag and decision: a repeated request adds nothing while the first is queued. */
export function decisionTaskId(flagId: string, decision: ReviewDecision): string {
  return `review-${createHash('sha256').update(flagId).digest('hex').slice(0, 32)}-${decision}`;
}

export async function queueDecision(queue: Pick<IngestQueue, 'enqueueMemberTask'>, flag: Pick<Flag, 'id' | 'campaignId' | 'memberId'>, request: DecisionRequest): Promise<void> {
  const payload = { flagId: request.flagId, decision: request.decision, by: request.by, ...(request.note === undefined ? {} : { note: request.note }) };
  await queue.enqueueMemberTask(
    { kind: REVIEW_DECISION_TASK, campaignId: flag.campaignId, memberId: flag.memberId, payload },
    decisionTaskId(flag.id, request.decision),
    { removeOnComplete: true },
  );
}

/** The member task handler. A flag decided meanwhile (either way) is left as it is. */
export async function decideFlag(deps: DecideFlagDeps, task: MemberTask): Promise<void> {
  const request = decisionRequestSchema.parse(task.payload);
  const flag = await deps.flags.get(request.flagId);
  if (flag?.status !== 'open') return;
  const loaded = deps.campaigns.find(flag.campaignId);
  if (!loaded) throw new UnrecoverableError(`flag ${flag.id}: campaign "${flag.campaignId}" is not loaded`);
  const { campaign } = loaded;
  const member = await deps.scorer.caughtUp(loaded, flag.memberId);
  const settled = settledBy(member.facts, flag.eventKey);
  const settlements = settlementsOf(member.facts, settled, request.decision);
  const at = new Date();
  const note = request.note === undefined ? {} : { note: request.note };
  const clearance =
    request.decision === 'approve'
      ? clearanceAfterApproval(
          await deps.clearances.get(campaign.id, flag.memberId),
          { campaignId: campaign.id, memberId: flag.memberId, flagId: flag.id, reasons: flag.reasons, by: request.by, at },
          campaign.fraud.clearance_days,
        )
      : undefined;

  await deps.reviews.record({
    id: decisionRecordId(flag.id),
    kind: 'decision',
    flagId: flag.id,
    campaignId: campaign.id,
    memberId: flag.memberId,
    decision: request.decision,
    by: request.by,
    at,
    ...note,
    before: stateOf(member, settled),
    after: stateOf(member, settlements.map(({ fact, status }) => ({ ...fact, status }))),
    ...(clearance === undefined ? {} : { cleared: { codes: clearance.codes, until: clearance.until } }),
  });
  for (const { fact, status } of settlements) await deps.ledger.settleHeld(campaign.id, flag.memberId, fact.seq, status);
  await deps.scorer.rebuild(loaded, flag.memberId);
  // An approval vouches for the account from now on; a rejection takes back any earlier approval's word.
  if (clearance !== undefined) await deps.clearances.put(clearance);
  if (request.decision === 'reject') await deps.clearances.withdraw(campaign.id, flag.memberId);
  const decided = await deps.flags.decide(flag.id, { decision: request.decision, by: request.by, at, ...note });
  if (decided) {
    deps.metrics.flagsDecided.inc({ campaign: campaign.id, decision: request.decision });
    deps.logger.info({ flagId: flag.id, decision: request.decision, by: request.by, entries: settled.length }, 'review flag decided');
  }
}

/**
 * The member's balance and earned points with `entries` in the statuses given.
 * `member` is the projection in which they are still held (counting for nothing).
 */
function stateOf(member: MemberProjection, entries: readonly MemberFact[]): DecisionState {
  return {
    balance: entries.reduce((sum, entry) => sum + balanceDelta(entry), member.balance),
    earned: entries.reduce((sum, entry) => sum + earnedDelta(entry), member.earned),
    entries: entries.map(({ seq, ruleId, kind, points, status }) => ({ seq, ruleId, kind, points, status })),
  };
}
