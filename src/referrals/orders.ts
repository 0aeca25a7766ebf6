/**
 * Attribution records: one per paid order that named a code of the
 * campaign, inserted once by the order's key (an order delivered again, or
 * scored again after a failed commit, adds nothing), written by the buyer's
 * turn before its commit; the report reads them.
 */
import type { Collection, Db } from 'mongodb';
import type { Influencer } from './codes.js';
import { insertOnce } from '../insert-once.js';

/** One order that named a code of the campaign, as the attribution report reads it. */
export interface ReferralOrder {
  campaignId: string;
  orderKey: string;
  orderId: string;
  code: string;
  program: string;
  ownerId?: string;
  influencer?: Influencer;
  buyerId: string;
  amount: number;
  currency: string;
  firstOrder: boolean;
  /** `REFERRAL_BONUS` when it earned, else the reason it did not. */
  outcome: string;
  /** What the order earned as it was scored, before any review or refund (a refund reads the referrer's share; the report reads the ledger). */
  points: { buyer: number; referrer: number };
  at: Date;
  /** When the shop refunded the order: what it earned was taken back. */
  refundedAt?: Date;
}

type OrderDoc = ReferralOrder & { _id: string };

export class ReferralOrders {
  private readonly collection: Collection<OrderDoc>;

  constructor(db: Db) {
    this.collection = db.collection<OrderDoc>('referral_orders');
  }

  /** Once per order and campaign: an order delivered again keeps its first record. */
  async record(order: ReferralOrder): Promise<void> {
    await insertOnce(this.collection, { _id: `${order.campaignId}|${order.orderKey}`, ...order });
  }

  async get(campaignId: string, orderKey: string): Promise<ReferralOrder | undefined> {
    const doc = await this.collection.findOne({ _id: `${campaignId}|${orderKey}` });
    if (!doc) return undefined;
    const { _id: _key, ...order } = doc;
    return order;
  }

  async markRefunded(campaignId: string, orderKey: string, at: Date): Promise<void> {
    await this.collection.updateOne({ _id: `${campaignId}|${orderKey}` }, { $set: { refundedAt: at } });
  }

  /** The orders a member bought, or that used their code (scans: for an erasure only), each with its key. */
  async naming(memberId: string): Promise<(ReferralOrder & { _id: string })[]> {
    const [bought, referred] = await Promise.all([this.collection.find({ buyerId: memberId }).toArray(), this.collection.find({ ownerId: memberId }).toArray()]);
    return [...new Map([...bought, ...referred].map((order) => [order._id, order])).values()];
  }

  async replace(order: ReferralOrder & { _id: string }): Promise<void> {
    await this.collection.replaceOne({ _id: order._id }, order);
  }

  async ofCampaign(campaignId: string): Promise<ReferralOrder[]> {
    const docs = await this.collection.find({ campaignId }).toArray();
    return docs.map(({ _id: _key, ...order }) => order);
  }
}
