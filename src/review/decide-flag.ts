/**
 * A decision on a flag runs as a member task, in the member's turn of a
 * batch in their queue partition, so it never interleaves with the scoring
 * of their events. It settles the held entries (the event's own, and the
 * reversals that put the member's earlier awards under review with it)
 * through the ledger writer, which moves the member state with them. The
 * audit record comes first (written once, with the standing before and after
 * the decision); once the settlements are in the ledger, it clears the
 * member of the flag's account-level reasons (approve) or withdraws its
 * clearance (reject), and closes the flag. A retry after a crash finds the
 * settlements done (the member state is rebuilt from the ledger when a held
 * entry was settled behind its back) and finishes the rest: the flag is
 * closed only while open.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { balanceDelta, earnedDelta } from '../domain/ledger.js';
import type { IngestQueue } from '../ingestion/ingest-queue.js';
import type { HeldNote, MemberState } from '../ledger/member-state.js';
import type { Logger } from '../log.js';
import type { Metrics } from '../metrics.js';
import type { MemberTaskHandler } from '../scoring/member-task.js';
import { clearanceAfterApproval, type MongoClearances } from './clearances.js';
import type { FlagStore } from './flag-store.js';
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
  flags: Pick<FlagStore, 'get' | 'decide'>;
  reviews: Pick<ReviewStore, 'record'>;
  clearances: Pick<MongoClearances, 'get' | 'put' | 'withdraw'>;
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
export function reviewDecisionHandler(deps: DecideFlagDeps): MemberTaskHandler {
  return {
    inBatch: async ({ loaded, book, ledger, records }, task) => {
      const request = decisionRequestSchema.parse(task.payload);
      const flag = await deps.flags.get(request.flagId);
      if (flag?.status !== 'open' || !book) return 'not open';
      const { campaign } = loaded;
      const state = book.record.state;
      const settlements = settlementsOf(settledBy(state, flag.eventKey), request.decision);
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
      const before = stateOf(state, settlements.map(({ note: held }) => ({ held, status: 'held' as const })));
      const after = stateOf(state, settlements.map(({ note: held, status }) => ({ held, status })));
      // Recorded before anything changes (and only once): a retry after a crash keeps the standing before the decision.
      await deps.reviews.record({
        id: decisionRecordId(flag.id), kind: 'decision', flagId: flag.id, campaignId: campaign.id, memberId: flag.memberId,
        decision: request.decision, by: request.by, at, ...note, before, after,
        ...(clearance === undefined ? {} : { cleared: { codes: clearance.codes, until: clearance.until } }),
      });
      for (const { note: held, status } of settlements) ledger.settle(book, held.seq, status);
      ledger.announce(book, {
        type: 'flag.decided', key: flag.id, at,
        data: { flagId: flag.id, eventKey: flag.eventKey, decision: request.decision, ...note, balance: after.balance, entries: settlements.map(({ note: held, status }) => ({ seq: held.seq, points: held.points, status })) },
      });

      records.afterLedger(async () => {
        // An approval vouches for the account from now on; a rejection takes back any earlier approval's word.
        if (clearance !== undefined) await deps.clearances.put(clearance);
        if (request.decision === 'reject') await deps.clearances.withdraw(campaign.id, flag.memberId);
        const decided = await deps.flags.decide(flag.id, { decision: request.decision, by: request.by, at, ...note });
        if (decided) {
          deps.metrics.flagsDecided.inc({ campaign: campaign.id, decision: request.decision });
          deps.logger.info({ flagId: flag.id, decision: request.decision, by: request.by, entries: settlements.length }, 'review flag decided');
        }
      });
      return request.decision;
    },
  };
}

/** The member's balance and earned points with the settled entries in the statuses given (the state holds them held). */
function stateOf(state: MemberState, entries: readonly { held: HeldNote; status: 'held' | 'posted' | 'rejected' }[]): DecisionState {
  return {
    balance: entries.reduce((sum, { held, status }) => sum + balanceDelta({ status, points: held.points }), state.balance),
    earned: entries.reduce((sum, { held, status }) => sum + earnedDelta({ status, points: held.points, kind: held.kind }), state.earned),
    entries: entries.map(({ held, status }) => ({ seq: held.seq, ruleId: held.ruleId, kind: held.kind, points: held.points, status })),
  };
}
