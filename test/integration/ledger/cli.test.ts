import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MemberState } from '../../../src/ledger/member-state.js';
import { memberState, recordVersusLedger } from '../../helpers/member-records.js';
import { startTestNuqta, type TestNuqta } from '../../helpers/test-nuqta.js';
import { BAKERY, LEDGER_CAMPAIGNS, scored } from './ledger-helpers.js';
import { runNuqta, type CliRun } from '../../helpers/nuqta-cli.js';

let app: TestNuqta;

/** Runs `nuqta …` against the test's database and queues. */
function nuqta(...args: string[]): Promise<CliRun> {
  return runNuqta(app.config, args);
}

beforeAll(async () => {
  app = await startTestNuqta('ledger_cli', { env: { NUQTA_CAMPAIGNS: LEDGER_CAMPAIGNS } });
  await scored(app, [{ user: '1301', id: 'cli-1301-1' }, { user: '1301', id: 'cli-1301-2' }, { user: '1302', id: 'cli-1302-1' }]);
});
afterAll(async () => {
  await app?.cleanup();
});

describe('nuqta verify, replay and expire', () => {
  it('verify exits 0 when everything matches the ledger, 1 on a difference, and --repair fixes it', async () => {
    const clean = await nuqta('verify', '--campaign', BAKERY);
    expect(clean.stdout).toContain(`verify ${BAKERY}: 2 members, 5 ledger entries`);
    expect(clean.stdout).toContain(`${BAKERY}: member records, leaderboards and stock match the ledger`);
    expect(clean.code).toBe(0);

    // The member's record in Redis claims a balance the ledger does not back.
    const key = app.nuqta.states.key(BAKERY, 'instagram:1302');
    const stored = JSON.parse((await app.nuqta.redis.get(key)) ?? 'null') as { state: MemberState };
    stored.state.balance = 1000;
    await app.nuqta.redis.set(key, JSON.stringify(stored));
    const broken = await nuqta('verify', '--campaign', BAKERY);
    expect(broken.code).toBe(1);
    expect(broken.stdout).toContain('member instagram:1302: balance 1000 ≠ ledger 15');
    expect(broken.stdout).toContain('1 difference(s); run with --repair');

    const repaired = await nuqta('verify', '--campaign', BAKERY, '--repair');
    expect(repaired.code).toBe(0);
    expect(repaired.stdout).toContain('member instagram:1302: balance 1000 ≠ ledger 15 → rebuilt from the ledger');
    expect((await memberState(app.nuqta, BAKERY, 'instagram:1302'))?.balance).toBe(15);
    expect(await recordVersusLedger(app.nuqta, BAKERY, 'instagram:1302')).toEqual([]);
    const after = await nuqta('verify', '--campaign', BAKERY);
    expect(after.code).toBe(0);
  }, 60_000);

  it('replay is a dry run that finds nothing when the file is unchanged', async () => {
    const replay = await nuqta('replay', '--campaign', BAKERY);
    expect(replay.stdout).toMatch(new RegExp(`replay ${BAKERY} \\(revision v1-[0-9a-f]{8}\\): 2 members, 3 events`));
    expect(replay.stdout).toContain(`${BAKERY}: the ledger matches revision v1-`);
    expect(replay.code).toBe(0);
  });

  it('expire runs one sweep with workers of its own, and refuses a campaign without expiry', async () => {
    const expire = await nuqta('expire', '--campaign', BAKERY);
    expect(expire.stdout).toContain(`expire ${BAKERY}: 0 points expired in 0 entries, 2 members checked`);
    expect(expire.code).toBe(0);
    const none = await nuqta('expire', '--campaign', 'members-club');
    expect(none.code).toBe(1);
    expect(none.stderr).toContain('campaign "members-club" has no expiry');
  });
});
