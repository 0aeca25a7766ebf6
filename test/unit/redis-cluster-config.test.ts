import { describe, expect, it } from 'vitest';
import { readConfig } from '../../src/main.js';

describe('NUQTA_REDIS_CLUSTER', () => {
  it('lists the masters and makes the key prefix a hash tag, once', () => {
    const config = readConfig({ NUQTA_REDIS_CLUSTER: '127.0.0.1:7001,redis-b.internal:7002', NUQTA_QUEUE_PREFIX: 'souq' });
    expect(config.NUQTA_REDIS_CLUSTER).toEqual([{ host: '127.0.0.1', port: 7001 }, { host: 'redis-b.internal', port: 7002 }]);
    expect(config.NUQTA_QUEUE_PREFIX).toBe('{souq}');
    // A child process handed the tagged prefix keeps it as it is.
    expect(readConfig({ NUQTA_REDIS_CLUSTER: '127.0.0.1:7001', NUQTA_QUEUE_PREFIX: '{souq}' }).NUQTA_QUEUE_PREFIX).toBe('{souq}');
  });

  it('leaves the prefix alone on a single Redis', () => {
    expect(readConfig({ NUQTA_QUEUE_PREFIX: 'souq' }).NUQTA_QUEUE_PREFIX).toBe('souq');
  });

  it('names the variable when a node is not host:port', () => {
    expect(() => readConfig({ NUQTA_REDIS_CLUSTER: '127.0.0.1' })).toThrow(/NUQTA_REDIS_CLUSTER: must be host:port pairs/);
    expect(() => readConfig({ NUQTA_QUEUE_PREFIX: '{souq' })).toThrow(/NUQTA_QUEUE_PREFIX/);
  });
});
