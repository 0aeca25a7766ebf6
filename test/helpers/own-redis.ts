/**
 * A private Redis 7 server for tests that stop and restart Redis; the shared
 * server on 6379 keeps serving the other test files.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

export interface OwnRedis {
  url: string;
  start(): Promise<void>;
  /** Stops the server the way a crash or restart would (AOF keeps what was acknowledged). */
  stop(): Promise<void>;
  remove(): void;
}

export async function ownRedis(): Promise<OwnRedis> {
  const port = await freePort();
  const dir = mkdtempSync(path.join(tmpdir(), 'nuqta-redis-'));
  const url = `redis://127.0.0.1:${port}`;
  const ping = async (): Promise<boolean> => {
    const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    client.on('error', () => undefined);
    try {
      await client.connect();
      return (await client.ping()) === 'PONG';
    } catch {
      return false;
    } finally {
      client.disconnect();
    }
  };
  const waitUntil = async (up: boolean): Promise<void> => {
    for (let attempt = 0; attempt < 100; attempt += 1) {
      if ((await ping()) === up) return;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`redis on ${port} did not come ${up ? 'up' : 'down'}`);
  };
  return {
    url,
    async start() {
      const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--appendonly', 'yes', '--appendfsync', 'always', '--save', ''], { stdio: 'ignore', detached: true });
      child.unref();
      await waitUntil(true);
    },
    async stop() {
      spawnSync('redis-cli', ['-p', String(port), 'shutdown', 'nosave']);
      await waitUntil(false);
    },
    remove() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
