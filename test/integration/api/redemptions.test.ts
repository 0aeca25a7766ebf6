import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memberEntries, memberState, recordVersusLedger } from '../../helpers/member-records.js';
import { eventually, startTestNuqta, TEST_SECRETS, type TestNuqta } from '../../helpers/test-nuqta.js';
import { BAKERY, drained, getJson, LEDGER_CAMPAIGNS, scored, sendComments, type Comment } from '../ledger/ledger-helpers.js';

let app: TestNuqta;

async function redeem(memberId: string, rewardId: string, key: string | null, apiKey: string | null = TEST_SECRETS.redeemKey) {
  const response = await fetch(`${app.url}/v1/campaigns/${BAKERY}/members/${encodeURIComponent(memberId)}/redemptions`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(key === null ? {} : { 'idempotency-key': key }),
      ...(apiKey === null ? {} : { authorization: `Bearer ${apiKey}` }),
    },
    body: JSON.stringify({ rewardId }),
  });
  return { status: response.status, replayed: response.headers.get('idempotent-replayed'), body: (await response.json()) as Record<string, unknown> & { error?: { code: string; message: string; details?: { missing?: number } } } };
}

const comments = (user: string, count: number, from = 0): Comment[] =>
  Array.from({ length: count }, (_, index) => ({ user, id: `r-${user}-${from + index}` }));

async function balanceOf(memberId: string): Promise<number> {
  const { body } = await getJson<{ balance: number }>(`${app.url}/v1/campaigns/${BAKERY}/members/${encodeURIComponent(memberId)}`, { authorization: `Bearer ${TEST_SECRETS.readerKey}` });
  return body.balance;
}

async function redeemEntries(memberId: string): Promise<number> {
  return (await memberEntries(app.nuqta, BAKERY, memberId)).filter((entry) => entry.kind === 'redeem').length;
}

beforeAll(async () => {
  app = await startTestNuqta('redemptions', { env: { NUQTA_CAMPAIGNS: LEDGER_CAMPAIGNS } });
  // 35 points for 801; 25 points each for 811–816; 65 points for 821 and 822.
  await scored(app, [
    ...comments('801', 3),
    ...['811', '812', '813', '814', '815', '816'].flatMap((user) => comments(user, 2)),
    ...comments('821', 6),
    ...comments('822', 6),
  ]);
});
afterAll(async () => {
  await app?.cleanup();
});

