import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runNuqta } from '../../helpers/nuqta-cli.js';
import { recordVersusLedger } from '../../helpers/member-records.js';
import { startTestNuqta, TEST_SECRETS, type TestNuqta } from '../../helpers/test-nuqta.js';
import { getJson, scored, type Comment } from '../ledger/ledger-helpers.js';

const CAMPAIGN = 'qahwa-wallet';
const ACCOUNT = '17841400000000041';
let app: TestNuqta;

async function post(path: string, key: string, body?: string, headers: Record<string, string> = {}): Promise<{ status: number; body: any; replayed: string | null }> {
  const response = await fetch(`${app.url}${path}`, { method: 'POST', headers: { authorization: `Bearer ${key}`, ...headers }, ...(body === undefined ? {} : { body }) });
  return { status: response.status, body: await response.json(), replayed: response.headers.get('idempotent-replayed') };
}

const redeem = (member: string, rewardId: string, idempotencyKey: string) =>
  post(`/v1/campaigns/${CAMPAIGN}/members/${member}/redemptions`, TEST_SECRETS.redeemKey, JSON.stringify({ rewardId }), { 'content-type': 'application/json', 'idempotency-key': idempotencyKey });
const upload = (csv: string) => post(`/v1/campaigns/${CAMPAIGN}/rewards/coffee/vouchers`, TEST_SECRETS.adminKey, csv, { 'content-type': 'text/csv' });
const use = (code: string) => post(`/v1/campaigns/${CAMPAIGN}/vouchers/${code}/use`, TEST_SECRETS.ingestKey);
const cancel = (code: string) => post(`/v1/campaigns/${CAMPAIGN}/vouchers/${code}/cancel`, TEST_SECRETS.redeemKey);

async function balanceOf(member: string): Promise<number> {
  return (await getJson<{ balance: number }>(`${app.url}/v1/campaigns/${CAMPAIGN}/members/${member}`, { authorization: `Bearer ${TEST_SECRETS.readerKey}` })).body.balance;
}

const comments = (user: string, count: number): Comment[] => Array.from({ length: count }, (_, index) => ({ user, id: `v-${user}-${index}`, account: ACCOUNT }));

beforeAll(async () => {
  app = await startTestNuqta('vouchers', { env: { NUQTA_CAMPAIGNS: 'test/fixtures/campaigns/vouchers' } });
  // 40 points each.
  await scored(app, [...comments('701', 4), ...comments('702', 4), ...comments('703', 4)], CAMPAIGN);
});
afterAll(async () => {
  await app?.cleanup();
});

