/**
 * Delivers queued webhook deliveries: signed POSTs with the event id in a
 * header, retried with a capped exponential backoff for a day
 * (NUQTA_WEBHOOK_RETRY_HOURS), one member's events in the order they
 * happened. Runs in the worker processes beside scoring but in a queue of its
 * own, so a slow or dead receiver only ever holds its own deliveries.
 */
import axios from 'axios';
import { DelayedError, Queue, Worker, type Job, type JobsOptions } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from '../log.js';
import type { Metrics } from '../metrics.js';
import type { Delivery, DeliveryResponse, WebhookDeliveries } from './deliveries.js';
import type { WebhookEndpoint, WebhookEndpoints } from './endpoints.js';
import { WEBHOOK_QUEUE } from './outbox.js';
import { EVENT_ID_HEADER, SIGNATURE_HEADER, signatureHeader } from './signature.js';

export interface RetryPolicy {
  /** The first retry's delay; each next one doubles, up to `maxMs`. */
  baseMs: number;
  maxMs: number;
  /** Attempts go on for at least this long. */
  windowMs: number;
  /** One attempt's time limit. */
  timeoutMs: number;
}

/** How long a member's later delivery waits (at most) for an earlier one before it looks again. */
const ORDER_WAIT_MAX_MS = 60_000;
const ORDER_WAIT_MS = 500;
const CONCURRENCY = 16;
/** Characters of a receiver's answer kept in the delivery log. */
const KEPT_ANSWER = 500;

export function backoffMs(policy: RetryPolicy, attemptsMade: number): number {
  return Math.min(policy.baseMs * 2 ** Math.max(0, attemptsMade - 1), policy.maxMs);
}

/** Enough attempts that the last comes after `windowMs`. */
export function attemptsFor(policy: RetryPolicy): number {
  let attempts = 1;
  for (let waited = 0; waited < policy.windowMs; attempts += 1) waited += backoffMs(policy, attempts);
  return attempts;
}

export function webhookJobOptions(policy: RetryPolicy): JobsOptions {
  return {
    attempts: attemptsFor(policy),
    backoff: { type: 'custom' },
    removeOnComplete: { age: 24 * 3600 },
    removeOnFail: { age: 14 * 24 * 3600 },
  };
}

interface DeliveryJob {
  deliveryId: string;
  /** How many times it waited for an earlier delivery of the same member. */
  waits?: number;
}

export interface DeliveryWorkerDeps {
  connection: Redis;
  prefix: string;
  queue: Queue;
  endpoints: Pick<WebhookEndpoints, 'find' | 'refresh' | 'signingSecrets'>;
  deliveries: Pick<WebhookDeliveries, 'get' | 'firstInLine' | 'recordAttempt'>;
  policy: RetryPolicy;
  metrics: Metrics;
  logger: Logger;
}

export function startDeliveryWorker(deps: DeliveryWorkerDeps): Worker<DeliveryJob> {
  const worker = new Worker<DeliveryJob>(WEBHOOK_QUEUE, (job, token) => deliver(deps, job, token), {
    connection: deps.connection,
    prefix: deps.prefix,
    concurrency: CONCURRENCY,
    settings: { backoffStrategy: (attemptsMade: number) => backoffMs(deps.policy, attemptsMade) },
  });
  worker.on('error', (error) => deps.logger.debug({ err: error }, 'webhook worker error'));
  return worker;
}

async function deliver(deps: DeliveryWorkerDeps, job: Job<DeliveryJob>, token: string | undefined): Promise<string> {
  const delivery = await deps.deliveries.get(job.data.deliveryId);
  if (!delivery || delivery.status !== 'pending') return 'settled';
  await deps.endpoints.refresh();
  const endpoint = deps.endpoints.find(delivery.endpointId);
  if (!endpoint) {
    await deps.deliveries.recordAttempt(delivery, { error: 'the endpoint was removed', durationMs: 0, at: new Date() }, 'failed');
    return 'endpoint removed';
  }
  const first = await deps.deliveries.firstInLine(endpoint.id, delivery.memberId);
  if (first !== undefined && first !== delivery.id) {
    // An earlier event of this member is not through yet: wait, looking again less and less often.
    const waits = (job.data.waits ?? 0) + 1;
    await job.updateData({ ...job.data, waits });
    await job.moveToDelayed(Date.now() + Math.min(ORDER_WAIT_MS * 2 ** (waits - 1), ORDER_WAIT_MAX_MS), token);
    throw new DelayedError();
  }
  const response = await post(deps, endpoint, delivery);
  const delivered = response.status !== undefined && response.status >= 200 && response.status < 300;
  const last = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
  await deps.deliveries.recordAttempt(delivery, response, delivered ? 'delivered' : last ? 'failed' : 'pending');
  deps.metrics.webhookDeliveries.inc({ outcome: delivered ? 'delivered' : last ? 'failed' : 'retry' });
  if (delivered || last) await promoteNext(deps, endpoint.id, delivery.memberId);
  if (!delivered) throw new Error(response.error ?? `the receiver answered ${response.status ?? 'nothing'}`);
  return 'delivered';
}

async function post(deps: DeliveryWorkerDeps, endpoint: WebhookEndpoint, delivery: Delivery): Promise<DeliveryResponse> {
  const started = Date.now();
  const timestamp = Math.floor(started / 1000);
  try {
    const answer = await axios.post<string>(endpoint.url, delivery.body, {
      headers: {
        'content-type': 'application/json',
        'user-agent': 'nuqta-webhooks/1',
        [EVENT_ID_HEADER]: delivery.eventId,
        [SIGNATURE_HEADER]: signatureHeader(deps.endpoints.signingSecrets(endpoint.id, new Date(started)), timestamp, delivery.body),
      },
      timeout: deps.policy.timeoutMs,
      maxRedirects: 0,
      responseType: 'text',
      transformResponse: (body: string) => body,
      validateStatus: () => true,
    });
    return { status: answer.status, body: String(answer.data ?? '').slice(0, KEPT_ANSWER), durationMs: Date.now() - started, at: new Date() };
  } catch (error) {
    return { error: error instanceof Error ? error.message : String(error), durationMs: Date.now() - started, at: new Date() };
  }
}

/** The member's next delivery goes at once instead of at its next look. */
async function promoteNext(deps: DeliveryWorkerDeps, endpointId: string, memberId: string): Promise<void> {
  const next = await deps.deliveries.firstInLine(endpointId, memberId);
  if (next === undefined) return;
  const job = await deps.queue.getJob(next);
  if (job && (await job.isDelayed())) await job.promote().catch(() => undefined);
}
