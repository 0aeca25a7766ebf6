import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { instagramSignatureOf } from '../../src/platforms/instagram/signature.js';
import { commentWebhook, postInstagramWebhook, CAFE_ACCOUNT } from '../helpers/instagram.js';
import { eventually, startTestNuqta, TEST_SECRETS, type TestNuqta, scrapeMetrics } from '../helpers/test-nuqta.js';

let app: TestNuqta;

beforeAll(async () => {
  app = await startTestNuqta('webhook_to_leaderboard');
});
const READER = { authorization: `Bearer ${TEST_SECRETS.readerKey}` };

afterAll(async () => {
  await app?.cleanup();
});

async function member(memberId: string): Promise<{ balance: number; earned: number; rank: number | null }> {
  const response = await fetch(`${app.url}/v1/campaigns/qahwa-corner/members/${memberId}`, { headers: READER });
  if (response.status !== 200) throw new Error(`member ${memberId}: ${response.status}`);
  return (await response.json()) as { balance: number; earned: number; rank: number | null };
}

describe('signed Instagram webhook → ledger → leaderboard', () => {
  it('awards a comment once, however often the platform and a brand source deliver it', async () => {
    const body = commentWebhook([{ commentId: 'c-dup-1', userId: '9001', username: 'noura', text: 'القهوة عندكم رهيبة ☕' }]);
    expect((await postInstagramWebhook(app.url, body)).status).toBe(200);
    expect((await postInstagramWebhook(app.url, body)).status).toBe(200);
    const viaApi = await fetch(`${app.url}/v1/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${TEST_SECRETS.ingestKey}` },
      body: JSON.stringify({ events: [{
        platform: 'instagram', kind: 'comment', verified: true, platformEventId: 'c-dup-1',
        actor: { platformUserId: '9001' }, target: { accountId: CAFE_ACCOUNT, mediaId: 'media-1', commentId: 'c-dup-1' },
        text: 'القهوة عندكم رهيبة ☕', occurredAt: new Date().toISOString(),
      }] }),
    });
    expect(viaApi.status).toBe(202);
    expect(await viaApi.json()).toEqual({ accepted: 1, eventKeys: ['instagram:comment:c-dup-1'] });

    const scored = await eventually(async () => {
      const entries = await app.nuqta.ledger.entriesAfter('qahwa-corner', 'instagram:9001', 0);
      return entries.length > 0 ? entries : undefined;
    });
    // Let every delivery drain before counting.
    await eventually(async () => ((await app.nuqta.queue.depth()).waiting === 0 && (await app.nuqta.queue.depth()).active === 0 ? true : undefined));
    const entries = await app.nuqta.ledger.entriesAfter('qahwa-corner', 'instagram:9001', 0);
    expect(entries).toHaveLength(scored.length);
    expect(entries.map((entry) => [entry.ruleId, entry.points, entry.status])).toEqual([['comment', 5, 'posted']]);
    expect(entries[0]?.reason.code).toBe('EARNED');
    expect(await app.nuqta.db.collection('events').countDocuments({ eventKey: 'instagram:comment:c-dup-1' })).toBe(1);
    expect(await member('instagram:9001')).toMatchObject({ balance: 5, earned: 5, rank: 1 });
  });

  it('ranks members on the leaderboard with ties sharing a rank', async () => {
    const body = commentWebhook([
      { commentId: 'c-rank-1', userId: '9002', username: 'faisal', text: 'أفضل قهوة في الرياض' },
      { commentId: 'c-rank-2', userId: '9002', username: 'faisal', text: 'Best flat white in town', mediaId: 'media-2' },
      { commentId: 'c-rank-3', userId: '9003', username: 'sara', text: 'جميل جداً' },
    ]);
    expect((await postInstagramWebhook(app.url, body)).status).toBe(200);
    const board = await eventually(async () => {
      const response = await fetch(`${app.url}/v1/campaigns/qahwa-corner/leaderboard?window=all`, { headers: READER });
      const json = (await response.json()) as { entries: { memberId: string; rank: number; points: number }[] };
      return json.entries.length === 3 && json.entries[0]?.points === 10 ? json.entries : undefined;
    });
    expect(board.map((row) => [row.memberId, row.rank, row.points])).toEqual([
      ['instagram:9002', 1, 10],
      ['instagram:9001', 2, 5],
      ['instagram:9003', 2, 5],
    ]);
  });

  it('refuses a bad or missing signature with 401 and stores nothing', async () => {
    const body = commentWebhook([{ commentId: 'c-forged', userId: '9666', text: 'free points please' }]);
    for (const signature of ['sha256=' + '0'.repeat(64), null, 'sha1=abc']) {
      const response = await postInstagramWebhook(app.url, body, signature);
      expect(response.status).toBe(401);
      expect(await response.json()).toMatchObject({ error: { code: 'NUQTA_BAD_SIGNATURE' } });
    }
    // A body altered after signing is refused too.
    const tampered = await postInstagramWebhook(app.url, body.replace('free', 'many'), instagramSignatureOf(body, TEST_SECRETS.IG_APP_SECRET));
    expect(tampered.status).toBe(401);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await app.nuqta.db.collection('events').countDocuments({ 'actor.platformUserId': '9666' })).toBe(0);
    expect(await app.nuqta.queue.depth()).toMatchObject({ waiting: 0, active: 0 });
  });

  it('answers the subscription handshake only with the right verify token', async () => {
    const ok = await fetch(`${app.url}/webhooks/instagram?hub.mode=subscribe&hub.verify_token=${TEST_SECRETS.IG_VERIFY_TOKEN}&hub.challenge=1158201444`);
    expect(ok.status).toBe(200);
    expect(await ok.text()).toBe('1158201444');
    const wrong = await fetch(`${app.url}/webhooks/instagram?hub.mode=subscribe&hub.verify_token=nope&hub.challenge=1158201444`);
    expect(wrong.status).toBe(403);
    expect(await wrong.json()).toMatchObject({ error: { code: 'NUQTA_BAD_VERIFY_TOKEN' } });
  });

  it('requires an ingest key for /v1/events and rejects a malformed batch whole', async () => {
    const noKey = await fetch(`${app.url}/v1/events`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"events":[]}' });
    expect(noKey.status).toBe(401);
    const bad = await fetch(`${app.url}/v1/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${TEST_SECRETS.ingestKey}` },
      body: JSON.stringify({ events: [{ platform: 'myspace', kind: 'comment' }] }),
    });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: { code: 'NUQTA_BAD_REQUEST' } });
  });

  it('reports readiness and metrics', async () => {
    const ready = await fetch(`${app.url}/readyz`);
    expect(await ready.json()).toEqual({ status: 'ready', checks: { redis: 'up', mongodb: 'up' }, down: [] });
    const metrics = await scrapeMetrics(app.url);
    expect(metrics).toMatch(/nuqta_events_rejected_total\{source="webhook",reason="bad_signature"\} 4/);
    expect(metrics).toMatch(/nuqta_awards_total\{campaign="qahwa-corner",kind="earn",status="posted"\} \d+/);
    expect(metrics).toMatch(/nuqta_queue_depth\{state="waiting"\} 0/);
  });
});
