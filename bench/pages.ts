/**
 * How fast the pages are ready on the demo's data, in Debian's chromium, to
 * a ceiling measured in the same run: the same page's HTML and the JSON API
 * reads its script makes, fetched directly from Node one after the other
 * (what the page cannot do without; the browser adds parsing, the bundled
 * font, the script modules and rendering).
 *
 *   npx tsx bench/pages.ts [loads]    (default 20 per page)
 *
 * `nuqta demo --keep` plays its campaign on a database and key prefix of its
 * own; then each page is opened `loads` times, each in a fresh browser
 * context (empty cache, as a follower opening a link), timed from the
 * navigation until the page shows its data. Exits 1 when a page's median is
 * over a second.
 */
import { spawn } from 'node:child_process';
import { loadavg } from 'node:os';
import { chromium } from 'playwright-core';
import { CHROMIUM, VIEWPORTS } from '../test/e2e/browser.js';
import { dropTestData, testConfig } from '../test/helpers/test-nuqta.js';

const LOADS = Number(process.argv[2] ?? 20);
const TARGET_MS = 1_000;
const config = testConfig('bench_pages');

interface DemoRun {
  pages: Record<string, string>;
  key: string;
  stop(): void;
}

function startDemo(): Promise<DemoRun> {
  const child = spawn(process.execPath, ['bin/nuqta.js', 'demo', '--keep'], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', MONGODB_URI: config.MONGODB_URI, NUQTA_QUEUE_PREFIX: config.NUQTA_QUEUE_PREFIX, PORT: '0' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`the demo exited (${code}):\n${out}`)));
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
      if (!out.includes('serving until Ctrl-C')) return;
      const url = (name: string): string => out.match(new RegExp(`^\\s+${name}\\s+(http\\S+)`, 'm'))?.[1] ?? '';
      resolve({
        pages: { leaderboard: url('leaderboard page'), follower: url('follower page'), review: url('review console'), dashboard: url('dashboard') },
        key: out.match(/this run only\): (\S+)/)?.[1] ?? '',
        stop: () => child.kill('SIGTERM'),
      });
    });
  });
}

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;

async function main(): Promise<void> {
  const demo = await startDemo();
  const origin = new URL(demo.pages.leaderboard ?? '').origin;
  const campaign = new URL(demo.pages.dashboard ?? '').pathname.split('/').pop() ?? '';
  const auth = { authorization: `Bearer ${demo.key}` };
  /** Each page: when it shows its data, and the API reads its script makes. */
  const plans: Record<string, { ready: string; reads: [string, Record<string, string>][] }> = {
    leaderboard: { ready: '#board-rows tr[data-public-id]', reads: [[`/v1/campaigns/${campaign}/leaderboard?window=all&limit=10`, {}]] },
    follower: { ready: '[data-testid="balance"]', reads: [] },
    review: { ready: '#queue li', reads: [['/v1/review/flags?limit=1', auth], ['/v1/campaigns', auth], ['/v1/review/flags?status=open&limit=100', auth], ['/v1/review/flags?status=approved&limit=100', auth], ['/v1/review/flags?status=rejected&limit=100', auth], ['/v1/review/blocks', auth]] },
    dashboard: { ready: '#chart canvas', reads: [[`/v1/campaigns/${campaign}/dashboard`, auth]] },
  };
  const browser = await chromium.launch(CHROMIUM);
  console.log(`pages on the demo's data, ${LOADS} loads each, fresh context per load (load average ${loadavg()[0]?.toFixed(1)})`);
  console.log('page          ready p50   ceiling p50   ratio');
  let slow = false;
  try {
    for (const [name, plan] of Object.entries(plans)) {
      const url = demo.pages[name] ?? '';
      const ready: number[] = [];
      const ceiling: number[] = [];
      for (let load = 0; load < LOADS; load += 1) {
        const context = await browser.newContext({ viewport: VIEWPORTS.phone });
        await context.addInitScript(`sessionStorage.setItem('nuqta.reviewerKey', ${JSON.stringify(demo.key)}); sessionStorage.setItem('nuqta.adminKey', ${JSON.stringify(demo.key)});`);
        const page = await context.newPage();
        const started = performance.now();
        await page.goto(url);
        await page.locator(plan.ready).first().waitFor();
        ready.push(performance.now() - started);
        await context.close();

        const direct = performance.now();
        await (await fetch(url)).text();
        for (const [path, headers] of plan.reads) await (await fetch(`${origin}${path}`, { headers })).text();
        ceiling.push(performance.now() - direct);
      }
      const [page, raw] = [median(ready), median(ceiling)];
      slow ||= page > TARGET_MS;
      console.log(`${name.padEnd(12)}  ${page.toFixed(0).padStart(6)} ms  ${raw.toFixed(1).padStart(9)} ms  ${(page / raw).toFixed(1).padStart(5)}×`);
    }
  } finally {
    await browser.close();
    demo.stop();
    await dropTestData(config);
  }
  console.log(slow ? `a page's median is over ${TARGET_MS} ms` : `every page's median is under ${TARGET_MS} ms`);
  if (slow) process.exitCode = 1;
}

await main();
