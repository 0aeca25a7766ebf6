/** Shapes shared by the fraud scorer, its history builder and its signals. */
import type { EventKind } from '../../domain/event.js';
import type { FraudSignalCode } from '../../domain/fraud-codes.js';
import type { TextFeatures } from './text.js';

export interface FraudText {
  en: string;
  ar: string;
}

export type FraudDecision = 'allow' | 'hold' | 'reject';

/** One reason, as a reviewer reads it: `weight × value` is what it added to the score. */
export interface FraudSignal {
  code: FraudSignalCode;
  /** The campaign's weight for this code, 0..1. */
  weight: number;
  /** How strongly the signal fired, 0..1. */
  value: number;
  text: FraudText;
}

/**
 * A wave of accounts first seen on one post writing the same stock text
 * (`stock_wave`): who was in it, so the awards of its first members, allowed
 * before the wave showed, can go under review with it.
 */
export interface FraudWave {
  /** Stable for one wave: the post and the wave's most written text. */
  id: string;
  mediaId: string;
  /**
   * The wave's members other than the scored one, earliest first (at most
   * `FRAUD_WINDOWS.waveMembersLimit`), once the wave is recognised (the
   * reading at 0.8 or more); empty before.
   */
  members: string[];
  /** epoch ms: the wave's first member's text, and the scored event. */
  from: number;
  to: number;
}

export interface FraudVerdict {
  /** 0..1: the sum of `weight × value` over the signals, capped at 1. */
  score: number;
  decision: FraudDecision;
  /** Strongest first. Only signals that added something are listed. */
  signals: FraudSignal[];
  /** Signals that fired but counted for nothing: a reviewer's approval cleared them for this member. */
  cleared?: FraudSignalCode[];
  /** The stock-text wave the event is part of, when `stock_wave` counted towards the score. */
  wave?: FraudWave;
}

/**
 * A paid order that used a referral or influencer code, as the code's
 * counters saw it (src/referrals/code-uses.ts): read when the use was taken,
 * from uses before this order only.
 */
export interface ReferralEvidence {
  code: string;
  /** Member codes are shared among friends; influencer codes with an audience. */
  codes: 'member' | 'influencer';
  /** Which of the code owner's own shop references the order carries. */
  ownerShares: 'customer' | 'shipping' | undefined;
  /** The code's other uses in the week before this order, newest first. */
  recent: readonly { buyerId: string; at: number; customerRef?: string; shippingRef?: string }[];
}

/**
 * Entries are member ids (`instagram:1784…`) or `@username` (any platform,
 * lower case). `fraudListsFor` builds them from the campaign file.
 */
export interface FraudLists {
  staff: ReadonlySet<string>;
  blocked: ReadonlySet<string>;
}

/** An earlier event reduced to what the signals read. */
export interface PriorAction {
  eventKey: string;
  memberId: string;
  kind: EventKind;
  /** The brand account acted on. */
  accountId: string;
  mediaId: string | undefined;
  /** occurredAt in epoch milliseconds. */
  at: number;
  text: TextFeatures | undefined;
}

/**
 * What happened before the scored event, cut to the windows in `FRAUD_WINDOWS`.
 * Built by `buildRecentActivity` from stored events; everything is strictly
 * history (nothing later than the scored event), so replays score the same.
 */
export interface RecentActivity {
  /** This member's earlier actions, newest first. */
  member: readonly PriorAction[];
  /** Earlier actions by anyone on the same media, newest first (empty without a media). */
  media: readonly PriorAction[];
  /** Earlier texts by other members on the same brand account, newest first. */
  texts: readonly PriorAction[];
  /** Other members' actions on this member's recent media, close in time to this member's own. */
  coActors: readonly PriorAction[];
  /** First time a member was seen on the brand's accounts (epoch ms). A member it does not know is unknown, never new. */
  firstSeenAt: { get(memberId: string): number | undefined };
  /** Where and when the scored member was first seen, with its arrival cohort; undefined when unknown. */
  arrival: Arrival | undefined;
}

/**
 * A member's first action on the brand's accounts, when that action was on a
 * media, and the members first seen on the same media within the newcomer
 * window of it (before or after), up to the scored event: the accounts it
 * arrived with.
 */
export interface Arrival {
  mediaId: string;
  /** epoch ms */
  at: number;
  /** When the first account was first seen on that media (epoch ms): the start of the post's crowd; undefined when unknown. */
  postOpenedAt: number | undefined;
  /** Member id → when it was first seen (epoch ms), the member itself left out (worked out when first read). */
  readonly cohort: ReadonlyMap<string, number>;
}
