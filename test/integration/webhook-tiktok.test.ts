import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signTikTokWebhook } from '../../src/platforms/tiktok/signature.js';
import { memberState } from '../helpers/member-records.js';
import { eventually, startTestNuqta, TEST_SECRETS, type TestNuqta, scrapeMetrics } from '../helpers/test-nuqta.js';

const CAFE_TIKTOK = '-000QahwaCornerBusinessOpenId01';
let app: TestNuqta;

beforeAll(async () => {
  app = await startTestNuqta('webhook_tiktok');
});
afterAll(async () => {
  await app?.cleanup();
});

function commentUpdate(action: 'insert' | 'delete', commentId: string, at = new Date()): string {
  const content = `{"comment_id":${commentId},"video_id":7343946942097902849,"comment_type":"comment","comment_action":"${action}","unique_identifier":"6929134508765432101","timestamp":${at.getTime()},"text":"القهوة هنا خيال #قهوة_نقطة"}`;
  return JSON.stringify({ client_key: 'aw3kq7x1c9nuqta', event: 'comment.update', create_time: Math.floor(at.getTime() / 1000), user_openid: CAFE_TIKTOK, content });
}

async function post(body: string, signature = signTikTokWebhook(body, TEST_SECRETS.TIKTOK_CLIENT_SECRET, new Date())): Promise<Response> {
  return fetch(`${app.url}/webhooks/tiktok`, { method: 'POST', headers: { 'content-type': 'application/json', 'tiktok-signature': signature }, body });
}

const balance = async (): Promise<number | undefined> => (await memberState(app.nuqta, 'qahwa-corner', 'tiktok:6929134508765432101'))?.balance;

describe('signed TikTok webhooks', () => {
  it('awards a comment once and takes the points back when it is deleted', async () => {
    const inserted = commentUpdate('insert', '7347303576418566913');
    expect((await post(inserted)).status).toBe(200);
    expect((await post(inserted)).status).toBe(200);
    expect(await eventually(async () => ((await balance()) === 5 ? 5 : undefined))).toBe(5);
    expect((await post(commentUpdate('delete', '7347303576418566913'))).status).toBe(200);
    expect(await eventually(async () => ((await balance()) === 0 ? 0 : undefined))).toBe(0);
    const entries = await app.nuqta.ledger.entriesAfter('qahwa-corner', 'tiktok:6929134508765432101', 0);
    expect(entries.map((entry) => [entry.kind, entry.points])).toEqual([['earn', 5], ['reverse', -5]]);
  });

  it('refuses bad and stale signatures with distinct codes', async () => {
    const body = commentUpdate('insert', '7347303576418560001');
    const bad = await post(body, `t=${Math.floor(Date.now() / 1000)},s=${'0'.repeat(64)}`);
    expect(bad.status).toBe(401);
    expect(await bad.json()).toMatchObject({ error: { code: 'NUQTA_BAD_SIGNATURE' } });
    const stale = await post(body, signTikTokWebhook(body, TEST_SECRETS.TIKTOK_CLIENT_SECRET, new Date(Date.now() - 10 * 60_000)));
    expect(stale.status).toBe(401);
    expect(await stale.json()).toMatchObject({ error: { code: 'NUQTA_STALE_SIGNATURE' } });
    const missing = await fetch(`${app.url}/webhooks/tiktok`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    expect(missing.status).toBe(401);
  });

  it('acknowledges an authorization.removed notice and counts it', async () => {
    const body = JSON.stringify({ client_key: 'aw3kq7x1c9nuqta', event: 'authorization.removed', create_time: Math.floor(Date.now() / 1000), user_openid: CAFE_TIKTOK, content: '{"reason":1}' });
    expect((await post(body)).status).toBe(200);
    const metrics = await scrapeMetrics(app.url);
    expect(metrics).toMatch(/nuqta_account_notices_total\{platform="tiktok",kind="authorization_removed"\} 1/);
  });
});