describe('POST /v1/campaigns/:id/members/:memberId/redemptions', () => {
  it('redeems a reward the balance covers, and answers a repeated key with the first answer', async () => {
    const first = await redeem('instagram:801', 'croissant', 'order-801-1');
    expect(first.status).toBe(201);
    expect(first.replayed).toBeNull();
    expect(first.body).toMatchObject({
      memberId: 'instagram:801',
      idempotencyKey: 'order-801-1',
      reward: { id: 'croissant', cost: 20, name: { en: 'Free croissant', ar: 'كرواسون مجاني' } },
      entry: { eventKey: 'redeem:instagram:801:order-801-1', points: -20, reason: { code: 'REDEEMED', text: { en: 'Redeemed 20 points for Free croissant' } } },
      balance: 15,
    });
    const again = await redeem('instagram:801', 'croissant', 'order-801-1');
    expect(again).toEqual({ status: 201, replayed: 'true', body: first.body });
    expect(await redeemEntries('instagram:801')).toBe(1);
    expect(await balanceOf('instagram:801')).toBe(15);
    // Redeeming does not lower the points earned, so neither tier nor rank drop.
    const { body } = await getJson<{ earned: number; rank: number | null }>(`${app.url}/v1/campaigns/${BAKERY}/members/instagram:801`, { authorization: `Bearer ${TEST_SECRETS.readerKey}` });
    expect(body.earned).toBe(35);
  });

  it('answers 409 NUQTA_INSUFFICIENT_POINTS with the missing points, and keeps that answer for the key', async () => {
    const short = await redeem('instagram:801', 'cake', 'order-801-2');
    expect(short.status).toBe(409);
    expect(short.body.error).toEqual({
      code: 'NUQTA_INSUFFICIENT_POINTS',
      message: 'Whole cake costs 60 points; the balance is 15 points, 45 points short',
      details: { missing: 45, message: { en: 'Whole cake costs 60 points; the balance is 15 points, 45 points short', ar: 'كعكة كاملة تكلف 60 نقطة، ورصيدك 15 نقطة، ينقصك 45 نقطة' } },
    });
    await scored(app, comments('801', 5, 10));
    expect(await balanceOf('instagram:801')).toBe(65);
    // The same key still gets the first answer; a new key is a new redemption.
    expect(await redeem('instagram:801', 'cake', 'order-801-2')).toEqual({ ...short, replayed: 'true' });
    expect((await redeem('instagram:801', 'cake', 'order-801-3')).status).toBe(201);
    expect(await balanceOf('instagram:801')).toBe(5);
  });

  it('refuses a key reused for another reward, a missing key, an unknown reward or member, and the wrong role', async () => {
    expect((await redeem('instagram:801', 'cake', 'order-801-1')).body.error?.code).toBe('NUQTA_CONFLICT');
    const noKey = await redeem('instagram:801', 'croissant', null);
    expect(noKey.status).toBe(400);
    expect(noKey.body.error?.message).toContain('Idempotency-Key header is required');
    expect((await redeem('instagram:801', 'yacht', 'order-x')).body.error?.code).toBe('NUQTA_NOT_FOUND');
    expect((await redeem('instagram:999', 'croissant', 'order-y')).body.error?.code).toBe('NUQTA_MEMBER_NOT_FOUND');
    expect((await redeem('instagram:801', 'croissant', 'order-z', null)).status).toBe(401);
    expect((await redeem('instagram:801', 'croissant', 'order-z', TEST_SECRETS.readerKey)).status).toBe(403);
    expect((await redeem('instagram:801', 'croissant', 'order-z', TEST_SECRETS.adminKey)).body.error?.code).toBe('NUQTA_INSUFFICIENT_POINTS');
  });

  it('never sells more units than the stock, however many members redeem at once', async () => {
    const croissant = app.nuqta.campaigns.get(BAKERY).campaign.rewards.find((reward) => reward.id === 'croissant');
    if (!croissant) throw new Error('the fixture has a croissant');
    const members = ['811', '812', '813', '814', '815', '816'];
    // Three in stock, fewer once the first test redeemed one.
    const left = (await app.nuqta.stock.left(BAKERY, croissant)) ?? 0;
    expect(left).toBeGreaterThan(0);
    const answers = await Promise.all(members.map((user) => redeem(`instagram:${user}`, 'croissant', `race-${user}`)));
    expect(answers.filter((answer) => answer.status === 201)).toHaveLength(left);
    const refused = answers.filter((answer) => answer.status === 409);
    expect(refused).toHaveLength(members.length - left);
    expect(refused.every((answer) => answer.body.error?.code === 'NUQTA_OUT_OF_STOCK')).toBe(true);
    expect(refused[0]?.body.error?.message).toBe('Free croissant is out of stock');
    const redeemed = await Promise.all(members.map((user) => redeemEntries(`instagram:${user}`)));
    expect(redeemed.reduce((sum, count) => sum + count, 0)).toBe(left);
    expect(await app.nuqta.stock.left(BAKERY, croissant)).toBe(0);
    // A sold-out reward is no longer offered as the next goal.
    const view = await getJson<{ nextReward: { rewardId: string } | null }>(`${app.url}/v1/campaigns/${BAKERY}/members/instagram:811`, { authorization: `Bearer ${TEST_SECRETS.readerKey}` });
    expect(view.body.nextReward?.rewardId).toBe('cake');
  });

  it('spends a balance once when one member redeems several times at once', async () => {
    const answers = await Promise.all(['a', 'b', 'c', 'd'].map((key) => redeem('instagram:821', 'cake', `burst-${key}`)));
    expect(answers.map((answer) => answer.status).sort()).toEqual([201, 409, 409, 409]);
    expect(answers.filter((answer) => answer.status === 409).every((answer) => answer.body.error?.details?.missing === 55)).toBe(true);
    expect(await balanceOf('instagram:821')).toBe(5);
    const same = await Promise.all([1, 2, 3].map(() => redeem('instagram:821', 'croissant', 'same-key')));
    expect(new Set(same.map((answer) => JSON.stringify([answer.status, answer.body]))).size).toBe(1);
  });

  it('records a redemption made while the member\'s comments are being scored, keeping the member record true to the ledger', async () => {
    const keys = await sendComments(app, comments('822', 15, 100));
    const answer = await redeem('instagram:822', 'cake', 'during-scoring');
    expect(answer.status).toBe(201);
    await eventually(async () => ((await Promise.all(keys.map((key) => app.nuqta.decisions.get(BAKERY, key)))).every(Boolean) ? true : undefined));
    await drained(app);
    // The stored record equals the state folded from the ledger, which has no hole.
    expect(await recordVersusLedger(app.nuqta, BAKERY, 'instagram:822')).toEqual([]);
    const member = await memberState(app.nuqta, BAKERY, 'instagram:822');
    expect(member?.seq).toBe((await memberEntries(app.nuqta, BAKERY, 'instagram:822')).length);
    expect(member?.balance).toBe((member?.earned ?? 0) - 60);
    expect(await redeemEntries('instagram:822')).toBe(1);
  });

  it('counts the rewards redeemed in the campaign KPIs', async () => {
    const members = await Promise.all(['801', '811', '812', '813', '814', '815', '816', '821', '822'].map((user) => redeemEntries(`instagram:${user}`)));
    const { body } = await getJson<{ kpis: { rewardsRedeemed: number; pointsRedeemed: number } }>(`${app.url}/v1/campaigns/${BAKERY}`, { authorization: `Bearer ${TEST_SECRETS.adminKey}` });
    expect(body.kpis.rewardsRedeemed).toBe(members.reduce((sum, count) => sum + count, 0));
    expect(body.kpis.pointsRedeemed).toBeGreaterThan(0);
  });
});
