/**
 * A short fault soak in the normal suite: three seeds through real `nuqta
 * serve` and `nuqta work` processes, each with its fault plan, then the
 * checker. `npm run soak -- --runs N` plays more (docs/RELIABILITY.md).
 */
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';

/** Seeds whose plans together kill and restart workers, restart Redis and the MongoDB-wire server, and bend every kind of delivery. */
const FIRST_SEED = 9;
const RUNS = 3;

function soak(...args: string[]): Promise<{ code: number; stdout: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'test/faults/soak.ts', ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.once('exit', (code) => resolve({ code: code ?? 1, stdout }));
  });
}

describe('fault soak', () => {
  it('loses nothing, doubles nothing and holds every cap through kills, restarts and bent deliveries', async () => {
    const { code, stdout } = await soak('--runs', String(RUNS), '--seed', String(FIRST_SEED));
    console.log(stdout);
    const lines = stdout.trim().split('\n');
    expect(lines.filter((line) => /^run \d+ seed \d+: ok,/.test(line))).toHaveLength(RUNS);
    expect(lines.at(-1)).toMatch(new RegExp(`^runs ${RUNS}, events [1-9]\\d*, lost 0, duplicated 0, cap violations 0$`));
    expect(code).toBe(0);
  }, 240_000);
});
