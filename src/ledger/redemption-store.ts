import type { Collection, Db } from 'mongodb';
import type { LedgerReason } from './entry.js';
import { insertOnce } from '../insert-once.js';

/**
 * The answer given to a redemption request, kept under its idempotency key so
 * a repeated request gets the same status and body. The ledger stays the
 * truth about points; this only remembers what was said.
 */
export type RedemptionAnswer = {
  campaignId: string;
  memberId: string;
  idempotencyKey: string;
  rewardId: string;
  answeredAt: Date;
} & RedemptionOutcome;

export type RedemptionOutcome =
  | { status: 201; body: RedemptionReceipt }
  | { status: 200; body: VoucherCancellation }
  | { status: 409; body: RedemptionRefusal };

/** A voucher cancelled and its points given back (answered like a redemption, under the key `cancel:<code>`). */
export interface VoucherCancellation {
  campaignId: string;
  memberId: string;
  code: string;
  status: 'cancelled';
  refunded: number;
  balance: number;
}

/** What a member gets for a redemption that went through. */
export interface RedemptionReceipt {
  campaignId: string;
  memberId: string;
  idempotencyKey: string;
  reward: { id: string; name: { en: string; ar: string }; cost: number };
  entry: { seq: number; eventKey: string; points: number; reason: LedgerReason; createdAt: string };
  /** The member's balance right after this redemption. */
  balance: number;
  /** The code the reward issued (rewards with `voucher:`), also in the member's wallet. */
  voucher?: { code: string; expiresAt: string | null };
}

/** The API error of a refused redemption (NUQTA_INSUFFICIENT_POINTS, NUQTA_OUT_OF_STOCK). */
export interface RedemptionRefusal {
  error: { code: string; message: string; details?: unknown };
}

type AnswerDocument = RedemptionAnswer & { _id: string };


export interface RedemptionStore {
  get(campaignId: string, memberId: string, idempotencyKey: string): Promise<RedemptionAnswer | null>;
  /** Keeps the first answer for a key; a second one is ignored. */
  remember(answer: RedemptionAnswer): Promise<void>;
}

export class MongoRedemptionStore implements RedemptionStore {
  private readonly answers: Collection<AnswerDocument>;

  constructor(db: Db) {
    this.answers = db.collection<AnswerDocument>('redemptions');
  }

  async get(campaignId: string, memberId: string, idempotencyKey: string): Promise<RedemptionAnswer | null> {
    return this.answers.findOne({ _id: answerId(campaignId, memberId, idempotencyKey) }, { projection: { _id: 0 } });
  }

  async remember(answer: RedemptionAnswer): Promise<void> {
    await insertOnce(this.answers, { _id: answerId(answer.campaignId, answer.memberId, answer.idempotencyKey), ...answer });
  }
}

function answerId(campaignId: string, memberId: string, idempotencyKey: string): string {
  return `${campaignId}|${memberId}|${idempotencyKey}`;
}
