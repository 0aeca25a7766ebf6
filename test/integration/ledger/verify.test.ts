import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { leaderboardKey } from '../../../src/leaderboard/leaderboard-index.js';
import { verifyCampaign } from '../../../src/ledger/verify.js';
import { startTestNuqta, TEST_SECRETS, type TestNuqta } from '../../helpers/test-nuqta.js';
import { BAKERY, LEDGER_CAMPAIGNS, scored } from './ledger-helpers.js';

let app: TestNuqta;

const verify = (repair: boolean) => verifyCampaign(app.nuqta, app.nuqta.campaigns.get(BAKERY), { repair });

/** Every board of the campaign as Redis holds it: key → ZRANGE … WITHSCORES. */
async function boards(): Promise<Record<string, string[]>> {
  const base = leaderboardKey(app.config.NUQTA_QUEUE_PREFIX, BAKERY, '');
  const keys = await app.nuqta.redis.keys(`${base}*`);
  const entries = await Promise.all(keys.sort().map(async (key) => [key, await app.nuqta.redis.zrange(key, 0, -1, 'WITHSCORES')] as const));
  return Object.fromEntries(entries);
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
    headers: { 'content-type': 'application/json', 'idempotency-key': 'verify-1', authorization: `Bearer ${TEST_SECRETS.ingestKey}` },
    body: JSON.stringify({ rewardId: 'croissant' }),
  });
  expect(response.status).toBe(201);
});
afterAll(async () => {
  await app?.cleanup();
});

describe('nuqta verify', () => {
  it('finds nothing to repair when the projections follow the ledger', async () => {
    const report = await verify(false);
    expect(report).toMatchObject({ members: 3, entries: 10, projections: [], boards: [], stock: [] });
  });

  it('reports a corrupted projection, a lost board and a leaked stock unit, and repairs them from the ledger', async () => {
    const before = await boards();
    const prefix = app.config.NUQTA_QUEUE_PREFIX;
    await app.nuqta.db.collection('members').updateOne({ _id: `${BAKERY}|instagram:1002` } as never, { $inc: { balance: 100 }, $pop: { facts: 1 } });
    await app.nuqta.redis.del(leaderboardKey(prefix, BAKERY, 'all'));
    const week = Object.keys(before).find((key) => key.includes(':week:')) ?? '';
    await app.nuqta.redis.zadd(week, 1e12, 'instagram:ghost');
    await app.nuqta.redis.sadd(`${prefix}:stock:${BAKERY}:croissant`, 'redeem:instagram:1003:cut-short');

    const found = await verify(false);
    expect(found.projections).toEqual([{
      memberId: 'instagram:1002',
      differences: [
        { field: 'balance', projection: 125, ledger: 25 },
        { field: 'facts', projection: '2 facts', ledger: '3 facts, first difference at seq 3' },
      ],
    }]);
    expect(found.boards).toEqual([
      { board: 'all', missing: ['instagram:1001', 'instagram:1002', 'instagram:1003'], extra: [], wrongScore: [] },
      { board: week.slice(leaderboardKey(prefix, BAKERY, '').length), missing: [], extra: ['instagram:ghost'], wrongScore: [] },
    ].sort((a, b) => a.board.localeCompare(b.board)));
    expect(found.stock).toEqual([{ rewardId: 'croissant', missing: [], extra: ['redeem:instagram:1003:cut-short'] }]);

    const repaired = await verify(true);
    expect(repaired.projections[0]?.repair).toBe('repaired');
    expect(await verify(false)).toMatchObject({ projections: [], boards: [], stock: [] });
    expect(await boards()).toEqual(before);
    expect(await app.nuqta.members.get(BAKERY, 'instagram:1002')).toMatchObject({ balance: 25, earned: 25, appliedSeq: 3 });
  });

  it('rebuilds every leaderboard identically from the ledger', async () => {
    const before = await boards();
    expect(Object.keys(before).length).toBeGreaterThanOrEqual(3);
    await app.nuqta.redis.del(...Object.keys(before));
    expect(await boards()).toEqual({});
    await verify(true);
    expect(await boards()).toEqual(before);
  });

  it('recreates a lost member projection from the ledger', async () => {
    await app.nuqta.db.collection('members').deleteOne({ _id: `${BAKERY}|instagram:1003` } as never);
    const found = await verify(true);
    expect(found.projections).toEqual([{ memberId: 'instagram:1003', differences: [{ field: 'projection', projection: null, ledger: '2 entries' }], repair: 'repaired' }]);
    expect(await app.nuqta.members.get(BAKERY, 'instagram:1003')).toMatchObject({ platform: 'instagram', platformUserId: '1003', balance: 15, earned: 15, appliedSeq: 2 });
  });
});
