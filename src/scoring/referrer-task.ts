/**
 * The code owner's award for someone else's order: a member task in the
 * owner's partition (one writer per member), queued by the buyer's turn
 * once the buyer's order is in the ledger, and again by the recovery of a
 * commit cut short before it was queued. The award's key is made from the
 * campaign and the order, and its decision is recorded like an event's, so
 * however often the task comes the owner earns once. An order held for
 * review holds the owner's award too, with a flag of its own that says why.
 * The job is dropped once done (its data names the buyer, whose erasure
 * would not find it in the owner's partition).
 *
 * A refunded order takes the award back with a second task in the same
 * partition: a reversal of what stands of it (a held award gets a held
 * reversal, so a reviewer's decision settles both), or, when the refund
 * comes before the award was written, the award's key decided as refunded,
 * so the award never comes.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { fraudSignalCodeSchema } from '../domain/fraud-codes.js';
import { LEDGER_STATUSES, type LedgerStatus } from '../domain/ledger.js';
import { NuqtaError } from '../errors.js';
import type { QueuedTask } from '../ingestion/ingest-queue.js';
import type { MongoDecisionStore } from './decision-store.js';
import { REFERRER_RULE_PREFIX } from '../domain/ledger.js';
import type { FraudVerdict } from './fraud/index.js';
import type { MemberTaskHandler } from './member-task.js';
import { deletedAwards, type EventEntriesDeps } from './event-entries.js';
import { referrerAward } from './rules/referral.js';
import { reason } from './rules/reasons.js';
import { reversalsOf } from './rules/clawback.js';
import { tierChangeEntry } from './rules/tier-change.js';
import type { ReferralExplain } from './rules/index.js';

export const REFERRER_AWARD_TASK = 'referrer-award';
export const REFERRER_REVERSAL_TASK = 'referrer-reversal';

const verdictSchema = z.object({
  score: z.number(),
  decision: z.enum(['allow', 'hold', 'reject']),
  signals: z.array(z.object({ code: fraudSignalCodeSchema, weight: z.number(), value: z.number(), text: z.object({ en: z.string(), ar: z.string() }) })),
});

const payloadSchema = z.object({
  referral: z.object({
    code: z.string(),
    program: z.string(),
    order: z.string(),
    referrer: z.object({ memberId: z.string(), points: z.number().int().positive() }),
    buyer: z.object({ memberId: z.string(), username: z.string().optional() }),
  }),
  occurredAt: z.coerce.date(),
  status: z.enum(LEDGER_STATUSES),
  verdict: verdictSchema.optional(),
});
type ReferrerPayload = z.infer<typeof payloadSchema>;

/** The owner's award key: shaped like an event key on the owner's platform, one per campaign and order. */
export function referrerKeyOf(campaignId: string, referral: { order: string; referrer: { memberId: string } }): string {
  const platform = referral.referrer.memberId.slice(0, referral.referrer.memberId.indexOf(':'));
  return `${platform}:referral:${createHash('sha256').update(`${campaignId}|${referral.order}`).digest('hex').slice(0, 32)}`;
}

/** The task that writes the owner's award for one order (idempotent by the order). */
export function referrerTask(campaignId: string, input: {
  referral: ReferralExplain & { referrer: { memberId: string; points: number } };
  buyer: { memberId: string; username?: string | undefined };
  occurredAt: Date;
  status: LedgerStatus;
  verdict?: FraudVerdict | undefined;
}): QueuedTask {
  const { referral, buyer, occurredAt, status, verdict } = input;
  const payload: ReferrerPayload = {
    referral: { code: referral.code, program: referral.program, order: referral.order, referrer: referral.referrer, buyer: { memberId: buyer.memberId, ...(buyer.username === undefined ? {} : { username: buyer.username }) } },
    occurredAt, status,
    ...(verdict && status !== 'posted' ? { verdict: { score: verdict.score, decision: verdict.decision, signals: verdict.signals } } : {}),
  };
  return {
    task: { kind: REFERRER_AWARD_TASK, campaignId, memberId: referral.referrer.memberId, payload },
    taskId: `referrer-${createHash('sha256').update(`${campaignId}|${referral.order}`).digest('hex').slice(0, 32)}`,
  };
}

