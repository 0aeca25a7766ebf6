import { spawnSync } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { dropTestData, testConfig } from '../helpers/test-nuqta.js';

const config = testConfig('demo');

afterAll(async () => {
  await dropTestData(config);
});

describe('nuqta demo', () => {
  it('plays an emulated campaign end to end and prints the top 10 and where to look', () => {
    const result = spawnSync(process.execPath, ['bin/nuqta.js', 'demo', '--followers', '15', '--engagements', '80', '--seed', '3'], {
      encoding: 'utf8',
      timeout: 120_000,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '',
        MONGODB_URI: config.MONGODB_URI,
        NUQTA_QUEUE_PREFIX: config.NUQTA_QUEUE_PREFIX,
        PORT: '0',
      },
    });
    expect(result.stderr).not.toMatch(/nuqta: /);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('nuqta demo: 15 emulated followers, 80 engagements');
    const rows = result.stdout.split('\n').filter((line) => /^\s+\d+\s+\d+\s+@\S+/.test(line));
    expect(rows.length).toBeGreaterThan(3);
    expect(rows.length).toBeLessThanOrEqual(10);
    const points = rows.map((row) => Number(row.trim().split(/\s+/)[1]));
    expect([...points].sort((a, b) => b - a)).toEqual(points);
    expect(result.stdout).toMatch(/leaderboard\s+http:\/\/127\.0\.0\.1:\d+\/v1\/campaigns\/thawb-style\/leaderboard/);
  });
});
