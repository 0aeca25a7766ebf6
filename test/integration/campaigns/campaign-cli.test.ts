import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../../src/log.js';
import { openFromConfig } from '../../../src/runtime.js';
import { eventually, startTestNuqta, type TestNuqta } from '../../helpers/test-nuqta.js';
import { BAKERY, LEDGER_CAMPAIGNS, scored } from '../ledger/ledger-helpers.js';
import { runNuqta, type CliRun } from '../../helpers/nuqta-cli.js';

let app: TestNuqta;
let folder: string;
const BAKERY_FILE = `${LEDGER_CAMPAIGNS}/bakery.yaml`;

/** Runs `nuqta …` against the test's database and queues. */
function nuqta(...args: string[]): Promise<CliRun> {
  return runNuqta(app.config, args);
}

beforeAll(async () => {
  app = await startTestNuqta('campaign_cli', { env: { NUQTA_CAMPAIGNS: LEDGER_CAMPAIGNS } });
  folder = await mkdtemp(path.join(tmpdir(), 'nuqta-campaigns-'));
  await scored(app, [{ user: '1401', id: 'cc-1401-1' }, { user: '1402', id: 'cc-1402-1' }]);
});
afterAll(async () => {
  await app?.cleanup();
});

describe('nuqta campaigns push, pull, diff and history', () => {
  it('diff shows what a file changes, push stores it and the running process scores with it', async () => {
    const edited = path.join(folder, 'bakery.yaml');
    await writeFile(edited, (await readFile(BAKERY_FILE, 'utf8')).replace('points: 10', 'points: 20'));

    const diff = await nuqta('campaigns', 'diff', edited);
    expect(diff.stdout).toContain(`${BAKERY}: ${edited} against revision 1`);
    expect(diff.stdout).toContain('rules.0.points: 10 → 20');

    const push = await nuqta('campaigns', 'push', edited);
    expect(push.code).toBe(0);
    expect(push.stdout).toMatch(new RegExp(`${BAKERY}: stored revision 2 \\(v1-[0-9a-f]{8}\\), 1 change\\(s\\)`));
    await eventually(async () => (app.nuqta.campaigns.get(BAKERY).campaign.rules[0]?.points === 20 ? true : undefined), 5_000, 'the running process to take revision 2');

    expect((await nuqta('campaigns', 'push', edited)).stdout).toContain(`${BAKERY}: unchanged (revision 2`);
    expect((await nuqta('campaigns', 'diff', edited)).stdout).toContain('matches revision 2');
    expect((await nuqta('campaigns', 'pull', BAKERY)).stdout).toBe(await readFile(edited, 'utf8'));

    const history = await nuqta('campaigns', 'history', BAKERY);
    const lines = history.stdout.trim().split('\n');
    expect(lines[0]).toMatch(new RegExp(`^1  v1-[0-9a-f]{8}  \\S+  file  ${BAKERY_FILE}$`));
    expect(lines[1]).toMatch(/^2 {2}v1-[0-9a-f]{8} {2}\S+ {2}cli {2}\S+: .*bakery\.yaml$/);
    expect(lines[2]).toBe('     rules.0.points: 10 → 20');
  }, 120_000);

  it('a restarted process keeps the pushed revision: the unchanged file is not applied again', async () => {
    const restarted = await openFromConfig(app.config, createLogger('silent'));
    try {
      expect(restarted.campaigns.get(BAKERY)).toMatchObject({ n: 2 });
      expect(restarted.campaigns.get(BAKERY).campaign.rules[0]?.points).toBe(20);
    } finally {
      await restarted.close();
    }
  });

  it('replay compares revisions: the ledger matches revision 1 and differs from the newest', async () => {
    const older = await nuqta('replay', '--campaign', BAKERY, '--revision', '1');
    expect(older.stdout).toMatch(/revision 1 \(v1-[0-9a-f]{8}\) against the newest, 2 \(v1-[0-9a-f]{8}\): 1 change\(s\)/);
    expect(older.stdout).toContain('rules.0.points: 20 → 10');
    expect(older.stdout).toContain(`${BAKERY}: the ledger matches revision v1-`);
    const newest = await nuqta('replay', '--campaign', BAKERY);
    expect(newest.stdout).toContain(`${BAKERY}: 2 member(s) differ by 20 points in total; dry run`);
    const refused = await nuqta('replay', '--campaign', BAKERY, '--revision', '1', '--apply');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('--apply replays the newest revision only');
  }, 90_000);

  it('push refuses a bad file naming file, line and field, and stores nothing', async () => {
    const bad = path.join(folder, 'bad.yaml');
    await writeFile(bad, (await readFile(BAKERY_FILE, 'utf8')).replace('timezone: Asia/Riyadh', 'timezone: Asia/Nowhere'));
    const push = await nuqta('campaigns', 'push', bad);
    expect(push.code).toBe(1);
    expect(push.stderr).toContain(`${bad}:5 timezone: is not an IANA time zone`);
    expect(await app.nuqta.catalog.history(BAKERY)).toHaveLength(2);
  });
});