export function referrerAwardHandler(deps: { decisions: Pick<MongoDecisionStore, 'get'> }): MemberTaskHandler {
  return {
    inBatch: async ({ loaded, book, ledger, records, now }, task) => {
      const payload = payloadSchema.parse(task.payload);
      const { campaign, revision } = loaded;
      if (!book) throw new NuqtaError('NUQTA_MEMBER_NOT_FOUND', `the owner of code ${payload.referral.code} (${task.memberId}) is not a member of campaign "${campaign.id}"`);
      const eventKey = referrerKeyOf(campaign.id, payload.referral);
      if (records.decided(campaign.id, eventKey) ?? (await deps.decisions.get(campaign.id, eventKey))) return 'decided before';
      const entries = referrerAward({ campaign, state: book.record.state, eventKey, referral: payload.referral, status: payload.status, occurredAt: payload.occurredAt });
      const written = ledger.append(book, entries.map((entry) => (payload.verdict ? { ...entry, explain: { ...entry.explain, fraud: payload.verdict } } : entry)), 'system', now);
      records.decide({ campaignId: campaign.id, eventKey, memberId: book.record.memberId, campaignRevision: revision, nonAwards: [], entrySeqs: written.map((entry) => entry.seq), decidedAt: now, ...(payload.verdict ? { fraud: payload.verdict } : {}) });
      const held = written.filter((entry) => entry.status === 'held');
      if (payload.verdict && held.length > 0) {
        records.hold({ campaignId: campaign.id, eventKey, memberId: book.record.memberId, verdict: payload.verdict, entries: held, occurredAt: payload.occurredAt, heldAt: now });
      }
      return payload.status === 'posted' ? 'awarded' : `awarded ${payload.status}`;
    },
  };
}

const reversalPayload = z.object({ order: z.string(), referrerId: z.string(), program: z.string() });

/** The task that takes back the owner's award for a refunded order (idempotent by the order). */
export function referrerReversalTask(campaignId: string, payload: z.infer<typeof reversalPayload>): QueuedTask {
  return {
    task: { kind: REFERRER_REVERSAL_TASK, campaignId, memberId: payload.referrerId, payload },
    taskId: `referrer-refund-${createHash('sha256').update(`${campaignId}|${payload.order}`).digest('hex').slice(0, 32)}`,
  };
}

export function referrerReversalHandler(deps: EventEntriesDeps): MemberTaskHandler {
  return {
    inBatch: async ({ loaded, book, ledger, records, now }, task) => {
      const payload = reversalPayload.parse(task.payload);
      const { campaign, revision } = loaded;
      if (!book) return 'unknown member';
      const memberId = book.record.memberId;
      const eventKey = referrerKeyOf(campaign.id, { order: payload.order, referrer: { memberId } });
      const ruleId = `${REFERRER_RULE_PREFIX}${payload.program}`;
      if (!(records.decided(campaign.id, eventKey) ?? (await deps.decisions.get(campaign.id, eventKey)))) {
        // The refund came first: the award's key is decided now, so the award task finds it decided and writes nothing.
        records.decide({
          campaignId: campaign.id, eventKey, memberId, campaignRevision: revision, entrySeqs: [], decidedAt: now,
          nonAwards: [{ eventKey, ruleId, reason: reason('ORDER_REFUNDED', { rule: ruleId }), explain: { conditions: [{ condition: 'not_refunded', passed: false, expected: false, actual: true }], limits: [] } }],
        });
        return 'refunded before awarded';
      }
      const state = book.record.state;
      const standing = await deletedAwards(deps, { campaignId: campaign.id, memberId, state, eventKeys: [eventKey] }, { records, entries: ledger.entries });
      if (standing.length === 0) return 'nothing standing';
      const reversals = reversalsOf(standing, eventKey, 'refunded');
      const tier = tierChangeEntry(campaign, state, reversals, { eventKey, occurredAt: now });
      const written = ledger.append(book, tier ? [...reversals, tier] : reversals, 'system', now);
      for (const entry of written) if (entry.refersTo) records.link(campaign.id, entry.refersTo.eventKey, entry.seq);
      return 'taken back';
    },
  };
}
