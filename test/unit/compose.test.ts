import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { envSchema } from '../../src/config/env.js';

interface ComposeService {
  image?: string;
  build?: string;
  command?: string[];
  environment?: Record<string, string>;
  ports?: string[];
}

const compose = parse(await readFile('docker-compose.yml', 'utf8'), { merge: true }) as { services: Record<string, ComposeService> };
const dockerfile = await readFile('Dockerfile', 'utf8');
const knownNames = Object.keys(envSchema.shape);

describe('docker-compose.yml', () => {
  it('runs the app, a worker, Redis 7 and MongoDB 7', () => {
    expect(Object.keys(compose.services).sort()).toEqual(['app', 'mongo', 'redis', 'worker']);
    expect(compose.services.redis?.image).toBe('redis:7');
    expect(compose.services.mongo?.image).toBe('mongo:7');
    expect(compose.services.redis?.command).toContain('--appendonly');
    expect(compose.services.app?.command).toEqual(['serve']);
    expect(compose.services.worker?.command).toEqual(['work']);
  });

  it('gives the app and worker only environment names the env schema knows, with valid values', () => {
    for (const name of ['app', 'worker'] as const) {
      const environment = compose.services[name]?.environment ?? {};
      expect(Object.keys(environment).filter((key) => !knownNames.includes(key))).toEqual([]);
      for (const required of ['MONGODB_URI', 'REDIS_URL', 'IG_APP_SECRET', 'IG_VERIFY_TOKEN']) expect(environment).toHaveProperty(required);
      const concrete = Object.fromEntries(Object.entries(environment).filter(([, value]) => !String(value).startsWith('${')));
      expect(envSchema.safeParse(concrete).success).toBe(true);
    }
  });

  it('publishes the app on the PORT it configures, which the Dockerfile exposes and health-checks', () => {
    const port = compose.services.app?.environment?.PORT;
    expect(compose.services.app?.ports).toEqual([`${port}:${port}`]);
    expect(dockerfile).toContain(`EXPOSE ${port}`);
    expect(dockerfile).toMatch(/HEALTHCHECK[\s\S]*\/healthz/);
    expect(dockerfile).toMatch(/^USER node$/m);
  });
});
