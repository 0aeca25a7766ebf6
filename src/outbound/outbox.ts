/**
 * The outbox: a Redis stream the ledger writer appends to in the same
 * pipeline as the member records, before them, so a record that includes an
 * entry means the entry's events are in the outbox (and a commit cut short
 * before either is caught up from the ledger, events and all). The
 * dispatcher reads it in a consumer group, turns each event into one delivery
 * per subscribed endpoint and queues them; an event read twice (a dispatcher
 * that died before acknowledging) makes no second delivery.
 */
import { Queue } from 'bullmq';
import type { ChainableCommander, Redis } from 'ioredis';
import type { Campaign } from '../config/campaign-schema.js';
import type { Announcement, OutboxSink, WrittenEntry } from '../ledger/ledger-writer.js';
import type { Logger } from '../log.js';
import type { WebhookDeliveries, Delivery } from './deliveries.js';
import type { WebhookEndpoints } from './endpoints.js';
import { eventOfAnnouncement, eventsOfEntry, type OutboxItem } from './outbound-event.js';

const GROUP = 'dispatch';
/** An entry a dispatcher read but did not acknowledge for this long is taken over by another. */
const CLAIM_IDLE_MS = 30_000;
const READ_COUNT = 500;
const BLOCK_MS = 1_000;
/** The stream is trimmed to about this many entries (acknowledged ones long gone by then). */
const STREAM_LENGTH = 1_000_000;

export const WEBHOOK_QUEUE = 'webhooks';

export function outboxKey(prefix: string): string {
  return `${prefix}:outbox`;
}

export class RedisOutbox implements OutboxSink {
  constructor(private readonly redis: Redis, private readonly endpoints: Pick<WebhookEndpoints, 'listens'>, private readonly prefix: string) {}

  /** Announcements made outside a batch (an erasure, which runs alone). */
  async announce(announcements: readonly Announcement[]): Promise<void> {
    const listened = announcements.filter((announcement) => this.listens(announcement.campaignId));
    if (listened.length === 0) return;
    const pipeline = this.redis.pipeline();
    this.queue(pipeline, [], listened);
    await pipeline.exec();
  }

  listens(campaignId: string): boolean {
    return this.endpoints.listens(campaignId);
  }

  queue(pipeline: ChainableCommander, written: readonly { campaign: Campaign; entry: WrittenEntry }[], announcements: readonly Announcement[]): void {
    // Announcements after the same entry of the same member keep the order they were made in.
    const made = new Map<string, number>();
    const items = [
      ...written.flatMap(({ campaign, entry }) => eventsOfEntry(entry, campaign.rewards)),
      ...announcements.map((announcement) => {
        const after = `${announcement.campaignId}|${announcement.memberId}|${announcement.afterSeq}`;
        const index = made.get(after) ?? 0;
        made.set(after, index + 1);
        return eventOfAnnouncement(announcement, index);
      }),
    ];
    for (const item of items) pipeline.xadd(outboxKey(this.prefix), 'MAXLEN', '~', STREAM_LENGTH, '*', 'item', JSON.stringify(item));
  }
}

export interface DispatcherDeps {
  /** A connection of its own: the dispatcher blocks on it. */
  connection: Redis;
  prefix: string;
  endpoints: Pick<WebhookEndpoints, 'subscribed' | 'refresh'>;
  deliveries: Pick<WebhookDeliveries, 'create'>;
  queue: Queue;
  logger: Logger;
  /** Names this process in the consumer group. */
  consumer: string;
}

type StreamReply = [string, [string, string[]][]][] | null;

/** Reads the outbox until stopped; returns the stop function. */
export function startDispatcher(deps: DispatcherDeps): () => Promise<void> {
  let running = true;
  const stream = outboxKey(deps.prefix);
  const loop = (async () => {
    await deps.connection.xgroup('CREATE', stream, GROUP, '0', 'MKSTREAM').catch((error: unknown) => {
      if (!String(error).includes('BUSYGROUP')) throw error;
    });
    while (running) {
      try {
        const claimed = (await deps.connection.xautoclaim(stream, GROUP, deps.consumer, CLAIM_IDLE_MS, '0-0', 'COUNT', READ_COUNT)) as [string, [string, string[]][]];
        if (claimed[1].length > 0) await dispatch(deps, stream, claimed[1]);
        const read = (await deps.connection.xreadgroup('GROUP', GROUP, deps.consumer, 'COUNT', READ_COUNT, 'BLOCK', BLOCK_MS, 'STREAMS', stream, '>')) as StreamReply;
        for (const [, messages] of read ?? []) await dispatch(deps, stream, messages);
      } catch (error) {
        if (!running) break;
        deps.logger.warn({ err: error }, 'outbox dispatch failed; retrying');
        await new Promise((resolve) => setTimeout(resolve, BLOCK_MS));
      }
    }
  })();
  return async () => {
    running = false;
    await loop.catch(() => undefined);
  };
}

async function dispatch(deps: DispatcherDeps, stream: string, messages: [string, string[]][]): Promise<void> {
  await deps.endpoints.refresh();
  const targets = messages.flatMap(([, fields]) => {
    const item = JSON.parse(fields[1] ?? 'null') as OutboxItem | null;
    return item ? deps.endpoints.subscribed(item.event.campaignId, item.event.type).map((endpoint) => ({ endpoint, item })) : [];
  });
  const fresh = await deps.deliveries.create(targets, new Date());
  await queueDeliveries(deps.queue, fresh);
  if (messages.length > 0) await deps.connection.xack(stream, GROUP, ...messages.map(([id]) => id));
}

/** Sends a delivery again (same event id), as a job of its own. */
export async function replayDelivery(deliveries: Pick<WebhookDeliveries, 'reopen'>, queue: Queue, delivery: Delivery, now: Date): Promise<void> {
  await deliveries.reopen(delivery);
  await queueDeliveries(queue, [delivery], `.replay-${now.getTime()}`);
}

export async function queueDeliveries(queue: Queue, deliveries: readonly Delivery[], suffix = ''): Promise<void> {
  if (deliveries.length === 0) return;
  await queue.addBulk(deliveries.map((delivery) => ({ name: delivery.type, data: { deliveryId: delivery.id }, opts: { jobId: `${delivery.id}${suffix}` } })));
}
