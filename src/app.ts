/**
 * Opens the connections and builds every store once; API, workers, CLI and
 * tests all get their dependencies from here. No other module connects, and
 * only the wiring (cli, runtime, command files, the API plugins) knows this
 * object: everything below takes the narrow interfaces it uses.
 */
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { MongoClient, type Db } from 'mongodb';
import { CampaignCatalog } from './config/campaign-catalog.js';
import { CampaignRegistry } from './config/campaign-registry.js';
import { MongoCampaignStore } from './config/campaign-store.js';
import type { LoadedCampaign } from './config/campaign-loader.js';
import type { NuqtaConfig } from './config/env.js';
import { serverSecretOf } from './config/server-secret.js';
import { MongoEventStore } from './ingestion/event-store.js';
import { IngestQueue } from './ingestion/ingest-queue.js';
import { PollScheduler } from './ingestion/pollers.js';
import { BoardSink } from './leaderboard/board-sink.js';
import { RedisLeaderboardIndex } from './leaderboard/leaderboard-index.js';
import { MongoLedgerStore } from './ledger/ledger-store.js';
import { LedgerWriter } from './ledger/ledger-writer.js';
import { MemberDirectory } from './ledger/member-directory.js';
import { RedisMemberStates } from './ledger/member-states.js';
import { MongoRedemptionStore } from './ledger/redemption-store.js';
import { RedisRewardStock } from './ledger/reward-stock.js';
import { Vouchers } from './ledger/vouchers.js';
import { ReferralCounters } from './referrals/code-uses.js';
import { ReferralCodes } from './referrals/codes.js';
import { ReferralOrders } from './referrals/orders.js';
import type { Logger } from './log.js';
import { Metrics } from './metrics.js';
import { redisConnection } from './redis-connection.js';
import { MongoAccountStore } from './platforms/accounts/account-store.js';
import { MongoPollStateStore } from './platforms/accounts/poll-state-store.js';
import { TokenCipher } from './platforms/accounts/token-cipher.js';
import { WebhookDeliveries } from './outbound/deliveries.js';
import { webhookJobOptions, type RetryPolicy } from './outbound/delivery-worker.js';
import { WebhookEndpoints } from './outbound/endpoints.js';
import { RedisOutbox, WEBHOOK_QUEUE } from './outbound/outbox.js';
import { MongoErasureStore } from './privacy/erasure-store.js';
import { Tombstones } from './privacy/tombstones.js';
import { MongoBlockList } from './review/block-list.js';
import { MongoClearances } from './review/clearances.js';
import { FlagStore } from './review/flag-store.js';
import { ReviewStore } from './review/review-store.js';
import { MongoDecisionStore } from './scoring/decision-store.js';
import { RedisFraudHistory } from './scoring/fraud-history.js';

export interface Nuqta {
  config: NuqtaConfig;
  /** Keys nuqta's keyed hashes (config/server-secret.ts). */
  secret: Buffer;
  logger: Logger;
  metrics: Metrics;
  /** The campaigns as this process scores with them (kept current by the catalog). */
  campaigns: CampaignRegistry;
  /** Stored campaign revisions: changes through the API and `nuqta campaigns`, and reloads. */
  catalog: CampaignCatalog;
  mongo: MongoClient;
  db: Db;
  /** Fails fast while Redis is down, so requests answer 503 instead of hanging. */
  redis: Redis;
  queue: IngestQueue;
  events: MongoEventStore;
  ledger: MongoLedgerStore;
  /** Who took part in each campaign (MongoDB). */
  directory: MemberDirectory;
  /** Members' records: identity and state folded from the ledger (Redis, beside the boards). */
  states: RedisMemberStates;
  /** The one writer of the ledger, the member records and the boards. */
  writer: LedgerWriter;
  decisions: MongoDecisionStore;
  leaderboard: RedisLeaderboardIndex;
  /** Recent-activity windows the fraud scorer reads (Redis). */
  fraudHistory: RedisFraudHistory;
  /** Review flags of held awards, and the queue of open ones. */
  flags: FlagStore;
  /** Audit trail of review decisions and block-list changes. */
  reviews: ReviewStore;
  blocks: MongoBlockList;
  /** What reviewers' approvals cleared members of, for a while. */
  clearances: MongoClearances;
  /** Privacy erasure requests (they never name the person). */
  erasures: MongoErasureStore;
  tombstones: Tombstones;
  /** Redemption answers by idempotency key. */
  redemptions: MongoRedemptionStore;
  /** Units of rewards taken (Redis), never oversold. */
  stock: RedisRewardStock;
  /** Voucher codes rewards issue: pools, who holds which, used or cancelled. */
  vouchers: Vouchers;
  /** Referral and influencer codes, their use counters (Redis) and the orders that named them. */
  referralCodes: ReferralCodes;
  referralCounters: ReferralCounters;
  referralOrders: ReferralOrders;
  /** Connected Instagram and TikTok accounts, tokens encrypted with NUQTA_TOKEN_KEY. */
  accounts: MongoAccountStore;
  /** Pollers' watermarks, backfill cursors and hashtag candidates. */
  pollState: MongoPollStateStore;
  /** Poll schedules per account and queued mention lookups. */
  polls: PollScheduler;
  /** Brands' webhook endpoints, the outbox the writer feeds, the delivery log and queue. */
  outbound: { endpoints: WebhookEndpoints; outbox: RedisOutbox; deliveries: WebhookDeliveries; queue: Queue; policy: RetryPolicy };
  /** A connection for blocking BullMQ workers (waits through Redis outages). */
  workerConnection(): Redis;
  close(): Promise<void>;
}

