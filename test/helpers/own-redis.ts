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

/**
 * Below the kernel's ephemeral range (32768–60999 on Linux): a server that a
 * test stops and starts again keeps its port free meanwhile. On an ephemeral
 * port, a client retrying the stopped server can be handed that very port as
 * its own source port and connect to itself (TCP simultaneous open), which
 * holds the port and talks nonsense to the client until it gives up.
 */
const OWN_PORTS = { from: 20_000, to: 32_000 };

function bindable(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

export async function freePort(): Promise<number> {
  for (let attempt = 0; attempt < 200; attempt += 1) {
    const port = OWN_PORTS.from + Math.floor(Math.random() * (OWN_PORTS.to - OWN_PORTS.from));
    if (await bindable(port)) return port;
  }
  throw new Error(`no free port between ${OWN_PORTS.from} and ${OWN_PORTS.to}`);
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
