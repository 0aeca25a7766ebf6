/**
 * One delivery per endpoint and event (`<endpoint>.<event id>`, inserted once,
 * so an event read twice from the outbox is delivered once), with its
 * attempts and last response: the delivery log brands read. Beside it in
 * Redis: per endpoint the recent deliveries (the log's index), and per
 * endpoint and member the deliveries not settled yet, by order, so a member's
 * events reach a receiver in the order they happened.
 */
import type { Redis } from 'ioredis';
import { MongoBulkWriteError, type Collection, type Db } from 'mongodb';
import type { OutboundEventType } from '../domain/outbound-events.js';
import type { OutboxItem } from './outbound-event.js';
import type { WebhookEndpoint } from './endpoints.js';
import { DUPLICATE_KEY } from '../insert-once.js';

export type DeliveryStatus = 'pending' | 'delivered' | 'failed';

export interface DeliveryResponse {
  status?: number;
  /** The start of the receiver's answer (or the network error). */
  body?: string;
  error?: string;
  durationMs: number;
  at: Date;
}

export interface Delivery {
  id: string;
  endpointId: string;
  campaignId: string;
  memberId: string;
  eventId: string;
  type: OutboundEventType;
  order: number;
  /** The JSON sent, the same bytes on every attempt (the signature covers them). */
  body: string;
  status: DeliveryStatus;
  attempts: number;
  createdAt: Date;
  deliveredAt?: Date;
  lastResponse?: DeliveryResponse;
}

type DeliveryDoc = Omit<Delivery, 'id'> & { _id: string };

/** Recent deliveries listed per endpoint. */
const LOGGED = 10_000;

export function deliveryIdOf(endpointId: string, eventId: string): string {
  return `${endpointId}.${eventId}`;
}

export class WebhookDeliveries {
  private readonly collection: Collection<DeliveryDoc>;

  constructor(db: Db, private readonly redis: Redis, private readonly prefix: string) {
    this.collection = db.collection<DeliveryDoc>('webhook_deliveries');
  }

  private orderKey(endpointId: string, memberId: string): string {
    return `${this.prefix}:wh:order:${endpointId}:${memberId}`;
  }

  private logKey(endpointId: string): string {
    return `${this.prefix}:wh:log:${endpointId}`;
  }

  /** Stores the deliveries not stored yet and returns those (each event once per endpoint, however often it is read). */
  async create(targets: readonly { endpoint: WebhookEndpoint; item: OutboxItem }[], now: Date): Promise<Delivery[]> {
    if (targets.length === 0) return [];
    const docs: DeliveryDoc[] = targets.map(({ endpoint, item }) => ({
      _id: deliveryIdOf(endpoint.id, item.event.id),
      endpointId: endpoint.id,
      campaignId: item.event.campaignId,
      memberId: item.event.memberId,
      eventId: item.event.id,
      type: item.event.type,
      order: item.order,
      body: JSON.stringify(item.event),
      status: 'pending',
      attempts: 0,
      createdAt: now,
    }));
    let repeated = new Set<number>();
    try {
      await this.collection.insertMany(docs, { ordered: false });
    } catch (error) {
      if (!(error instanceof MongoBulkWriteError)) throw error;
      const writeErrors = [error.writeErrors].flat();
      if (writeErrors.some((writeError) => writeError.code !== DUPLICATE_KEY)) throw error;
      repeated = new Set(writeErrors.map((writeError) => writeError.index));
    }
    const fresh = docs.filter((_, index) => !repeated.has(index)).map(deliveryOf);
    const pipeline = this.redis.pipeline();
    for (const delivery of fresh) this.queueOpen(pipeline, delivery);
    for (const endpointId of new Set(fresh.map((delivery) => delivery.endpointId))) pipeline.zremrangebyrank(this.logKey(endpointId), 0, -LOGGED - 1);
    await pipeline.exec();
    return fresh;
  }

  async get(deliveryId: string): Promise<Delivery | undefined> {
    const doc = await this.collection.findOne({ _id: deliveryId });
    return doc ? deliveryOf(doc) : undefined;
  }

  /** The endpoint's deliveries, newest first. */
  async recent(endpointId: string, limit: number): Promise<Delivery[]> {
    const ids = await this.redis.zrevrange(this.logKey(endpointId), 0, limit - 1);
    const found = await Promise.all(ids.map((id) => this.get(id)));
    return found.filter((delivery): delivery is Delivery => delivery !== undefined);
  }

  /** The member's earliest unsettled delivery to the endpoint: the only one that may go now. */
  async firstInLine(endpointId: string, memberId: string): Promise<string | undefined> {
    const [first] = await this.redis.zrange(this.orderKey(endpointId, memberId), 0, 0);
    return first;
  }

  async recordAttempt(delivery: Delivery, response: DeliveryResponse, status: DeliveryStatus): Promise<void> {
    await this.collection.updateOne(
      { _id: delivery.id },
      { $set: { status, lastResponse: response, ...(status === 'delivered' ? { deliveredAt: response.at } : {}) }, $inc: { attempts: 1 } },
    );
    if (status !== 'pending') await this.redis.zrem(this.orderKey(delivery.endpointId, delivery.memberId), delivery.id);
  }

  /** An erased member's past deliveries go with the rest of their data (the bodies name them). */
  async forgetMember(memberId: string): Promise<number> {
    const result = await this.collection.deleteMany({ memberId });
    return result.deletedCount;
  }

  /** Back in line for another round of attempts (a replay). */
  async reopen(delivery: Delivery): Promise<void> {
    await this.collection.updateOne({ _id: delivery.id }, { $set: { status: 'pending' } });
    const pipeline = this.redis.pipeline();
    this.queueOpen(pipeline, delivery);
    await pipeline.exec();
  }

  private queueOpen(pipeline: ReturnType<Redis['pipeline']>, delivery: Delivery): void {
    pipeline.zadd(this.orderKey(delivery.endpointId, delivery.memberId), delivery.order, delivery.id);
    pipeline.zadd(this.logKey(delivery.endpointId), delivery.createdAt.getTime(), delivery.id);
  }
}

function deliveryOf(doc: DeliveryDoc): Delivery {
  const { _id: id, ...rest } = doc;
  return { id, ...rest };
}
