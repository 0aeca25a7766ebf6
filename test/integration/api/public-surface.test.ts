/**
 * The public surface as an outsider and as other brands probe it, through
 * the real server: one test per hole found, each failing before its fix.
 */
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import type { IngestJob } from '../../../src/ingestion/ingest-queue.js';
import { createLogger } from '../../../src/log.js';
import { openFromConfig, startRunning } from '../../../src/runtime.js';
import { commentWebhook, postInstagramWebhook } from '../../helpers/instagram.js';
import { dropTestData, eventually, startTestNuqta, TEST_API_KEYS, TEST_SECRETS, testConfig, type TestNuqta } from '../../helpers/test-nuqta.js';

const SOUQ = 'souq-public';
const SOUQ_ACCOUNT = '17841400000000051';
const ATELIER = 'atelier-private';
const ATELIER_ACCOUNT = '17841400000000052';
/** Keys of the souq brand: they may act on its campaign only. */
const SOUQ_KEYS = {
  ingest: 'ingest-souq-0123456789abcdef',
  reviewer: 'reviewer-souq-0123456789abcd',
  redeem: 'redeem-souq-0123456789abcdef',
  reader: 'reader-souq-0123456789abcdef',
};
const HOUR = 3_600_000;

let app: TestNuqta;

interface Reply {
  status: number;
  headers: Headers;
  body: Record<string, unknown> & { error?: { code: string; message: string } };
}

