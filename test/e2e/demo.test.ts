import { spawn } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { dropTestData, testConfig } from '../helpers/test-nuqta.js';

const config = testConfig('demo');

afterAll(async () => {
  await dropTestData(config);
});

/** Runs `nuqta demo --keep` until it says it keeps serving; the process is left running for the caller to stop. */
function demoUntilServing(): Promise<{ stdout: string; stderr: string; stop(): Promise<number | null> }> {
  const child = spawn(process.execPath, ['bin/nuqta.js', 'demo', '--followers', '15', '--engagements', '80', '--seed', '3', '--keep'], {
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      MONGODB_URI: config.MONGODB_URI,
      NUQTA_QUEUE_PREFIX: config.NUQTA_QUEUE_PREFIX,
      PORT: '0',
    },
  });
  let stdout = '';
  let stderr = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const stop = async (): Promise<number | null> => {
    child.kill('SIGTERM');
    return exited;
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      void stop();
      reject(new Error(`the demo did not start serving within 120 s:\n${stdout}\n${stderr}`));
    }, 120_000);
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
      if (stdout.includes('serving until Ctrl-C')) {
        clearTimeout(timer);
        resolve({ stdout, stderr, stop });
      }
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`the demo exited (${code}) before serving:\n${stdout}\n${stderr}`));
    });
  });
}

describe('nuqta demo', () => {
  it('plays an emulated campaign end to end, prints the top 10 and the pages with data in them, and --keep keeps them up', async () => {
    const demo = await demoUntilServing();
    try {
      const { stdout, stderr } = demo;
      expect(stderr).not.toMatch(/nuqta: /);
      expect(stdout).toContain('nuqta demo: 15 emulated followers, 80 engagements');
      // Six friends' first orders, one refunded, one second order: five stand, two earned nothing or were taken back.
      expect(stdout).toMatch(/^referrals: 5 first orders by friends with 3 members' codes \([A-Z0-9]+-[A-Z0-9]{4}(, [A-Z0-9]+-[A-Z0-9]{4}){2}\), \d+ SAR, 1250 points issued; 1 refunded, 1 earned nothing$/m);
      const rows = stdout.split('\n').filter((line) => /^\s+\d+\s+\d+\s+@\S+/.test(line));
      expect(rows.length).toBeGreaterThan(3);
      expect(rows.length).toBeLessThanOrEqual(10);
      const points = rows.map((row) => Number(row.trim().split(/\s+/)[1]));
      expect([...points].sort((a, b) => b - a)).toEqual(points);
      expect(stdout).toMatch(/leaderboard\s+http:\/\/127\.0\.0\.1:\d+\/v1\/campaigns\/thawb-style\/leaderboard/);

      const page = (name: string): string => stdout.match(new RegExp(`^\\s+${name}\\s+(http\\S+)`, 'm'))?.[1] ?? '';
      const board = await fetch(page('leaderboard page'));
      expect(board.status).toBe(200);
      expect(await board.text()).toContain('<html lang="ar" dir="rtl">');
      const rows10 = await fetch(`${new URL(page('leaderboard page')).origin}/v1/campaigns/thawb-style/leaderboard?window=all`);
      expect(((await rows10.json()) as { entries: unknown[] }).entries.length).toBeGreaterThan(3);

      const follower = await fetch(page('follower page'));
      expect(follower.status).toBe(200);
      expect(await follower.text()).toMatch(/data-testid="balance">[٠-٩]+ نق/);

      const key = stdout.match(/key for the review console and the dashboard \(this run only\): (\S+)/)?.[1] ?? '';
      for (const name of ['review console', 'dashboard']) {
        const response = await fetch(page(name));
        expect(await response.text()).toContain('<html lang="ar" dir="rtl">');
        expect(response.status).toBe(200);
      }
      const dashboard = await fetch(`${new URL(page('dashboard')).origin}/v1/campaigns/thawb-style/dashboard`, { headers: { authorization: `Bearer ${key}` } });
      expect(dashboard.status).toBe(200);
      expect(((await dashboard.json()) as { kpis: { participants: number } }).kpis.participants).toBeGreaterThan(3);
    } finally {
      expect(await demo.stop()).toBe(0);
    }
  }, 150_000);
});
