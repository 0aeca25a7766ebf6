/**
 * Where a person's data could still be: every document of every collection
 * and every Redis key under the test's prefix, read whole, for erasure tests.
 */
import type { Redis } from 'ioredis';
import type { TestNuqta } from './test-nuqta.js';

/** Every stored string, per collection: the documents as JSON. */
async function mongoDump(app: TestNuqta): Promise<Map<string, string>> {
  const dump = new Map<string, string>();
  for (const { name } of await app.nuqta.db.listCollections().toArray()) {
    dump.set(name, JSON.stringify(await app.nuqta.db.collection(name).find().toArray()));
  }
  return dump;
}

/** Every key under the test's prefix with its value, whatever its type. */
async function redisDump(redis: Redis, prefix: string): Promise<Map<string, string>> {
  const dump = new Map<string, string>();
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 500);
    for (const key of keys) {
      const type = await redis.type(key);
      const value =
        type === 'string' ? await redis.get(key)
          : type === 'hash' ? await redis.hgetall(key)
            : type === 'list' ? await redis.lrange(key, 0, -1)
              : type === 'set' ? await redis.smembers(key)
                : type === 'zset' ? await redis.zrange(key, 0, -1)
                  : type === 'stream' ? await redis.xrange(key, '-', '+')
                    : `unread ${type}`;
      dump.set(key, JSON.stringify(value));
    }
    cursor = next;
  } while (cursor !== '0');
  return dump;
}

/** Where any of `needles` still appears: `collection` or `redis key`, with the needle. */
export async function findEverywhere(app: TestNuqta, needles: readonly string[]): Promise<string[]> {
  const found: string[] = [];
  const lower = needles.map((needle) => needle.toLowerCase());
  for (const [collection, documents] of await mongoDump(app)) {
    for (const needle of lower) if (documents.toLowerCase().includes(needle)) found.push(`mongo ${collection}: ${needle}`);
  }
  for (const [key, value] of await redisDump(app.nuqta.redis, app.config.NUQTA_QUEUE_PREFIX)) {
    for (const needle of lower) if (`${key} ${value}`.toLowerCase().includes(needle)) found.push(`redis ${key}: ${needle}`);
  }
  return found;
}
