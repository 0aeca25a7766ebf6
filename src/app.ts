/**
 * Opens the connections and builds every store once; API, workers, CLI and
 * tests all get their dependencies from here. No other module connects.
 */
import { Redis } from 'ioredis';
import { MongoClient, type Db } from 'mongodb';
import { CampaignRegistry } from './config/campaign-registry.js';
import type { LoadedCampaign } from './config/campaign-loader.js';
import type { NuqtaConfig } from './config/env.js';
import { MongoEventStore } from './ingestion/event-store.js';
import { IngestQueue } from './ingestion/ingest-queue.js';
import { RedisLeaderboardIndex } from './leaderboard/leaderboard-index.js';
import { MongoLedgerStore } from './ledger/ledger-store.js';
import { MongoMemberStore } from './ledger/member-store.js';
import type { Logger } from './log.js';
import { Metrics } from './metrics.js';
import { MongoDecisionStore } from './scoring/decision-store.js';
import { EventScorer, type DecideAwards } from './scoring/event-scorer.js';

export interface Nuqta {
  config: NuqtaConfig;
  logger: Logger;
  metrics: Metrics;
  campaigns: CampaignRegistry;
  mongo: MongoClient;
  db: Db;
  /** Fails fast while Redis is down, so requests answer 503 instead of hanging. */
  redis: Redis;
  queue: IngestQueue;
  events: MongoEventStore;
  ledger: MongoLedgerStore;
  members: MongoMemberStore;
  decisions: MongoDecisionStore;
  leaderboard: RedisLeaderboardIndex;
  scorer: EventScorer;
  /** A connection for blocking BullMQ workers (waits through Redis outages). */
  workerConnection(): Redis;
  close(): Promise<void>;
}

export interface OpenOptions {
  config: NuqtaConfig;
  campaigns: readonly LoadedCampaign[];
  logger: Logger;
  decide: DecideAwards;
}

export async function openNuqta({ config, campaigns, logger, decide }: OpenOptions): Promise<Nuqta> {
  const mongo = new MongoClient(config.MONGODB_URI, { serverSelectionTimeoutMS: 5_000, appName: 'nuqta' });
  await mongo.connect();
  const db = mongo.db();
  const redis = new Redis(config.REDIS_URL, { enableOfflineQueue: false, maxRetriesPerRequest: 1, lazyConnect: true });
  redis.on('error', (error) => logger.debug({ err: error }, 'redis connection error'));
  await redis.connect().catch((error: unknown) => logger.warn({ err: error }, 'Redis is not reachable yet; webhooks answer 503 until it is'));
  const workerConnections: Redis[] = [];

  const metrics = new Metrics();
  const events = new MongoEventStore(db);
  const ledger = new MongoLedgerStore(db);
  const members = new MongoMemberStore(db);
  const decisions = new MongoDecisionStore(db);
  await Promise.all([events.ensureIndexes(), ledger.ensureIndexes(), members.ensureIndexes()]);
  const leaderboard = new RedisLeaderboardIndex(redis, config.NUQTA_QUEUE_PREFIX);
  const queue = new IngestQueue(redis, config.NUQTA_QUEUE_PREFIX);
  const scorer = new EventScorer({ decide, ledger, members, decisions, leaderboard, metrics, logger });

  return {
    config, logger, metrics, campaigns: new CampaignRegistry(campaigns), mongo, db, redis, queue,
    events, ledger, members, decisions, leaderboard, scorer,
    workerConnection() {
      const connection = new Redis(config.REDIS_URL, { maxRetriesPerRequest: null });
      connection.on('error', (error) => logger.debug({ err: error }, 'redis worker connection error'));
      workerConnections.push(connection);
      return connection;
    },
    async close() {
      await queue.close();
      await Promise.all(workerConnections.map((connection) => connection.quit().catch(() => connection.disconnect())));
      await redis.quit().catch(() => redis.disconnect());
      await mongo.close();
    },
  };
}