describe('vouchers at redemption', () => {
  it('refuses a pool file with a bad line, naming it, and adds nothing', async () => {
    const refused = await upload('code\nCOFFEE-0001\nno\n');
    expect(refused.status).toBe(400);
    expect(refused.body.error.message).toBe('body:3 code: "no" is not a voucher code (4–64 letters, digits or "-")');
    expect(await app.nuqta.vouchers.available(CAMPAIGN, 'coffee')).toBe(0);
    const added = await upload('code,note\nCOFFEE-0001,till 1\nCOFFEE-0002,till 1\nCOFFEE-0001,again\n');
    expect(added.body).toEqual({ added: 2, repeated: 1, available: 2 });
  });

  it('issues one voucher for a redemption however often it is asked, and keeps it in the wallet', async () => {
    const first = await redeem('instagram:701', 'coffee', 'till-701-1');
    expect(first.status).toBe(201);
    expect(first.body.voucher).toEqual({ code: 'COFFEE-0001', expiresAt: null });
    const again = await redeem('instagram:701', 'coffee', 'till-701-1');
    expect(again.replayed).toBe('true');
    expect(again.body.voucher.code).toBe('COFFEE-0001');
    expect(await balanceOf('instagram:701')).toBe(20);
    const wallet = await getJson<{ vouchers: { code: string; status: string }[] }>(`${app.url}/v1/campaigns/${CAMPAIGN}/members/instagram:701/wallet`, { authorization: `Bearer ${TEST_SECRETS.readerKey}` });
    expect(wallet.body.vouchers).toEqual([expect.objectContaining({ code: 'COFFEE-0001', status: 'issued' })]);
  });

  it('refuses with a clear error and takes no points when the pool runs out', async () => {
    expect((await redeem('instagram:702', 'coffee', 'till-702-1')).body.voucher.code).toBe('COFFEE-0002');
    const empty = await redeem('instagram:703', 'coffee', 'till-703-1');
    expect(empty.status).toBe(409);
    expect(empty.body.error).toMatchObject({ code: 'NUQTA_OUT_OF_STOCK', message: 'no vouchers left for "coffee": no points were taken; the brand uploads more codes' });
    expect(await balanceOf('instagram:703')).toBe(40);
  });

  it('makes pattern codes that last the reward\'s days', async () => {
    const redeemed = await redeem('instagram:703', 'voucher30', 'web-703-1');
    expect(redeemed.body.voucher.code).toMatch(/^QAHWA-[A-HJKMNP-Z2-9]{4}-[A-HJKMNP-Z2-9]{4}$/);
    const days = (Date.parse(redeemed.body.voucher.expiresAt) - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(29.9);
    expect(days).toBeLessThanOrEqual(30);
  });

  it('marks a code used once at the till', async () => {
    const used = await use('COFFEE-0001');
    expect(used.status).toBe(200);
    expect(used.body).toMatchObject({ code: 'COFFEE-0001', status: 'used', usedAt: expect.any(String) });
    expect((await use('COFFEE-0001')).body.error).toMatchObject({ code: 'NUQTA_CONFLICT', message: 'voucher COFFEE-0001 is used' });
    expect((await use('NOPE-0000')).status).toBe(404);
    expect((await cancel('COFFEE-0001')).body.error).toMatchObject({ code: 'NUQTA_CONFLICT', message: 'voucher COFFEE-0001 is used: it cannot be cancelled' });
  });

  it('cancels a voucher once, giving its points back, after which it cannot be used', async () => {
    const [voucher] = (await app.nuqta.vouchers.wallet(CAMPAIGN, 'instagram:703'));
    const code = voucher?.code ?? '';
    const cancelled = await cancel(code);
    expect(cancelled.status).toBe(200);
    expect(cancelled.body).toMatchObject({ code, status: 'cancelled', refunded: 30, balance: 40 });
    expect((await cancel(code)).body).toEqual(cancelled.body);
    expect(await balanceOf('instagram:703')).toBe(40);
    expect((await use(code)).body.error.message).toBe(`voucher ${code} is cancelled`);
    // The unit went back to the stock, and the member's record still matches the ledger.
    expect(await app.nuqta.stock.left(CAMPAIGN, app.nuqta.campaigns.get(CAMPAIGN).campaign.rewards[1] ?? never())).toBe(5);
    expect(await recordVersusLedger(app.nuqta, CAMPAIGN, 'instagram:703')).toEqual([]);
  });

  it('shows the wallet on the follower\'s own page', async () => {
    const link = await post(`/v1/campaigns/${CAMPAIGN}/members/instagram:701/link`, TEST_SECRETS.adminKey, JSON.stringify({}), { 'content-type': 'application/json' });
    expect(link.status).toBe(201);
    const page = await (await fetch(`${app.url}/me/${link.body.token}?lang=en`)).text();
    expect(page).toContain('Your vouchers');
    expect(page).toMatch(/COFFEE-0001<\/bdi><\/strong> · Free coffee · used/);
  });
});

describe('nuqta vouchers upload', () => {
  it('adds a file\'s codes, and refuses a file with a bad line naming file, line and field', async () => {
    const folder = await mkdtemp(path.join(tmpdir(), 'nuqta-vouchers-'));
    const bad = path.join(folder, 'bad.csv');
    await writeFile(bad, 'COFFEE-0101\nCOFFEE 0102\n');
    const refused = await runNuqta(app.config, ['vouchers', 'upload', '--campaign', CAMPAIGN, '--reward', 'coffee', bad]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`${bad}:2 code: "COFFEE 0102" is not a voucher code`);
    const good = path.join(folder, 'good.csv');
    await writeFile(good, 'COFFEE-0101\nCOFFEE-0102\n');
    const added = await runNuqta(app.config, ['vouchers', 'upload', '--campaign', CAMPAIGN, '--reward', 'coffee', good]);
    expect(added.stdout).toContain(`${CAMPAIGN}/coffee: 2 code(s) added, 0 already known, 2 available`);
  });
});

function never(): never {
  throw new Error('the campaign has no second reward');
}
