/**
 * A real nuqta for one test file: its own MongoDB database and queue prefix on
 * the shared Redis and MongoDB-wire servers, cleaned up afterwards.
 */
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { MongoClient } from 'mongodb';
import type { NuqtaConfig } from '../../src/config/env.js';
import { createLogger } from '../../src/log.js';
import { readConfig } from '../../src/main.js';
import { openFromConfig, startRunning, type Running } from '../../src/runtime.js';

export const TEST_SECRETS = {
  IG_APP_SECRET: 'test-app-secret-1234',
  IG_VERIFY_TOKEN: 'test-verify-token',
  TIKTOK_CLIENT_SECRET: 'test-tiktok-secret-1234',
  ingestKey: 'ingest-key-0123456789abcdef',
  adminKey: 'admin-key-0123456789abcdefgh',
  readerKey: 'reader-key-0123456789abcdef',
  reviewerKey: 'reviewer-key-0123456789abcd',
  redeemKey: 'redeem-key-0123456789abcdef',
  metricsKey: 'metrics-key-0123456789abcde',
} as const;

/** Every role's unscoped test key, as `NUQTA_API_KEYS` lists them. */
export const TEST_API_KEYS = [
  `ingest:${TEST_SECRETS.ingestKey}`, `admin:${TEST_SECRETS.adminKey}`, `reader:${TEST_SECRETS.readerKey}`,
  `reviewer:${TEST_SECRETS.reviewerKey}`, `redeem:${TEST_SECRETS.redeemKey}`, `metrics:${TEST_SECRETS.metricsKey}`,
].join(',');

export const MONGO_BASE = 'mongodb://127.0.0.1:27017';
export const REDIS_BASE = 'redis://127.0.0.1:6379';

export function testConfig(name: string, env: Record<string, string> = {}): NuqtaConfig {
  const id = `${name.replace(/[^a-z0-9]/gi, '_').slice(0, 24)}_${randomBytes(3).toString('hex')}`;
  return readConfig({
    MONGODB_URI: `${MONGO_BASE}/t_${id}`,
    REDIS_URL: REDIS_BASE,
    NUQTA_QUEUE_PREFIX: `t_${id}`,
    PORT: '0',
    NUQTA_CAMPAIGNS: 'config/campaigns',
    IG_APP_SECRET: TEST_SECRETS.IG_APP_SECRET,
    IG_VERIFY_TOKEN: TEST_SECRETS.IG_VERIFY_TOKEN,
    TIKTOK_CLIENT_SECRET: TEST_SECRETS.TIKTOK_CLIENT_SECRET,
    NUQTA_API_KEYS: TEST_API_KEYS,
    // Test files send bursts from one address; the rate-limit tests set their own.
    NUQTA_RATE_LIMIT: '1000000',
    LOG_LEVEL: 'silent',
    ...env,
  });
}

export interface TestNuqta extends Running {
  url: string;
  config: NuqtaConfig;
  cleanup(): Promise<void>;
}

export async function startTestNuqta(name: string, options: { env?: Record<string, string>; work?: boolean } = {}): Promise<TestNuqta> {
  const config = testConfig(name, options.env);
  const nuqta = await openFromConfig(config, createLogger('silent'));
  const running = await startRunning(nuqta, { serve: true, work: options.work ?? true });
  return {
    ...running,
    url: running.url ?? '',
    config,
    async cleanup() {
      await running.stop();
      await dropTestData(config);
    },
  };
}

/** Drops the test database and every Redis key under the test's prefix. */
export async function dropTestData(config: NuqtaConfig): Promise<void> {
  const mongo = new MongoClient(config.MONGODB_URI);
  await mongo.connect();
  await mongo.db().dropDatabase();
  await mongo.close();
  const redis = new Redis(config.REDIS_URL, { maxRetriesPerRequest: 1 });
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${config.NUQTA_QUEUE_PREFIX}:*`, 'COUNT', 500);
      if (keys.length > 0) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

/** Polls until `check` returns a value other than undefined, or fails after `timeoutMs`. */
export async function eventually<T>(check: () => Promise<T | undefined>, timeoutMs = 15_000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
}

/** What a Prometheus scrape with the metrics key reads. */
export async function scrapeMetrics(url: string): Promise<string> {
  const response = await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${TEST_SECRETS.metricsKey}` } });
  if (response.status !== 200) throw new Error(`GET /metrics answered ${response.status}`);
  return response.text();
}
