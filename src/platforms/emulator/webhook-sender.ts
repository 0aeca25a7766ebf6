/**
 * Plays planned engagements against a nuqta instance the way the platforms
 * deliver webhooks: signed, several at a time, unordered, at least once
 * (optional duplicate re-deliveries), and retried with backoff when the
 * receiver answers 5xx or 429 (a 503 means "not durable yet, send again").
 */
import { Agent } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import axios, { type AxiosInstance } from 'axios';
import pLimit from 'p-limit';
import type { PlannedEngagement } from './planned-engagement.js';
import { createRandom } from './random.js';
import { DEFAULT_INSTAGRAM_BATCH, plannedDeliveries, type WebhookDelivery } from './webhook-payloads.js';

export interface WebhookSenderOptions {
  /** nuqta's base URL, e.g. `http://127.0.0.1:8080`. */
  baseUrl: string;
  instagramAppSecret: string;
  tiktokClientSecret: string;
  tiktokClientKey?: string;
  /** Deliveries in flight at once (default 8). */
  concurrency?: number;
  /** Changes per Instagram delivery (default 20). */
  instagramBatch?: number;
  /** Share of deliveries delivered a second time, later (default 0). */
  duplicateShare?: number;
  /** Retries after a 5xx, 429 or network failure (default 3). */
  maxRetries?: number;
  /** First retry delay; doubles each time (default 100 ms). */
  retryDelayMs?: number;
  timeoutMs?: number;
  /** Picks which deliveries are duplicated (default 1). */
  seed?: number;
  now?: () => Date;
  onProgress?: (report: Readonly<DeliveryReport>) => void;
}

export interface DeliveryReport {
  /** Distinct deliveries the platforms emitted. */
  deliveries: number;
  /** Of those, re-delivered once more. */
  duplicates: number;
  /** Final outcomes: deliveries plus duplicates. */
  sent: number;
  /** Answered 2xx. */
  accepted: number;
  /** Final non-2xx answers by status; `network` when no answer came. */
  rejected: Record<string, number>;
  /** Extra attempts after a retryable answer. */
  retries: number;
  /** Engagements announced by those deliveries (duplicates not counted). */
  engagements: number;
  /** Engagements no platform webhook announces (hashtag posts, Instagram deletions). */
  withoutWebhook: number;
}

export async function sendWebhooks(engagements: readonly PlannedEngagement[], options: WebhookSenderOptions): Promise<DeliveryReport> {
  const { deliveries, withoutWebhook } = plannedDeliveries(
    engagements,
    {
      instagramAppSecret: options.instagramAppSecret,
      tiktokClientSecret: options.tiktokClientSecret,
      tiktokClientKey: options.tiktokClientKey ?? 'emulated-client-key',
    },
    options.instagramBatch ?? DEFAULT_INSTAGRAM_BATCH,
  );
  const random = createRandom(options.seed ?? 1).fork('duplicates');
  const duplicates = deliveries.filter(() => random.chance(options.duplicateShare ?? 0));
  const report: DeliveryReport = {
    deliveries: deliveries.length,
    duplicates: duplicates.length,
    sent: 0,
    accepted: 0,
    rejected: {},
    retries: 0,
    engagements: deliveries.reduce((sum, d) => sum + d.engagements, 0),
    withoutWebhook,
  };
  const concurrency = options.concurrency ?? 8;
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  const client = axios.create({
    baseURL: options.baseUrl,
    timeout: options.timeoutMs ?? 10_000,
    httpAgent: agent,
    maxRedirects: 0,
    responseType: 'text',
    // The body must reach the receiver exactly as signed.
    transformRequest: [(data: unknown) => data],
    validateStatus: () => true,
  });
  const limit = pLimit(concurrency);
  try {
    // Duplicates queue behind the originals, so they arrive late and out of order, as re-deliveries do.
    await Promise.all([...deliveries, ...duplicates].map((delivery) => limit(() => deliverWithRetries(client, delivery, options, report))));
  } finally {
    agent.destroy();
  }
  return report;
}

async function deliverWithRetries(
  client: AxiosInstance,
  delivery: WebhookDelivery,
  options: WebhookSenderOptions,
  report: DeliveryReport,
): Promise<void> {
  const maxRetries = options.maxRetries ?? 3;
  const now = options.now ?? (() => new Date());
  let outcome = 'network';
  for (let attempt = 0; attempt <= maxRetries; attempt += 1) {
    if (attempt > 0) {
      report.retries += 1;
      await sleep((options.retryDelayMs ?? 100) * 2 ** (attempt - 1));
    }
    outcome = await post(client, delivery, now());
    if (!isRetryable(outcome)) break;
  }
  report.sent += 1;
  if (/^2\d\d$/.test(outcome)) report.accepted += 1;
  else report.rejected[outcome] = (report.rejected[outcome] ?? 0) + 1;
  options.onProgress?.(report);
}

/** The status as a string, or `network` when the receiver did not answer. */
async function post(client: AxiosInstance, delivery: WebhookDelivery, sentAt: Date): Promise<string> {
  try {
    const response = await client.post(delivery.path, delivery.body, { headers: delivery.headersAt(sentAt) });
    return String(response.status);
  } catch {
    return 'network';
  }
}

function isRetryable(outcome: string): boolean {
  return outcome === 'network' || outcome === '429' || outcome.startsWith('5');
}