export interface OpenOptions {
  config: NuqtaConfig;
  /** The campaign files: stored as revisions where new or changed (config/campaign-catalog.ts). */
  campaigns: readonly LoadedCampaign[];
  logger: Logger;
}

export async function openNuqta({ config, campaigns, logger }: OpenOptions): Promise<Nuqta> {
  const mongo = new MongoClient(config.MONGODB_URI, { serverSelectionTimeoutMS: 5_000, appName: 'nuqta' });
  await mongo.connect();
  const db = mongo.db();
  const redis = redisConnection(config, { enableOfflineQueue: false, maxRetriesPerRequest: 1, lazyConnect: true });
  redis.on('error', (error) => logger.debug({ err: error }, 'redis connection error'));
  await redis.connect().catch((error: unknown) => logger.warn({ err: error }, 'Redis is not reachable yet; webhooks answer 503 until it is'));
  const workerConnections: Redis[] = [];
  const workerConnection = (): Redis => {
    const connection = redisConnection(config, { maxRetriesPerRequest: null });
    connection.on('error', (error) => logger.debug({ err: error }, 'redis worker connection error'));
    workerConnections.push(connection);
    return connection;
  };
  const prefix = config.NUQTA_QUEUE_PREFIX;
  const secret = await serverSecretOf(db, config.NUQTA_SECRET);

  const events = new MongoEventStore(db);
  const ledger = new MongoLedgerStore(db);
  const blocks = new MongoBlockList(db, redis, prefix);
  await Promise.all([events.ensureIndexes(), ledger.ensureIndexes(), blocks.adoptUnscoped()]);
  const directory = new MemberDirectory(db);
  const states = new RedisMemberStates(redis, prefix);
  const leaderboard = new RedisLeaderboardIndex(redis, prefix);
  const endpoints = new WebhookEndpoints(db, redis, prefix, secret);
  await endpoints.refresh().catch((error: unknown) => logger.debug({ err: error }, 'webhook endpoints not loaded yet'));
  const outbox = new RedisOutbox(redis, endpoints, prefix);
  const policy: RetryPolicy = {
    baseMs: config.NUQTA_WEBHOOK_BACKOFF_SECONDS * 1000,
    maxMs: config.NUQTA_WEBHOOK_BACKOFF_MAX_SECONDS * 1000,
    windowMs: config.NUQTA_WEBHOOK_RETRY_HOURS * 3_600_000,
    timeoutMs: config.NUQTA_WEBHOOK_TIMEOUT_SECONDS * 1000,
  };
  const webhookQueue = new Queue(WEBHOOK_QUEUE, { connection: redis, prefix, defaultJobOptions: webhookJobOptions(policy) });
  webhookQueue.on('error', (error) => logger.debug({ err: error }, 'webhook queue error'));
  const writer = new LedgerWriter({ redis, ledger, directory, states, sink: new BoardSink(leaderboard), outbox });
  const queue = new IngestQueue(redis, prefix, workerConnection);
  const polls = new PollScheduler(redis, prefix, config.NUQTA_POLL_INTERVAL_SECONDS * 1000);
  const registry = new CampaignRegistry();
  const catalog = new CampaignCatalog({ store: new MongoCampaignStore(db), redis, prefix, registry, logger });
  await catalog.seed(campaigns);
  await catalog.load();

  return {
    config, secret, logger, metrics: new Metrics(), campaigns: registry, catalog, mongo, db, redis, queue,
    events, ledger, directory, states, writer, decisions: new MongoDecisionStore(db), leaderboard,
    fraudHistory: new RedisFraudHistory(redis, prefix),
    flags: new FlagStore(db, redis, prefix),
    reviews: new ReviewStore(db),
    blocks,
    clearances: new MongoClearances(db, redis, prefix),
    erasures: new MongoErasureStore(db),
    tombstones: new Tombstones(db, redis, prefix, secret),
    redemptions: new MongoRedemptionStore(db),
    stock: new RedisRewardStock(redis, prefix, ledger),
    vouchers: new Vouchers(db, redis, prefix, secret),
    referralCodes: new ReferralCodes(db, secret),
    referralCounters: new ReferralCounters(redis, prefix),
    referralOrders: new ReferralOrders(db),
    accounts: new MongoAccountStore(db, config.NUQTA_TOKEN_KEY === undefined ? undefined : TokenCipher.fromKey(config.NUQTA_TOKEN_KEY, config.NUQTA_PREVIOUS_TOKEN_KEY)),
    pollState: new MongoPollStateStore(db),
    polls,
    outbound: { endpoints, outbox, deliveries: new WebhookDeliveries(db, redis, prefix), queue: webhookQueue, policy },
    workerConnection,
    async close() {
      await queue.close();
      await webhookQueue.close();
      await polls.close();
      await Promise.all(workerConnections.map((connection) => connection.quit().catch(() => connection.disconnect())));
      await redis.quit().catch(() => redis.disconnect());
      await mongo.close();
    },
  };
}
