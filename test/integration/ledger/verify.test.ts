import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { leaderboardKey } from '../../../src/leaderboard/leaderboard-index.js';
import type { MemberState } from '../../../src/ledger/member-state.js';
import { verifyCampaign } from '../../../src/ledger/verify.js';
import type { RunTotals } from '../../../src/scoring/task-runs.js';
import { memberRecord, recordVersusLedger } from '../../helpers/member-records.js';
import { startTestNuqta, TEST_SECRETS, type TestNuqta } from '../../helpers/test-nuqta.js';
import { BAKERY, LEDGER_CAMPAIGNS, repairThroughPartitions, scored } from './ledger-helpers.js';

let app: TestNuqta;
let lastRepair: RunTotals | undefined;

/** Verifies the bakery; with `repair`, rebuilds the differing records through repair tasks in their partitions (as `nuqta verify --repair`). */
const verify = (repair: boolean) => verifyCampaign(app.nuqta, app.nuqta.campaigns.get(BAKERY), repair
  ? { repair: async (memberIds) => { lastRepair = await repairThroughPartitions(app, BAKERY, memberIds); } }
  : {});

/** Every board of the campaign as Redis holds it: key → ZRANGE … WITHSCORES. */
async function boards(): Promise<Record<string, string[]>> {
  const base = leaderboardKey(app.config.NUQTA_QUEUE_PREFIX, BAKERY, '');
  const keys = await app.nuqta.redis.keys(`${base}*`);
  const entries = await Promise.all(keys.sort().map(async (key) => [key, await app.nuqta.redis.zrange(key, 0, -1, 'WITHSCORES')] as const));
  return Object.fromEntries(entries);
}

/** Rewrites a member's record in Redis behind the writer's back (a bug, a bad restore, a stray write). */
async function corruptRecord(memberId: string, change: (state: MemberState) => void): Promise<void> {
  const key = app.nuqta.states.key(BAKERY, memberId);
  const stored = JSON.parse((await app.nuqta.redis.get(key)) ?? 'null') as { state: MemberState } | null;
  if (!stored) throw new Error(`no record of ${memberId}`);
  change(stored.state);
  await app.nuqta.redis.set(key, JSON.stringify(stored));
}

beforeAll(async () => {
  app = await startTestNuqta('verify', { env: { NUQTA_CAMPAIGNS: LEDGER_CAMPAIGNS } });
  await scored(app, [
    ...['1', '2', '3'].map((n) => ({ user: '1001', id: `v-1001-${n}` })),
    ...['1', '2'].map((n) => ({ user: '1002', id: `v-1002-${n}` })),
    { user: '1003', id: 'v-1003-1' },
  ]);
  const response = await fetch(`${app.url}/v1/campaigns/${BAKERY}/members/instagram:1001/redemptions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'idempotency-key': 'verify-1', authorization: `Bearer ${TEST_SECRETS.redeemKey}` },
    body: JSON.stringify({ rewardId: 'croissant' }),
  });
  expect(response.status).toBe(201);
});
afterAll(async () => {
  await app?.cleanup();
});

describe('nuqta verify', () => {
  it('finds nothing to repair when the member records, boards and stock follow the ledger', async () => {
    const report = await verify(false);
    expect(report).toMatchObject({ members: 3, entries: 10, records: [], boards: [], stock: [], repaired: false });
  });

  it('reports a corrupted member record, a lost board and a leaked stock unit, and repairs them from the ledger', async () => {
    const before = await boards();
    const prefix = app.config.NUQTA_QUEUE_PREFIX;
    // The record of 1002 says 100 points more than the ledger, and has lost its newest award.
    await corruptRecord('instagram:1002', (state) => {
      state.balance += 100;
      state.awards.pop();
    });
    await app.nuqta.redis.del(leaderboardKey(prefix, BAKERY, 'all'));
    const week = Object.keys(before).find((key) => key.includes(':week:')) ?? '';
    await app.nuqta.redis.zadd(week, 1e12, 'instagram:ghost');
    await app.nuqta.redis.sadd(`${prefix}:stock:${BAKERY}:croissant`, 'redeem:instagram:1003:cut-short');

    const found = await verify(false);
    expect(found.records).toEqual([{
      memberId: 'instagram:1002',
      differences: [
        { field: 'balance', stored: 125, ledger: 25 },
        { field: 'awards', stored: expect.any(String), ledger: expect.any(String) },
      ],
    }]);
    expect(found.boards).toEqual([
      { board: 'all', missing: ['instagram:1001', 'instagram:1002', 'instagram:1003'], extra: [], wrongScore: [] },
      { board: week.slice(leaderboardKey(prefix, BAKERY, '').length), missing: [], extra: ['instagram:ghost'], wrongScore: [] },
    ].sort((a, b) => a.board.localeCompare(b.board)));
    expect(found.stock).toEqual([{ rewardId: 'croissant', missing: [], extra: ['redeem:instagram:1003:cut-short'] }]);
    // Verifying without --repair changes nothing.
    expect((await verify(false)).records).toEqual(found.records);

    lastRepair = undefined;
    const repaired = await verify(true);
    expect(repaired).toMatchObject({ repaired: true, records: found.records });
    expect(lastRepair).toMatchObject({ tasks: 1, repaired: 1 });
    expect(await verify(false)).toMatchObject({ records: [], boards: [], stock: [] });
    expect(await boards()).toEqual(before);
    expect((await memberRecord(app.nuqta, BAKERY, 'instagram:1002'))?.state).toMatchObject({ balance: 25, earned: 25, seq: 3 });
    expect(await recordVersusLedger(app.nuqta, BAKERY, 'instagram:1002')).toEqual([]);
  });

  it('reports and repairs a member record whose board standing drifted from the ledger', async () => {
    await corruptRecord('instagram:1001', (state) => {
      const all = state.boards.all;
      if (!all) throw new Error('1001 stands on the all board');
      all[0] += 7;
    });
    const found = await verify(false);
    expect(found.records).toEqual([{ memberId: 'instagram:1001', differences: [{ field: 'boards', stored: expect.any(String), ledger: expect.any(String) }] }]);
    // The live board still follows the ledger: only the record drifted.
    expect(found.boards).toEqual([]);
    await verify(true);
    expect(await recordVersusLedger(app.nuqta, BAKERY, 'instagram:1001')).toEqual([]);
    expect(await verify(false)).toMatchObject({ records: [], boards: [], stock: [] });
  });

  it('rebuilds every leaderboard identically from the ledger', async () => {
    const before = await boards();
    expect(Object.keys(before).length).toBeGreaterThanOrEqual(3);
    await app.nuqta.redis.del(...Object.keys(before));
    expect(await boards()).toEqual({});
    await verify(true);
    expect(await boards()).toEqual(before);
  });

  it('recreates a lost member record from the ledger', async () => {
    await app.nuqta.redis.del(app.nuqta.states.key(BAKERY, 'instagram:1003'));
    lastRepair = undefined;
    const found = await verify(true);
    expect(found.records).toEqual([{ memberId: 'instagram:1003', differences: [{ field: 'record', stored: null, ledger: '2 entries' }] }]);
    expect(lastRepair).toMatchObject({ tasks: 1, repaired: 1 });
    expect(await memberRecord(app.nuqta, BAKERY, 'instagram:1003')).toMatchObject({
      platform: 'instagram', platformUserId: '1003', hideName: false, state: { balance: 15, earned: 15, seq: 2 },
    });
    expect(await recordVersusLedger(app.nuqta, BAKERY, 'instagram:1003')).toEqual([]);
  });
});
