/**
 * Reaching members without their platform ids: "find me" by handle on a
 * public board, follower links minted through the API (admin key, scoped to
 * the campaign) that open the member's own page, and the dashboard's read.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestNuqta, TEST_SECRETS, type TestNuqta } from '../../helpers/test-nuqta.js';
import { BAKERY, getJson, LEDGER_CAMPAIGNS, scored } from '../ledger/ledger-helpers.js';

const SCOPED_ADMIN = 'admin-scoped-key-0123456789ab';
let app: TestNuqta;

beforeAll(async () => {
  app = await startTestNuqta('member_links', { env: { NUQTA_CAMPAIGNS: LEDGER_CAMPAIGNS, NUQTA_API_KEYS: `admin:${TEST_SECRETS.adminKey},reviewer:${TEST_SECRETS.reviewerKey},ingest:${TEST_SECRETS.ingestKey},admin@members-club:${SCOPED_ADMIN}` } });
  // 35, 25 and 15 points (10 a comment, 5 for the first one).
  await scored(app, [
    { user: '601', username: 'huda', id: 'ml-601-1' },
    { user: '601', username: 'huda', id: 'ml-601-2' },
    { user: '601', username: 'huda', id: 'ml-601-3' },
    { user: '602', username: 'omar', id: 'ml-602-1' },
    { user: '602', username: 'omar', id: 'ml-602-2' },
    { user: '603', username: 'lama', id: 'ml-603-1' },
  ]);
});
afterAll(async () => {
  await app?.cleanup();
});

interface Standing {
  publicId: string;
  memberId?: string;
  rank: number | null;
  points: number;
  around: { rank: number; publicId: string; memberId?: string; displayName: { en: string }; points: number }[];
}

describe('find me by handle', () => {
  it('answers the rank and the rows around, with public ids only, for @handle in any case', async () => {
    const { status, body } = await getJson<Standing>(`${app.url}/v1/campaigns/${BAKERY}/handles/${encodeURIComponent('@Omar')}/rank?around=1`);
    expect(status).toBe(200);
    expect(body).toMatchObject({ rank: 2, points: 25 });
    expect(body.memberId).toBeUndefined();
    expect(body.around.map((row) => [row.rank, row.displayName.en, row.points])).toEqual([[1, '@huda', 35], [2, '@omar', 25], [3, '@lama', 15]]);
    expect(body.around.every((row) => row.memberId === undefined && row.publicId.startsWith('p_'))).toBe(true);
  });

  it('says plainly when nobody has the handle, refuses what is not a handle, and keeps private boards private', async () => {
    const missing = await getJson<{ error: { code: string; message: string } }>(`${app.url}/v1/campaigns/${BAKERY}/handles/nobody.here/rank`);
    expect(missing.status).toBe(404);
    expect(missing.body.error).toEqual({ code: 'NUQTA_MEMBER_NOT_FOUND', message: 'nobody with the handle @nobody.here takes part in campaign "corner-bakery"' });
    expect((await getJson(`${app.url}/v1/campaigns/${BAKERY}/handles/${encodeURIComponent('<script>')}/rank`)).status).toBe(400);
    expect((await getJson(`${app.url}/v1/campaigns/members-club/handles/huda/rank`)).status).toBe(401);
  });
});

describe('follower links through the API', () => {
  const mint = async (campaign: string, memberId: string, key: string, body?: unknown): Promise<{ status: number; json(): Promise<unknown> }> => {
    const response = await fetch(`${app.url}/v1/campaigns/${campaign}/members/${encodeURIComponent(memberId)}/link`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    return { status: response.status, json: async () => JSON.parse(text) as unknown };
  };

  it('mints a link to the member\'s own page, valid for the days asked (90 by default)', async () => {
    const response = await mint(BAKERY, 'instagram:601', TEST_SECRETS.adminKey);
    expect(response.status).toBe(201);
    const link = (await response.json()) as { url: string; token: string; expiresAt: string; publicId: string };
    expect(link.url).toBe(`${app.url}/me/${link.token}`);
    expect(Math.round((Date.parse(link.expiresAt) - Date.now()) / 86_400_000)).toBe(90);
    expect(link.token).not.toContain('601');
    const page = await fetch(`${link.url}?lang=en`);
    expect(page.status).toBe(200);
    expect(page.headers.get('cache-control')).toBe('no-store');
    const html = await page.text();
    expect(html).toContain('<p class="big" data-testid="balance">35 points</p>');
    expect(html).not.toContain('instagram:601');

    const week = (await (await mint(BAKERY, link.publicId, TEST_SECRETS.adminKey, { days: 7 })).json()) as { expiresAt: string };
    expect(Math.round((Date.parse(week.expiresAt) - Date.now()) / 86_400_000)).toBe(7);
  });

  it('needs an admin key for the campaign, a member of it, and a sensible expiry', async () => {
    expect((await mint(BAKERY, 'instagram:601', TEST_SECRETS.reviewerKey)).status).toBe(403);
    expect((await mint(BAKERY, 'instagram:601', SCOPED_ADMIN)).status).toBe(403);
    expect((await mint(BAKERY, 'instagram:699', TEST_SECRETS.adminKey)).status).toBe(404);
    expect((await mint(BAKERY, 'instagram:601', TEST_SECRETS.adminKey, { days: 400 })).status).toBe(400);
  });
});

describe('the dashboard\'s read', () => {
  it('gives an admin the KPIs, engagement per hour, top posts and the accounts the campaign names', async () => {
    const { status, body } = await getJson<{ kpis: { participants: number; pointsIssued: number }; eventsPerHour: { hours: number[]; events: number[] }; topPosts: { engagements: number }[]; accounts: { connected: boolean }[] }>(
      `${app.url}/v1/campaigns/${BAKERY}/dashboard`, { authorization: `Bearer ${TEST_SECRETS.adminKey}` });
    expect(status).toBe(200);
    expect(body.kpis).toMatchObject({ participants: 3, pointsIssued: 75 });
    expect(body.eventsPerHour.events.reduce((sum, count) => sum + count, 0)).toBe(6);
    expect(body.eventsPerHour.hours).toHaveLength(body.eventsPerHour.events.length);
    expect(body.accounts.every((account) => !account.connected)).toBe(true);
    expect((await getJson(`${app.url}/v1/campaigns/${BAKERY}/dashboard`, { authorization: `Bearer ${TEST_SECRETS.reviewerKey}` })).status).toBe(403);
  });
});