async function api(method: string, path: string, options: { key?: string; body?: unknown; headers?: Record<string, string> } = {}): Promise<Reply> {
  const response = await fetch(`${app.url}${path}`, {
    method,
    headers: {
      ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(options.key === undefined ? {} : { authorization: `Bearer ${options.key}` }),
      ...options.headers,
    },
    ...(options.body === undefined ? {} : { body: typeof options.body === 'string' ? options.body : JSON.stringify(options.body) }),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text.startsWith('{') ? (JSON.parse(text) as Reply['body']) : {} };
}

function comment(account: string, user: string, id: string, options: { username?: string; fresh?: boolean; at?: Date } = {}) {
  const at = options.at ?? new Date();
  const profile = options.fresh
    ? { accountCreatedAt: new Date(at.getTime() - HOUR).toISOString(), followersCount: 0, mediaCount: 0, hasDefaultAvatar: true }
    : { accountCreatedAt: new Date(at.getTime() - 700 * 24 * HOUR).toISOString(), followersCount: 420, followingCount: 310, mediaCount: 85, hasDefaultAvatar: false };
  return {
    platform: 'instagram', kind: 'comment', verified: true, platformEventId: id,
    actor: { platformUserId: user, username: options.username ?? `user.${user}`, profile },
    target: { accountId: account, mediaId: 'media-surface-1', commentId: id },
    text: `Lovely dates and coffee, comment ${id}`,
    occurredAt: at.toISOString(),
  };
}

async function decided(campaignId: string, eventKey: string): Promise<void> {
  await eventually(async () => ((await app.nuqta.decisions.get(campaignId, eventKey)) ? true : undefined), 20_000, `${eventKey} to be decided`);
}

async function post(events: unknown[], key: string = TEST_SECRETS.ingestKey): Promise<Reply> {
  return api('POST', '/v1/events', { key, body: { events } });
}

beforeAll(async () => {
  const scoped = Object.entries(SOUQ_KEYS).map(([role, key]) => `${role}@${SOUQ}:${key}`).join(',');
  app = await startTestNuqta('public_surface', { env: { NUQTA_CAMPAIGNS: 'test/fixtures/campaigns/surface', NUQTA_API_KEYS: `${TEST_API_KEYS},${scoped}` } });
  expect((await post([comment(SOUQ_ACCOUNT, '6001', 'ps-6001-1', { username: 'noura.s' }), comment(ATELIER_ACCOUNT, '6002', 'ps-6002-1', { username: 'reem.k' })])).status).toBe(202);
  await decided(SOUQ, 'instagram:comment:ps-6001-1');
  await decided(ATELIER, 'instagram:comment:ps-6002-1');
}, 60_000);
afterAll(async () => {
  await app?.cleanup();
});

describe('anonymous boards stay anonymous', () => {
  it('shows rank, points and a pseudonym with an opaque public id; nothing without a key reaches the member', async () => {
    const board = await api('GET', `/v1/campaigns/${SOUQ}/leaderboard`);
    const [row] = board.body['entries'] as { publicId: string; memberId?: string; displayName: { en: string; pseudonym: boolean } }[];
    expect(row).toMatchObject({ displayName: { pseudonym: true } });
    expect(row?.memberId).toBeUndefined();
    expect(JSON.stringify(board.body)).not.toContain('6001');
    expect(JSON.stringify(board.body)).not.toContain('noura');
    for (const path of [`/members/instagram:6001`, `/members/instagram:6001/history`, `/members/${row?.publicId}`, `/members/${row?.publicId}/history`, `/events/instagram:comment:ps-6001-1/explain`]) {
      expect((await api('GET', `/v1/campaigns/${SOUQ}${path}`)).status, path).toBe(401);
    }
  });

  it('explains to a reader key without the fraud verdict or the handle; a reviewer sees both', async () => {
    expect((await post([comment(SOUQ_ACCOUNT, '6003', 'ps-6003-1', { username: 'fresh.face', fresh: true })])).status).toBe(202);
    await decided(SOUQ, 'instagram:comment:ps-6003-1');
    const path = `/v1/campaigns/${SOUQ}/events/instagram:comment:ps-6003-1/explain`;
    const asReader = await api('GET', path, { key: TEST_SECRETS.readerKey });
    expect(asReader.status).toBe(200);
    expect(asReader.body['entries']).toMatchObject([{ status: 'held' }]);
    expect(JSON.stringify(asReader.body)).not.toMatch(/fraud|fresh\.face|new_account/);
    const asReviewer = await api('GET', path, { key: TEST_SECRETS.reviewerKey });
    expect(asReviewer.body).toMatchObject({ event: { actor: { username: 'fresh.face' } }, entries: [{ explain: { fraud: { decision: 'hold' } } }] });
  });
});

describe('keys scoped to a brand', () => {
  it('refuse another brand\'s campaign on ingest, reads, redemption and review, and allow their own', async () => {
    const foreign = await post([comment(ATELIER_ACCOUNT, '6010', 'ps-6010-1')], SOUQ_KEYS.ingest);
    expect(foreign).toMatchObject({ status: 403, body: { error: { code: 'NUQTA_FORBIDDEN' } } });
    expect((await post([comment(SOUQ_ACCOUNT, '6010', 'ps-6010-2')], SOUQ_KEYS.ingest)).status).toBe(202);
    expect((await api('GET', `/v1/campaigns/${ATELIER}/leaderboard`, { key: SOUQ_KEYS.reader })).status).toBe(403);
    expect((await api('GET', `/v1/campaigns/${ATELIER}`, { key: SOUQ_KEYS.reader })).status).toBe(403);
    expect((await api('GET', `/v1/campaigns/${ATELIER}/members/instagram:6002`, { key: SOUQ_KEYS.reader })).status).toBe(403);
    expect((await api('GET', `/v1/campaigns/${SOUQ}/members/instagram:6001`, { key: SOUQ_KEYS.reader })).status).toBe(200);
    const redeem = (campaign: string, member: string, key: string) => api('POST', `/v1/campaigns/${campaign}/members/${member}/redemptions`, {
      key, body: { rewardId: campaign === SOUQ ? 'dates' : 'abaya' }, headers: { 'idempotency-key': `ps-${campaign}-${member}-${key.slice(0, 6)}` },
    });
    expect((await redeem(ATELIER, 'instagram:6002', SOUQ_KEYS.redeem)).status).toBe(403);
    expect((await redeem(ATELIER, 'instagram:6002', TEST_SECRETS.ingestKey)).status).toBe(403);
    expect((await redeem(SOUQ, 'instagram:6001', SOUQ_KEYS.redeem)).status).toBe(201);
    // Campaign lists show what the key may read.
    const listed = (await api('GET', '/v1/campaigns', { key: SOUQ_KEYS.reader })).body['campaigns'] as { id: string }[];
    expect(listed.map((campaign) => campaign.id)).toEqual([SOUQ]);
    expect(((await api('GET', '/v1/campaigns')).body['campaigns'] as { id: string }[]).map((campaign) => campaign.id)).toEqual([SOUQ]);
  });

  it('keeps a scoped reviewer to its campaign\'s flags and block list', async () => {
    expect((await post([comment(ATELIER_ACCOUNT, '6011', 'ps-6011-1', { fresh: true })])).status).toBe(202);
    await decided(ATELIER, 'instagram:comment:ps-6011-1');
    const atelierFlag = `${ATELIER}|instagram:comment:ps-6011-1`;
    const souqFlag = `${SOUQ}|instagram:comment:ps-6003-1`;
    expect(await app.nuqta.flags.get(atelierFlag)).toMatchObject({ status: 'open' });
    const listed = (await api('GET', '/v1/review/flags', { key: SOUQ_KEYS.reviewer })).body['flags'] as { id: string }[];
    expect(listed.map((flag) => flag.id)).toEqual([souqFlag]);
    expect((await api('GET', `/v1/review/flags?campaign=${ATELIER}`, { key: SOUQ_KEYS.reviewer })).status).toBe(403);
    expect((await api('GET', `/v1/review/flags/${encodeURIComponent(atelierFlag)}`, { key: SOUQ_KEYS.reviewer })).status).toBe(403);
    expect((await api('POST', `/v1/review/flags/${encodeURIComponent(atelierFlag)}/decision`, { key: SOUQ_KEYS.reviewer, body: { decision: 'approve' } })).status).toBe(403);
    const bulk = await api('POST', '/v1/review/decisions', { key: SOUQ_KEYS.reviewer, body: { decisions: [{ flagId: atelierFlag, decision: 'approve' }] } });
    expect(bulk.body['results']).toMatchObject([{ outcome: 'forbidden', flag: null }]);
    expect(await app.nuqta.flags.get(atelierFlag)).toMatchObject({ status: 'open' });
    expect((await api('POST', '/v1/review/blocks', { key: SOUQ_KEYS.reviewer, body: { memberId: 'instagram:6011', campaignId: ATELIER } })).status).toBe(403);
    expect((await api('POST', '/v1/review/blocks', { key: SOUQ_KEYS.reviewer, body: { memberId: 'instagram:6011' } })).status).toBe(403);
    expect((await api('POST', '/v1/review/blocks', { key: SOUQ_KEYS.reviewer, body: { memberId: 'instagram:6011', campaignId: SOUQ } })).status).toBe(201);
    // The block holds in the souq only: the member's atelier comments still earn.
    expect((await post([comment(ATELIER_ACCOUNT, '6011', 'ps-6011-2'), comment(SOUQ_ACCOUNT, '6011', 'ps-6011-3')])).status).toBe(202);
    await decided(ATELIER, 'instagram:comment:ps-6011-2');
    await decided(SOUQ, 'instagram:comment:ps-6011-3');
    expect((await app.nuqta.ledger.entriesAfter(ATELIER, 'instagram:6011', 0)).map((entry) => entry.status)).toEqual(['held', 'posted']);
    expect((await app.nuqta.decisions.get(SOUQ, 'instagram:comment:ps-6011-3'))?.fraud?.signals.map((signal) => signal.code)).toContain('blocked_member');
  });
});

describe('erasure sticks', () => {
  it('drops a re-delivered comment of an erased member, or counts it for the anonymous stand-in where the campaign says so', async () => {
    const person = { userId: '6020', username: 'hessa.erase' };
    const first = commentWebhook([
      { commentId: 'ps-6020-1', ...person, text: 'Best dates in the city', account: SOUQ_ACCOUNT },
      { commentId: 'ps-6020-2', ...person, text: 'The embroidery is beautiful', account: ATELIER_ACCOUNT },
    ]);
    expect((await postInstagramWebhook(app.url, first)).status).toBe(200);
    await decided(SOUQ, 'instagram:comment:ps-6020-1');
    await decided(ATELIER, 'instagram:comment:ps-6020-2');
    const erased = await api('DELETE', '/v1/members/instagram:6020', { key: TEST_SECRETS.adminKey });
    expect(erased.body).toMatchObject({ status: 'done' });
    // Meta retries the same signed delivery, and the follower comments again.
    expect((await postInstagramWebhook(app.url, first)).status).toBe(200);
    const later = commentWebhook([
      { commentId: 'ps-6020-3', ...person, text: 'Back for more dates', account: SOUQ_ACCOUNT },
      { commentId: 'ps-6020-4', ...person, text: 'Ordered the green abaya', account: ATELIER_ACCOUNT },
    ]);
    expect((await postInstagramWebhook(app.url, later)).status).toBe(200);
    await eventually(async () => ((await app.nuqta.decisions.get(ATELIER, 'instagram:comment:ps-6020-4')) ? true : undefined), 20_000, 'the later comment to be decided');
    for (const campaign of [SOUQ, ATELIER]) expect(await app.nuqta.states.get(campaign, 'instagram:6020')).toBeNull();
    expect(await app.nuqta.decisions.get(SOUQ, 'instagram:comment:ps-6020-3')).toBeNull();
    expect(await app.nuqta.events.get('instagram:comment:ps-6020-3')).toBeNull();
    const standIn = (await app.nuqta.decisions.get(ATELIER, 'instagram:comment:ps-6020-4'))?.memberId ?? '';
    expect(standIn).toMatch(/^instagram:erased-/);
    expect(await app.nuqta.events.get('instagram:comment:ps-6020-4')).toMatchObject({ actor: { platformUserId: standIn.slice('instagram:'.length) } });
    expect(JSON.stringify(await app.nuqta.events.get('instagram:comment:ps-6020-4'))).not.toMatch(/hessa|"6020"|abaya/);
    const explained = await api('GET', `/v1/campaigns/${ATELIER}/events/instagram:comment:ps-6020-4/explain`, { key: TEST_SECRETS.adminKey });
    expect(JSON.stringify(explained.body)).not.toContain('instagram:6020');
  });
});

describe('one id grammar on every route', () => {
  it('refuses ids no route could reach, and reaches every id it accepts', async () => {
    expect((await post([{ ...comment(SOUQ_ACCOUNT, 'has space', 'ps-bad-1') }])).status).toBe(400);
    expect((await post([{ ...comment(SOUQ_ACCOUNT, '9'.repeat(129), 'ps-bad-2') }])).status).toBe(400);
    const longest = '7'.repeat(128);
    expect((await post([comment(SOUQ_ACCOUNT, longest, 'ps-long-1', { username: 'long.id' })])).status).toBe(202);
    await decided(SOUQ, 'instagram:comment:ps-long-1');
    expect((await api('GET', `/v1/campaigns/${SOUQ}/members/instagram:${longest}`, { key: TEST_SECRETS.readerKey })).status).toBe(200);
    expect((await api('GET', `/v1/members/instagram:${longest}/export`, { key: TEST_SECRETS.adminKey })).status).toBe(200);
    // A story mention's message id runs to 150+ characters: its event key reaches explain and the flag route.
    const storyKey = `instagram:story_mention:${'aWdfZAG1faXRlbToxOklHTWVzc2FnZAUlEOjE3ODQxNDAw'.repeat(4)}`;
    expect(storyKey.length).toBeGreaterThan(188);
    expect((await api('GET', `/v1/campaigns/${SOUQ}/events/${encodeURIComponent(storyKey)}/explain`, { key: TEST_SECRETS.readerKey })).body.error?.code).toBe('NUQTA_NOT_FOUND');
    expect((await api('GET', `/v1/review/flags/${encodeURIComponent(`${SOUQ}|${storyKey}`)}`, { key: TEST_SECRETS.reviewerKey })).body.error?.code).toBe('NUQTA_NOT_FOUND');
    const tooLong = await api('GET', `/v1/campaigns/${SOUQ}/members/instagram:${'1'.repeat(2_000)}`, { key: TEST_SECRETS.readerKey });
    expect(tooLong).toMatchObject({ status: 414, body: { error: { code: 'NUQTA_URI_TOO_LONG' } } });
  });
});

describe('time is bounded', () => {
  it('refuses events dated ahead of the clock, null or out of range, and fails a stored job that can never succeed at once', async () => {
    const ahead = await post([comment(SOUQ_ACCOUNT, '6030', 'ps-time-1', { at: new Date(Date.now() + 3_600_000) })]);
    expect(ahead).toMatchObject({ status: 400, body: { error: { code: 'NUQTA_BAD_TIME' } } });
    expect((await post([comment(SOUQ_ACCOUNT, '6030', 'ps-time-2', { at: new Date(Date.now() + 60_000) })])).status).toBe(202);
    for (const occurredAt of [null, '-271821-04-20T00:00:00Z', '2009-12-31T23:59:59Z', 1_700_000_000]) {
      expect((await post([{ ...comment(SOUQ_ACCOUNT, '6030', 'ps-time-3'), occurredAt }])).status, String(occurredAt)).toBe(400);
    }
    // A job already in the queue with a date no store can hold (written before these checks existed).
    const bad = { ...comment(SOUQ_ACCOUNT, '6031', 'ps-time-4'), hashtags: [], receivedAt: new Date().toISOString(), source: 'api', eventKey: 'instagram:comment:ps-time-4', occurredAt: '-271821-04-20T00:00:00Z' };
    const queue = app.nuqta.queue.partitions[0];
    if (!queue) throw new Error('no partition');
    await queue.add('event', { event: bad } as unknown as IngestJob, { jobId: 'instagram:comment:ps-time-4', attempts: 10, backoff: { type: 'fixed', delay: 100 } });
    const failed = await eventually(async () => {
      const job = await queue.getJob('instagram:comment:ps-time-4');
      return job && (await job.isFailed()) ? job : undefined;
    }, 20_000, 'the job to fail');
    expect(failed.attemptsMade).toBe(1);
    expect(failed.failedReason).toMatch(/^NUQTA_BAD_PAYLOAD: .*occurredAt/);
  });
});

describe('errors in one shape', () => {
  it('answers router, body, method and header errors as { error: { code, message } }, without echoing the URL', async () => {
    const badUrl = await api('GET', '/v1/campaigns/%E0%A4%A');
    expect(badUrl).toMatchObject({ status: 400, body: { error: { code: 'NUQTA_BAD_REQUEST' } } });
    expect(badUrl.body.error?.message).not.toContain('%E0');
    expect(await api('DELETE', `/v1/campaigns/${SOUQ}/leaderboard`)).toMatchObject({ status: 405, body: { error: { code: 'NUQTA_METHOD_NOT_ALLOWED' } } });
    const plain = await api('POST', '/webhooks/instagram', { body: 'hello', headers: { 'content-type': 'text/plain' } });
    expect(plain).toMatchObject({ status: 415, body: { error: { code: 'NUQTA_UNSUPPORTED_MEDIA_TYPE' } } });
    const huge = await api('POST', '/v1/events', { key: TEST_SECRETS.ingestKey, body: `{"events":["${'x'.repeat(9 * 1024 * 1024)}"]}` });
    expect(huge).toMatchObject({ status: 413, body: { error: { code: 'NUQTA_PAYLOAD_TOO_LARGE' } } });
    const headers = await api('GET', '/healthz', { headers: { 'x-padding': 'y'.repeat(20_000) } });
    expect(headers).toMatchObject({ status: 431, body: { error: { code: 'NUQTA_HEADERS_TOO_LARGE' } } });
  });

  it('sends security headers and refuses a signed delivery of more changes than Meta ever sends', async () => {
    const health = await api('GET', '/healthz');
    expect(health.headers.get('x-content-type-options')).toBe('nosniff');
    expect(health.headers.get('content-security-policy')).toContain("default-src 'self'");
    const changes = Array.from({ length: 1_001 }, (_, index) => ({ commentId: `ps-flood-${index}`, userId: '6040', text: 'flood', account: SOUQ_ACCOUNT }));
    const flood = await postInstagramWebhook(app.url, commentWebhook(changes));
    expect(flood.status).toBe(413);
    expect(((await flood.json()) as { error: { code: string } }).error.code).toBe('NUQTA_PAYLOAD_TOO_LARGE');
  });
});

describe('what is private stays private', () => {
  it('keeps metrics behind a metrics key and a private campaign\'s details behind a reader key', async () => {
    expect((await api('GET', '/metrics')).status).toBe(401);
    expect((await api('GET', '/metrics', { key: TEST_SECRETS.readerKey })).status).toBe(403);
    expect((await api('GET', '/metrics', { key: TEST_SECRETS.metricsKey })).status).toBe(200);
    expect((await api('GET', `/v1/campaigns/${ATELIER}`)).status).toBe(401);
    const detail = await api('GET', `/v1/campaigns/${ATELIER}`, { key: TEST_SECRETS.readerKey });
    expect(detail.status).toBe(200);
    expect(detail.body['kpis']).toBeUndefined();
    expect((await api('GET', `/v1/campaigns/${ATELIER}`, { key: TEST_SECRETS.adminKey })).body['kpis']).toMatchObject({ participants: expect.any(Number) });
  });

  it('fingerprints keys in audit trails with a keyed hash, never a bare hash of the key', async () => {
    const flagId = `${SOUQ}|instagram:comment:ps-6003-1`;
    const decision = await api('POST', `/v1/review/flags/${encodeURIComponent(flagId)}/decision`, { key: TEST_SECRETS.reviewerKey, body: { decision: 'approve', note: 'a real customer' } });
    const by = (decision.body['flag'] as { decision: { by: string } }).decision.by;
    expect(by).toMatch(/^reviewer:[0-9a-f]{16}$/);
    const bare = createHash('sha256').update(TEST_SECRETS.reviewerKey).digest('hex');
    expect(bare.startsWith(by.slice('reviewer:'.length))).toBe(false);
  });
});

describe('secrets stay out of logs', () => {
  it('logs the webhook handshake without the verify token, and a whole flow at debug level without any configured secret', async () => {
    const lines: string[] = [];
    const sink = new Writable({ write(chunk: Buffer, _encoding, done) { lines.push(chunk.toString()); done(); } });
    const config = testConfig('surface_logs', { NUQTA_CAMPAIGNS: 'test/fixtures/campaigns/surface', LOG_LEVEL: 'debug' });
    const running = await startRunning(await openFromConfig(config, createLogger('debug', sink)), { serve: true, work: true });
    try {
      const url = running.url ?? '';
      expect((await fetch(`${url}/webhooks/instagram?hub.mode=subscribe&hub.verify_token=${TEST_SECRETS.IG_VERIFY_TOKEN}&hub.challenge=42`)).status).toBe(200);
      expect((await postInstagramWebhook(url, commentWebhook([{ commentId: 'ps-log-1', userId: '6050', text: 'hello', account: SOUQ_ACCOUNT }]))).status).toBe(200);
      for (const key of [TEST_SECRETS.ingestKey, TEST_SECRETS.adminKey, 'a-wrong-key-that-is-long-enough']) {
        await fetch(`${url}/v1/events`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: JSON.stringify({ events: [comment(SOUQ_ACCOUNT, '6050', 'ps-log-2')] }) });
      }
      await fetch(`${url}/metrics`, { headers: { 'x-api-key': TEST_SECRETS.metricsKey } });
      await eventually(async () => ((await running.nuqta.decisions.get(SOUQ, 'instagram:comment:ps-log-2')) ? true : undefined), 20_000, 'the flow to finish');
    } finally {
      await running.stop();
      await dropTestData(config);
    }
    const logged = lines.join('');
    expect(logged).toContain('/webhooks/instagram?hub.mode=subscribe&hub.verify_token=[redacted]');
    const secrets = [...Object.values(TEST_SECRETS), ...TEST_API_KEYS.split(',').map((item) => item.slice(item.indexOf(':') + 1))];
    for (const secret of secrets) expect(logged, secret).not.toContain(secret);
  });
});

