/**
 * Retroactive review of a whole wave. The first accounts of a stock-praise
 * farm are allowed: when they comment, there is no wave yet. Once the scorer
 * recognises the wave (`stock_wave` at full strength, the event held or
 * rejected), each earlier member of it gets a member task in its own
 * partition (one writer per member): its awards of the wave's span go under
 * review (held `reverse` entries, as in retro-review.ts), under a review key
 * of its own, and open a flag that carries the wave's id. The review API
 * lists a wave's flags together and decides them in one action.
 *
 * The task reads only the member's state, which keeps the member's awards of
 * the last week: awards in the wave's span (at most an hour, and the member
 * was first seen in it) are that member's wave comments.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { Campaign } from '../config/campaign-schema.js';
import type { QueuedTask } from '../ingestion/ingest-queue.js';
import type { EntryDecision } from '../ledger/entry.js';
import type { MemberState } from '../ledger/member-state.js';
import type { MemberTaskHandler } from '../scoring/member-task.js';
import type { FraudVerdict, FraudWave } from '../scoring/fraud/index.js';
import type { FlagWave } from './flags.js';
import { reversalsFor } from './retro-review.js';

export const WAVE_REVIEW_TASK = 'wave-review';

/** A wave as flags and the review API name it: the same id for every flag of one wave. */
export function flagWaveOf(campaignId: string, wave: Pick<FraudWave, 'id' | 'mediaId'>): FlagWave {
  return { id: createHash('sha256').update(`${campaignId}|${wave.id}`).digest('hex').slice(0, 24), mediaId: wave.mediaId };
}

/** The verdict as records keep it: the wave's member list is for queueing its reviews, not for every ledger entry. */
export function verdictToKeep(verdict: FraudVerdict): FraudVerdict {
  if (verdict.wave === undefined) return verdict;
  const { wave, ...rest } = verdict;
  return { ...rest, wave: { ...wave, members: [] } };
}

const payloadSchema = z.object({
  wave: z.object({ id: z.string().min(1), mediaId: z.string().min(1) }),
  from: z.number(),
  to: z.number(),
  /** The event whose verdict recognised the wave, and that verdict's wave reason. */
  recognisedBy: z.string().min(1),
  score: z.number(),
  signals: z.array(z.object({ code: z.literal('stock_wave'), weight: z.number(), value: z.number(), text: z.object({ en: z.string(), ar: z.string() }) })),
});

/**
 * One task per earlier member of the wave, idempotent per wave and member:
 * every later member's verdict names the same earlier ones, and only the
 * first task for each member is queued.
 */
export function waveReviewTasks(campaignId: string, recognisedBy: string, verdict: FraudVerdict): QueuedTask[] {
  const wave = verdict.wave;
  if (wave === undefined || verdict.decision === 'allow') return [];
  const flagWave = flagWaveOf(campaignId, wave);
  const signals = verdict.signals.filter((signal) => signal.code === 'stock_wave');
  return wave.members.map((memberId) => ({
    task: {
      kind: WAVE_REVIEW_TASK,
      campaignId,
      memberId,
      payload: { wave: flagWave, from: wave.from, to: wave.to, recognisedBy, score: verdict.score, signals },
    },
    taskId: `wave-${createHash('sha256').update(`${flagWave.id}|${memberId}`).digest('hex').slice(0, 32)}`,
  }));
}

/** The review key a wave member's reversals and flag are written under: one per wave and member, shaped like an eventKey. */
export function waveReviewKey(memberId: string, waveId: string): string {
  const at = memberId.indexOf(':');
  return `${memberId.slice(0, at)}:wave_review:${waveId}.${memberId.slice(at + 1)}`;
}

export function waveReviewHandler(): MemberTaskHandler {
  return {
    inBatch: async ({ loaded, book, ledger, records, now }, task) => {
      const payload = payloadSchema.parse(task.payload);
      if (!book) return 'unknown member';
      const { campaign } = loaded;
      const eventKey = waveReviewKey(book.record.memberId, payload.wave.id);
      const entries = waveReversals(campaign, book.record.state, { eventKey, from: payload.from, to: payload.to });
      if (entries.length === 0) return 'nothing to review';
      const written = ledger.append(book, entries, 'system', now);
      for (const entry of written) if (entry.refersTo) records.link(campaign.id, entry.refersTo.eventKey, entry.seq);
      records.hold({
        campaignId: campaign.id,
        eventKey,
        memberId: book.record.memberId,
        verdict: { score: payload.score, decision: 'hold', signals: payload.signals },
        entries: written,
        occurredAt: new Date(payload.to),
        heldAt: now,
        wave: payload.wave,
      });
      return 'under review';
    },
  };
}

/** The member's standing awards of the wave's span, never under review and without a flag of their own, as held reversals. */
function waveReversals(campaign: Campaign, state: MemberState, span: { eventKey: string; from: number; to: number }): EntryDecision[] {
  const awards = state.awards.filter((award) => award.status === 'posted' && award.at >= span.from && award.at <= span.to && !award.reviewed && !award.wasHeld);
  return reversalsFor(campaign, state, awards, {
    eventKey: span.eventKey,
    why: {
      en: 'Under review with a wave of accounts first seen on one post writing the same stock text',
      ar: 'قيد المراجعة مع موجة من الحسابات ظهرت لأول مرة على منشور واحد وكتبت النص الجاهز نفسه',
    },
    explain: { wave: { from: span.from, to: span.to } },
  });
}
