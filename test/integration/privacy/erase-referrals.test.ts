import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventKeyOf } from '../../../src/domain/event.js';
import { referrerKeyOf } from '../../../src/scoring/referrer-task.js';
import { findEverywhere } from '../../helpers/store-dump.js';
import { eventually, startTestNuqta, TEST_SECRETS, type TestNuqta } from '../../helpers/test-nuqta.js';
import { scored } from '../ledger/ledger-helpers.js';

const CAMPAIGN = 'qahwa-friends';
const ACCOUNT = '17841400000000051';
const PERSON = { userId: '17841499900000456', username: 'layla.refers', memberId: 'instagram:17841499900000456' };
const FRIEND = { userId: '17841422200000456', username: 'friend.stays', memberId: 'instagram:17841422200000456' };
let app: TestNuqta;

async function call(method: 'GET' | 'POST' | 'DELETE', path: string, key: string, body?: unknown): Promise<{ status: number; body: any }> {
  const response = await fetch(`${app.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${key}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.status, body: await response.json() };
}

async function purchase(order: string, buyer: { userId: string; username: string }, code: string, refs: { customerRef: string; shippingRef: string }): Promise<string> {
  const sent = await call('POST', '/v1/events', TEST_SECRETS.ingestKey, { events: [{
    platform: 'instagram', kind: 'purchase', platformEventId: order, actor: { platformUserId: buyer.userId, username: buyer.username },
    target: { accountId: ACCOUNT }, occurredAt: new Date().toISOString(), order: { amount: 90, currency: 'SAR', code, ...refs },
  }] });
  expect(sent.status).toBe(202);
  const key = eventKeyOf('instagram', 'purchase', order);
  await eventually(async () => (await app.nuqta.decisions.get(CAMPAIGN, key)) ?? undefined, 30_000, 'the order to be decided');
  return key;
}

const report = async (): Promise<any> => (await call('GET', `/v1/campaigns/${CAMPAIGN}/referrals/report`, TEST_SECRETS.adminKey)).body;
let laylaCode = '';

beforeAll(async () => {
  app = await startTestNuqta('privacy_referrals', { env: { NUQTA_CAMPAIGNS: 'test/fixtures/campaigns/referrals' } });
  await scored(app, [
    { user: PERSON.userId, id: 'er-1', username: PERSON.username, account: ACCOUNT },
    { user: FRIEND.userId, id: 'er-2', username: FRIEND.username, account: ACCOUNT },
  ], CAMPAIGN);
  laylaCode = (await call('POST', `/v1/campaigns/${CAMPAIGN}/members/${PERSON.memberId}/referral-code`, TEST_SECRETS.adminKey, {})).body.code;
  const friendCode = (await call('POST', `/v1/campaigns/${CAMPAIGN}/members/${FRIEND.memberId}/referral-code`, TEST_SECRETS.adminKey, {})).body.code;
  // The friend orders with Layla's code; Layla orders with the friend's.
  const friendOrder = await purchase('er-ord-1', FRIEND, laylaCode, { customerRef: 'cust-friend-1', shippingRef: 'addr-friend-1' });
  await purchase('er-ord-2', PERSON, friendCode, { customerRef: 'cust-layla-77', shippingRef: 'addr-layla-9' });
  const laylaAward = referrerKeyOf(CAMPAIGN, { order: friendOrder, referrer: { memberId: PERSON.memberId } });
  await eventually(async () => (await app.nuqta.decisions.get(CAMPAIGN, laylaAward)) ?? undefined, 30_000, 'Layla\'s award as referrer');
  const redeemed = await fetch(`${app.url}/v1/campaigns/${CAMPAIGN}/members/${PERSON.memberId}/redemptions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${TEST_SECRETS.redeemKey}`, 'idempotency-key': 'cup-1' },
    body: JSON.stringify({ rewardId: 'cup' }),
  });
  expect(redeemed.status).toBe(201);
});
afterAll(async () => {
  await app?.cleanup();
});

describe('privacy: a member with referral codes, orders and vouchers', () => {
  it('exports the member\u2019s codes, orders and vouchers', async () => {
    const exported = (await call('GET', `/v1/members/${PERSON.memberId}/export`, TEST_SECRETS.adminKey)).body;
    expect(exported.referralCodes).toEqual([expect.objectContaining({ code: laylaCode, ownerId: PERSON.memberId })]);
    expect(exported.referralOrders.map((order: { orderId: string }) => order.orderId).sort()).toEqual(['er-ord-1', 'er-ord-2']);
    expect(exported.vouchers).toEqual([expect.objectContaining({ rewardId: 'cup', memberId: PERSON.memberId, status: 'issued' })]);
  });

  it('erases them everywhere, takes the member\u2019s code out of use, and keeps the attribution figures', async () => {
    const needles = [PERSON.username, PERSON.userId, laylaCode, 'cust-layla-77', 'addr-layla-9'];
    expect((await findEverywhere(app, needles)).length).toBeGreaterThan(0);
    const before = await report();
    const erased = await call('DELETE', `/v1/members/${PERSON.memberId}`, TEST_SECRETS.adminKey);
    expect(erased.status).toBe(200);
    expect(erased.body.counts).toMatchObject({ vouchers: 1, referralCodes: 1, referralOrders: 2 });
    expect(await findEverywhere(app, needles)).toEqual([]);
    // The friend's data stays, and the campaign's figures do not move.
    expect((await findEverywhere(app, [FRIEND.username, 'cust-friend-1'])).length).toBeGreaterThan(0);
    const after = await report();
    expect(after.total).toEqual(before.total);
    expect(after.codes.map((row: { code: string }) => row.code)).not.toContain(laylaCode);
    // A later order with the erased member's code earns nothing: the code is gone.
    const late = await purchase('er-ord-3', { userId: '17841433300000456', username: 'late.buyer' }, laylaCode, { customerRef: 'c-late', shippingRef: 'a-late' });
    expect((await app.nuqta.decisions.get(CAMPAIGN, late))?.nonAwards.map((nonAward) => nonAward.reason.code)).toContain('REFERRAL_CODE_UNKNOWN');
  });
});
