import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifySignature } from '../../../src/outbound/signature.js';
import { eventually, startTestNuqta, TEST_SECRETS, type TestNuqta } from '../../helpers/test-nuqta.js';
import { BAKERY, expirySweep, LEDGER_CAMPAIGNS, scored, type Comment } from '../ledger/ledger-helpers.js';

interface Received {
  id: string;
  type: string;
  memberId: string;
  data: { seq: number; rewardId?: string; points?: number };
  signature: string;
  body: string;
  answered: number;
}

/** A brand's receiver: answers 503 to its first `failing` requests, then 200; keeps every request. */
class Receiver {
  readonly requests: Received[] = [];
  private server!: Server;
  constructor(private failing: number) {}

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hooks`;
  }

  /** The events it acknowledged with a 2xx, in the order it did. */
  get acknowledged(): Received[] {
    return this.requests.filter((request) => request.answered === 200);
  }

  async start(): Promise<void> {
    this.server = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
      request.on('end', () => {
        const event = JSON.parse(body) as Omit<Received, 'signature' | 'body' | 'answered'>;
        const answered = this.failing > 0 ? 503 : 200;
        this.failing -= 1;
        this.requests.push({ ...event, signature: String(request.headers['nuqta-signature']), body, answered });
        response.writeHead(answered).end(answered === 200 ? 'ok' : 'down for maintenance');
      });
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
  }

  async stop(): Promise<void> {
    await new Promise((resolve) => this.server.close(resolve));
  }
}

let app: TestNuqta;
const receiver = new Receiver(6);
const ADMIN = { authorization: `Bearer ${TEST_SECRETS.adminKey}` };
let endpointId = '';
let secret = '';

async function api(method: string, path: string, body?: unknown): Promise<{ status: number; body: any }> {
  const response = await fetch(`${app.url}${path}`, {
    method,
    headers: { ...ADMIN, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.status, body: response.status === 204 ? null : await response.json() };
}

/** How many events `of` lists once the receiver has heard nothing new for a second. */
async function quiet(of: () => Received[]): Promise<number> {
  let seen = -1;
  while (of().length !== seen) {
    seen = of().length;
    await new Promise((resolve) => setTimeout(resolve, 1_000));
  }
  return seen;
}

const comments = (user: string, count: number): Comment[] => Array.from({ length: count }, (_, index) => ({ user, id: `wh-${user}-${index}` }));

beforeAll(async () => {
  await receiver.start();
  app = await startTestNuqta('outbound_webhooks', {
    env: { NUQTA_CAMPAIGNS: LEDGER_CAMPAIGNS, NUQTA_WEBHOOK_BACKOFF_SECONDS: '0.05', NUQTA_WEBHOOK_BACKOFF_MAX_SECONDS: '0.2', NUQTA_WEBHOOK_TIMEOUT_SECONDS: '1' },
  });
  const added = await api('POST', `/v1/campaigns/${BAKERY}/webhooks`, { url: receiver.url, events: ['points.earned', 'reward.unlocked', 'reward.redeemed'], description: 'CRM' });
  expect(added.status).toBe(201);
  ({ id: endpointId, secret } = added.body as { id: string; secret: string });
});
afterAll(async () => {
  await app?.cleanup();
  await receiver.stop();
});

describe('outbound webhooks', () => {
  it('a receiver that fails for a while gets every event once by id, in order per member, signed', async () => {
    // Three members, four comments each: 10 a comment and 5 for the first (45), so the croissant (20) unlocks once each.
    await scored(app, [...comments('901', 4), ...comments('902', 4), ...comments('903', 4)]);
    const expected = 3 * (5 + 1);
    await eventually(async () => (receiver.acknowledged.length >= expected ? true : undefined), 30_000, `${expected} events acknowledged`);
    await new Promise((resolve) => setTimeout(resolve, 300));

    const acknowledged = receiver.acknowledged;
    expect(acknowledged).toHaveLength(expected);
    expect(new Set(acknowledged.map((event) => event.id)).size).toBe(expected);
    // The failures were retried: some ids reached the receiver more than once, and were acknowledged once.
    expect(receiver.requests.length).toBe(expected + 6);
    for (const member of ['instagram:901', 'instagram:902', 'instagram:903']) {
      const events = acknowledged.filter((event) => event.memberId === member);
      expect(events.map((event) => event.type).sort()).toEqual([...Array(5).fill('points.earned'), 'reward.unlocked'].sort());
      const seqs = events.map((event) => event.data.seq);
      expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    }
    for (const request of receiver.requests) expect(verifySignature(request.signature, request.body, secret, new Date())).toBe(true);
    expect(verifySignature(receiver.requests[0]?.signature ?? '', receiver.requests[0]?.body ?? '', 'whsec_other', new Date())).toBe(false);
  });

  it('shows every delivery in the log with its last response, and replays one with the same id', async () => {
    const log = await api('GET', `/v1/campaigns/${BAKERY}/webhooks/${endpointId}/deliveries?limit=100`);
    expect(log.body.deliveries).toHaveLength(18);
    expect(log.body.deliveries.every((delivery: { status: string }) => delivery.status === 'delivered')).toBe(true);
    const retried = log.body.deliveries.filter((delivery: { attempts: number }) => delivery.attempts > 1);
    expect(retried.length).toBeGreaterThan(0);
    expect(retried[0].lastResponse).toMatchObject({ status: 200, body: 'ok' });

    const chosen = log.body.deliveries[0] as { id: string; eventId: string };
    const before = receiver.requests.length;
    expect((await api('POST', `/v1/campaigns/${BAKERY}/webhooks/${endpointId}/deliveries/${chosen.id}/replay`)).status).toBe(202);
    await eventually(async () => (receiver.requests.length > before ? true : undefined), 10_000, 'the replayed delivery');
    expect(receiver.requests.at(-1)?.id).toBe(chosen.eventId);
  });

  it('tells of a redemption, and signs with both secrets while a rotated one is in its grace period', async () => {
    const rotated = await api('POST', `/v1/campaigns/${BAKERY}/webhooks/${endpointId}/rotate`, { graceHours: 1 });
    expect(rotated.body.secret).toMatch(/^whsec_/);
    const redeemed = await fetch(`${app.url}/v1/campaigns/${BAKERY}/members/instagram%3A901/redemptions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': 'till-901-1', authorization: `Bearer ${TEST_SECRETS.redeemKey}` },
      body: JSON.stringify({ rewardId: 'croissant' }),
    });
    expect(redeemed.status).toBe(201);
    const event = await eventually(async () => receiver.acknowledged.find((request) => request.type === 'reward.redeemed'), 10_000, 'reward.redeemed');
    expect(event.data).toMatchObject({ rewardId: 'croissant', points: 20 });
    expect(verifySignature(event.signature, event.body, secret, new Date())).toBe(true);
    expect(verifySignature(event.signature, event.body, rotated.body.secret, new Date())).toBe(true);
  });

  it('warns of points about to expire once per lot, and tells of an erasure', async () => {
    const reminders = await api('POST', `/v1/campaigns/${BAKERY}/webhooks`, { url: receiver.url, events: ['points.expiring', 'member.erased'], expiringDays: 30 });
    expect(reminders.status).toBe(201);
    const expiring = (): Received[] => receiver.acknowledged.filter((request) => request.type === 'points.expiring');
    // Points last 30 days: every lot of 902 (four comments and the first-time bonus) expires within the 30 days asked for.
    await expirySweep(app, new Date());
    await eventually(async () => (expiring().filter((event) => event.memberId === 'instagram:902').length === 5 ? true : undefined), 10_000, 'five points.expiring for 902');
    const first = await quiet(expiring);
    await expirySweep(app, new Date(Date.now() + 1_000));
    expect(await quiet(expiring)).toBe(first);
    expect(expiring().find((event) => event.memberId === 'instagram:902')?.data).toMatchObject({ points: expect.any(Number), expiresAt: expect.any(String) });

    const erased = await fetch(`${app.url}/v1/members/instagram%3A903`, { method: 'DELETE', headers: ADMIN });
    expect(erased.status).toBe(200);
    const notice = await eventually(async () => receiver.acknowledged.find((request) => request.type === 'member.erased'), 10_000, 'member.erased');
    expect(notice.memberId).toBe('instagram:903');
    // The deliveries that named 903 went with the rest of their data.
    const log = await api('GET', `/v1/campaigns/${BAKERY}/webhooks/${endpointId}/deliveries?limit=500`);
    expect(log.body.deliveries.some((delivery: { memberId: string }) => delivery.memberId === 'instagram:903')).toBe(false);
  });

  it('registers only https endpoints (http for this machine), for a campaign the key may change', async () => {
    const refused = await api('POST', `/v1/campaigns/${BAKERY}/webhooks`, { url: 'http://crm.example.com/hooks', events: ['points.earned'] });
    expect(refused.body.error).toMatchObject({ code: 'NUQTA_BAD_REQUEST', message: 'url: must be https:// (http:// only for localhost)' });
    expect((await api('POST', `/v1/campaigns/${BAKERY}/webhooks`, { url: 'https://crm.example.com/hooks', events: ['nope'] })).status).toBe(400);
    const listed = await api('GET', `/v1/campaigns/${BAKERY}/webhooks`);
    expect(listed.body.endpoints).toContainEqual(expect.objectContaining({ id: endpointId, description: 'CRM', url: receiver.url }));
    expect(JSON.stringify(listed.body)).not.toContain('whsec_');
  });
});
