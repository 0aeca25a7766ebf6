/**
 * Opens a Redis connection: one server at REDIS_URL, or a Redis Cluster
 * when NUQTA_REDIS_CLUSTER lists its masters. Only app.ts connects.
 */
import { Cluster, Redis } from 'ioredis';
import type { NuqtaConfig } from './config/env.js';

export interface ConnectionOptions {
  /** false: commands fail at once while Redis is down, instead of waiting. */
  enableOfflineQueue?: boolean;
  /** null for blocking BullMQ workers, which wait through outages. */
  maxRetriesPerRequest: number | null;
  lazyConnect?: boolean;
}

/**
 * A Cluster speaks the same commands as a single server for keys in one slot,
 * which is all nuqta sends (its key prefix is a hash tag on a cluster), and
 * BullMQ takes either; so the stores keep their `Redis` type.
 */
export function redisConnection(config: Pick<NuqtaConfig, 'REDIS_URL' | 'NUQTA_REDIS_CLUSTER'>, options: ConnectionOptions): Redis {
  if (config.NUQTA_REDIS_CLUSTER === undefined) return new Redis(config.REDIS_URL, options);
  const { maxRetriesPerRequest, ...clusterOptions } = options;
  return new Cluster(config.NUQTA_REDIS_CLUSTER, { ...clusterOptions, redisOptions: { maxRetriesPerRequest } }) as unknown as Redis;
}
