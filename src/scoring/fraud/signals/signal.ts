/**
 * src/scoring/fraud/signals: one function per reason code. Each reads only
 * the context it is given (no I/O, no clock, no weights) and says how
 * strongly it fired and why; weighing and deciding happen in score.ts.
 */
import { REMOVAL_KINDS, type EngagementEvent } from '../../../domain/event.js';
import type { FraudSignalCode } from '../../../domain/fraud-codes.js';
import type { TextFeatures } from '../text.js';
import type { FraudLists, FraudText, FraudWave, RecentActivity, ReferralEvidence } from '../types.js';

export interface SignalContext {
  event: EngagementEvent;
  memberId: string;
  /** The instant the event is judged at (epoch ms): when it happened, never later than now. */
  at: number;
  history: RecentActivity;
  lists: FraudLists;
  /** Undefined when the event carries no text. */
  text: TextFeatures | undefined;
  /** Start of the campaign (epoch ms). */
  campaignStartsAt: number;
  /** A paid order naming a code: what the code's counters said about it. */
  referral: ReferralEvidence | undefined;
}

export interface SignalReading {
  code: FraudSignalCode;
  /** 0..1; a signal that did not fire returns undefined instead of 0. */
  value: number;
  text: FraudText;
  /** The wave the member is part of (`stock_wave` only). */
  wave?: FraudWave;
}

export type Signal = (context: SignalContext) => SignalReading | undefined;

/** 0 at or below `from`, 1 at or above `to`, linear between. */
export function ramp(x: number, from: number, to: number): number {
  if (x <= from) return 0;
  if (x >= to) return 1;
  return (x - from) / (to - from);
}

export function reading(code: FraudSignalCode, value: number, text: FraudText): SignalReading | undefined {
  return value > 0 ? { code, value: Math.min(1, value), text } : undefined;
}

/** Removals: they earn nothing and are the member undoing, not acting. */
export const UNDO_KINDS: ReadonlySet<EngagementEvent['kind']> = REMOVAL_KINDS;

/** Kinds whose text is the member's own words about the brand. */
export const TEXT_KINDS: ReadonlySet<EngagementEvent['kind']> = new Set(['comment', 'reply', 'mention', 'story_mention', 'hashtag_post', 'dm']);
