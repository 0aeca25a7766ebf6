/**
 * The environment contract (DESIGN.md "Configuration"). Parsed once by
 * src/main.ts; nothing else reads the environment.
 */
import { z } from 'zod';
import { apiKeysSchema } from './api-keys.js';
import { clusterNodesSchema, hashTagged } from './redis-cluster.js';

const optionalSecret = z.string().min(8, 'must be at least 8 characters').optional();

/** 32 bytes for AES-256-GCM, written as base64 or hex; needed only once accounts are connected. */
const tokenKey = z
  .string()
  .regex(/^(?:[0-9a-fA-F]{64}|[A-Za-z0-9+/]{43}=?)$/, 'must be 32 bytes written as base64 or hex (openssl rand -base64 32)')
  .optional();
const baseUrl = (fallback: string) => z.string().url('must be a URL such as https://host').transform((value) => value.replace(/\/+$/, '')).default(fallback);

export const envSchema = z.object({
  MONGODB_URI: z.string().regex(/^mongodb(\+srv)?:\/\//, 'must be a mongodb:// URI').default('mongodb://127.0.0.1:27017/nuqta'),
  REDIS_URL: z.string().regex(/^rediss?:\/\//, 'must be a redis:// URI').default('redis://127.0.0.1:6379'),
  // A Redis Cluster instead of REDIS_URL: some of its masters as host:port,… (key names become hash-tagged, see redis-cluster.ts).
  NUQTA_REDIS_CLUSTER: clusterNodesSchema.optional(),
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  HOST: z.string().min(1).default('127.0.0.1'),
  NUQTA_CAMPAIGNS: z.string().min(1).default('config/campaigns'),
  NUQTA_QUEUE_PREFIX: z.string().regex(/^([a-zA-Z0-9_-]+|\{[a-zA-Z0-9_-]+\})$/, 'letters, digits, "-" and "_" only, or all of them in braces (a Redis Cluster hash tag)').default('nuqta'),
  IG_APP_SECRET: optionalSecret,
  IG_VERIFY_TOKEN: z.string().min(1).optional(),
  TIKTOK_CLIENT_SECRET: optionalSecret,
  NUQTA_API_KEYS: apiKeysSchema,
  // Keys the audit fingerprints of API keys; without it one is made and kept in the database.
  NUQTA_SECRET: z.string().min(32, 'must be at least 32 characters (openssl rand -base64 32)').optional(),
  NUQTA_TOKEN_KEY: tokenKey,
  // The key NUQTA_TOKEN_KEY replaces, still read until `nuqta accounts rekey` has re-encrypted every token.
  NUQTA_PREVIOUS_TOKEN_KEY: tokenKey,
  // Where the platforms' APIs live: the real hosts by default, the emulator's URL in tests and demos.
  IG_GRAPH_URL: baseUrl('https://graph.facebook.com'),
  IG_LOGIN_GRAPH_URL: baseUrl('https://graph.instagram.com'),
  IG_GRAPH_VERSION: z.string().regex(/^v\d+\.\d+$/, 'must look like v21.0').default('v21.0'),
  TIKTOK_BUSINESS_URL: baseUrl('https://business-api.tiktok.com'),
  TIKTOK_BUSINESS_VERSION: z.string().regex(/^v\d+\.\d+$/, 'must look like v1.3').default('v1.3'),
  // TikTok's OAuth host (`POST /v2/oauth/token/` refreshes access tokens) and the app's client key; the secret is TIKTOK_CLIENT_SECRET.
  TIKTOK_OAUTH_URL: baseUrl('https://open.tiktokapis.com'),
  TIKTOK_CLIENT_KEY: z.string().min(1).optional(),
  // Where followers and staff reach the pages (follower links are printed with it); default http://HOST:PORT.
  NUQTA_PUBLIC_URL: z.string().url('must be a URL such as https://points.example.com').transform((value) => value.replace(/\/+$/, '')).optional(),
  NUQTA_POLL_INTERVAL_SECONDS: z.coerce.number().int().min(1).max(86_400).default(300),
  // How often the workers expire points of campaigns with `expiry`; 0 turns the schedule off (`nuqta expire` still runs it).
  NUQTA_EXPIRY_EVERY_MINUTES: z.coerce.number().int().min(0).max(7 * 24 * 60).default(60),
  // Jobs a partition consumer scores together (1: one at a time, the baseline the benchmark compares with).
  NUQTA_BATCH_SIZE: z.coerce.number().int().min(1).max(5_000).default(500),
  // How long a worker process that died keeps its partitions (and its jobs' locks half as long again).
  NUQTA_PARTITION_LEASE_SECONDS: z.coerce.number().int().min(2).max(300).default(10),
  // How far into the future an event posted through the API may be dated (clock skew between the brand's systems and ours).
  NUQTA_MAX_CLOCK_SKEW_SECONDS: z.coerce.number().int().min(0).max(86_400).default(600),
  // Requests a minute per client address on public reads (five times this on routes that need a key).
  NUQTA_RATE_LIMIT: z.coerce.number().int().min(1).max(1_000_000).default(120),
  // Outbound webhooks: the first retry's delay (doubling up to the maximum), how long retries go on, one attempt's limit.
  NUQTA_WEBHOOK_BACKOFF_SECONDS: z.coerce.number().min(0.01).max(3_600).default(10),
  NUQTA_WEBHOOK_BACKOFF_MAX_SECONDS: z.coerce.number().min(0.01).max(86_400).default(3_600),
  NUQTA_WEBHOOK_RETRY_HOURS: z.coerce.number().min(0).max(24 * 14).default(24),
  NUQTA_WEBHOOK_TIMEOUT_SECONDS: z.coerce.number().min(0.1).max(60).default(10),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

/** The environment as nuqta runs with it: on a Redis Cluster the key prefix is a hash tag. */
export const configSchema = envSchema.transform((config) =>
  (config.NUQTA_REDIS_CLUSTER === undefined ? config : { ...config, NUQTA_QUEUE_PREFIX: hashTagged(config.NUQTA_QUEUE_PREFIX) }));

export type NuqtaConfig = z.infer<typeof configSchema>;

/** Secret values never logged; pino redacts these paths. */
export const SECRET_CONFIG_KEYS = ['IG_APP_SECRET', 'IG_VERIFY_TOKEN', 'TIKTOK_CLIENT_SECRET', 'NUQTA_API_KEYS', 'NUQTA_TOKEN_KEY', 'NUQTA_PREVIOUS_TOKEN_KEY', 'NUQTA_SECRET'] as const;