describe('rate limits', () => {
  it('answers 429 with Retry-After past the public read limit, and locks out an address that keeps guessing keys', async () => {
    const limited = await startRunning(await openFromConfig(testConfig('surface_limits', { NUQTA_CAMPAIGNS: 'test/fixtures/campaigns/surface', NUQTA_RATE_LIMIT: '5' }), createLogger('silent')), { serve: true, work: false });
    const config = limited.nuqta.config;
    try {
      const url = limited.url ?? '';
      const statuses: number[] = [];
      for (let index = 0; index < 7; index += 1) statuses.push((await fetch(`${url}/v1/campaigns/${SOUQ}/leaderboard`)).status);
      expect(statuses).toEqual([200, 200, 200, 200, 200, 429, 429]);
      const refused = await fetch(`${url}/v1/campaigns/${SOUQ}/leaderboard`);
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('NUQTA_RATE_LIMITED');
      const guesses: number[] = [];
      for (let index = 0; index < 22; index += 1) guesses.push((await fetch(`${url}/v1/review/flags`, { headers: { authorization: `Bearer wrong-key-number-${index}-0123456789` } })).status);
      expect(guesses.slice(0, 20).every((status) => status === 401)).toBe(true);
      expect(guesses.slice(20)).toEqual([429, 429]);
      // Even the right key waits out the lockout from that address.
      expect((await fetch(`${url}/v1/review/flags`, { headers: { authorization: `Bearer ${TEST_SECRETS.reviewerKey}` } })).status).toBe(429);
    } finally {
      await limited.stop();
      await dropTestData(config);
    }
  });
});
