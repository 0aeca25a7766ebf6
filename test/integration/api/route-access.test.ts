/**
 * Who may call what, route by route and role by role, walked from the
 * server's own route list: a route added without a rule here fails, and a
 * rule that does not hold for the running server fails.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiRole } from '../../../src/config/api-keys.js';
import { API_ROLES } from '../../../src/config/api-keys.js';
import type { RouteAccess } from '../../../src/api/auth.js';
import { startTestNuqta, TEST_SECRETS, type TestNuqta } from '../../helpers/test-nuqta.js';

const CAMPAIGN = 'souq-public';

/** The rule of every route. */
const RULES: Record<string, RouteAccess> = {
  'GET /healthz': 'public',
  'GET /readyz': 'public',
  'GET /metrics': ['metrics'],
  'GET /docs/openapi.json': 'public',
  'GET /docs': 'public',
  'GET /docs/json': 'public',
  'GET /docs/yaml': 'public',
  'GET /docs/static/index.html': 'public',
  'GET /docs/static/swagger-initializer.js': 'public',
  'GET /docs/static/*': 'public',
  'GET /webhooks/instagram': 'signed',
  'POST /webhooks/instagram': 'signed',
  'POST /webhooks/tiktok': 'signed',
  'POST /v1/events': ['ingest'],
  'GET /v1/platforms': 'public',
  'GET /v1/campaigns': 'public',
  'GET /v1/campaigns/:id': 'public',
  'GET /v1/campaigns/:id/leaderboard': 'public',
  'POST /v1/campaigns': ['admin'],
  'PUT /v1/campaigns/:id': ['admin'],
  'GET /v1/campaigns/:id/revisions': ['admin'],
  'GET /v1/campaigns/:id/revisions/:n': ['admin'],
  'POST /v1/campaigns/:id/pause': ['admin'],
  'POST /v1/campaigns/:id/resume': ['admin'],
  'POST /v1/campaigns/:id/end': ['admin'],
  'POST /v1/campaigns/:id/archive': ['admin'],
  'POST /v1/campaigns/:id/unarchive': ['admin'],
  'POST /v1/campaigns/:id/webhooks': ['admin'],
  'GET /v1/campaigns/:id/webhooks': ['admin'],
  'DELETE /v1/campaigns/:id/webhooks/:endpointId': ['admin'],
  'POST /v1/campaigns/:id/webhooks/:endpointId/rotate': ['admin'],
  'GET /v1/campaigns/:id/webhooks/:endpointId/deliveries': ['admin'],
  'POST /v1/campaigns/:id/webhooks/:endpointId/deliveries/:deliveryId/replay': ['admin'],
  'GET /v1/campaigns/:id/members/:memberId': ['reader', 'reviewer'],
  'GET /v1/campaigns/:id/members/:memberId/history': ['reader', 'reviewer'],
  'GET /v1/campaigns/:id/members/:memberId/rank': 'public',
  'GET /v1/campaigns/:id/handles/:handle/rank': 'public',
  'POST /v1/campaigns/:id/members/:memberId/link': ['admin'],
  'GET /v1/campaigns/:id/dashboard': ['admin'],
  'POST /v1/campaigns/:id/members/:memberId/redemptions': ['redeem'],
  'POST /v1/campaigns/:id/members/:memberId/hashtag-claims': ['ingest'],
  'GET /v1/campaigns/:id/members/:memberId/wallet': ['reader', 'reviewer'],
  'POST /v1/campaigns/:id/rewards/:rewardId/vouchers': ['admin'],
  'POST /v1/campaigns/:id/vouchers/:code/use': ['ingest'],
  'POST /v1/campaigns/:id/vouchers/:code/cancel': ['redeem'],
  'POST /v1/campaigns/:id/referral-codes': ['admin'],
  'GET /v1/campaigns/:id/referral-codes': ['admin'],
  'GET /v1/campaigns/:id/referral-codes/:code': ['admin'],
  'POST /v1/campaigns/:id/referral-codes/:code/end': ['admin'],
  'POST /v1/campaigns/:id/members/:memberId/referral-code': ['admin'],
  'GET /v1/campaigns/:id/referrals/report': ['admin'],
  'GET /v1/campaigns/:id/events/:eventKey/explain': ['reader', 'reviewer'],
  'GET /v1/review/flags': ['reviewer'],
  'GET /v1/review/flags/:id': ['reviewer'],
  'POST /v1/review/flags/:id/decision': ['reviewer'],
  'POST /v1/review/decisions': ['reviewer'],
  'POST /v1/review/waves/:id/decision': ['reviewer'],
  'GET /v1/review/blocks': ['reviewer'],
  'POST /v1/review/blocks': ['reviewer'],
  'DELETE /v1/review/blocks/:memberId': ['reviewer'],
  'DELETE /v1/members/:memberId': ['admin'],
  'GET /v1/erasures/:erasureId': ['admin'],
  'GET /v1/members/:memberId/export': ['admin'],
  // The pages: anyone may open them; what the staff pages show comes from the API with the key typed into them.
  'GET /leaderboard/:campaignId': 'public',
  'GET /me/:token': 'public',
  'GET /review': 'public',
  'GET /campaigns/:id': 'public',
  'GET /assets/*': 'public',
};

const SAMPLE_PARAMS: Record<string, string> = {
  id: CAMPAIGN,
  memberId: 'instagram:6101',
  eventKey: 'instagram:comment:ra-1',
  erasureId: 'no-such-erasure',
  n: '1',
  endpointId: `we_${'0'.repeat(24)}`,
  deliveryId: 'no-such-delivery',
  handle: 'someone',
  campaignId: CAMPAIGN,
  token: 'not-a-token',
  rewardId: 'no-such-reward',
  code: 'NO-SUCH-CODE',
};
/** Routes whose rule depends on what they are asked: unblocking in one campaign is a reviewer's (everywhere, an admin's). */
const SAMPLE_QUERY: Record<string, string> = { 'DELETE /v1/review/blocks/:memberId': `?campaign=${CAMPAIGN}` };
/** On a public route a member is named by the public id a board row shows (this one names nobody). */
const PUBLIC_MEMBER = `p_${'A'.repeat(30)}`;

const KEYS: Record<ApiRole, string> = {
  admin: TEST_SECRETS.adminKey,
  reviewer: TEST_SECRETS.reviewerKey,
  ingest: TEST_SECRETS.ingestKey,
  redeem: TEST_SECRETS.redeemKey,
  reader: TEST_SECRETS.readerKey,
  metrics: TEST_SECRETS.metricsKey,
};

let app: TestNuqta;

beforeAll(async () => {
  app = await startTestNuqta('route_access', { env: { NUQTA_CAMPAIGNS: 'test/fixtures/campaigns/surface' } });
});
afterAll(async () => {
  await app?.cleanup();
});

function routes() {
  const table = app.server?.routeTable;
  if (!table) throw new Error('the test server is not serving');
  return table.list();
}

async function status(method: string, url: string, key: string | undefined): Promise<number> {
  const isPublic = RULES[`${method} ${url}`] === 'public';
  const path = url.replace(/:([A-Za-z]+)/g, (_, name: string) => encodeURIComponent(name === 'memberId' && isPublic ? PUBLIC_MEMBER : (SAMPLE_PARAMS[name] ?? name)));
  const response = await fetch(`${app.url}${path}${SAMPLE_QUERY[`${method} ${url}`] ?? ''}`, {
    method,
    headers: { ...(key === undefined ? {} : { authorization: `Bearer ${key}` }), ...(method === 'GET' || method === 'DELETE' ? {} : { 'content-type': 'application/json' }) },
    ...(method === 'GET' || method === 'DELETE' ? {} : { body: '{}' }),
  });
  await response.arrayBuffer();
  return response.status;
}

describe('route access', () => {
  it('has a rule for every route the server has, and every route declares the rule it has here', () => {
    const declared = Object.fromEntries(routes().map((route) => [`${route.method} ${route.url}`, route.access]));
    expect(Object.keys(declared).sort()).toEqual(Object.keys(RULES).sort());
    expect(declared).toEqual(RULES);
  });

  it('holds for every route and every role: 401 without a key, 403 with a key of another role, through with an allowed one', { timeout: 60_000 }, async () => {
    const seen: string[] = [];
    for (const route of routes()) {
      const rule = RULES[`${route.method} ${route.url}`];
      const without = await status(route.method, route.url, undefined);
      if (rule === 'public') {
        expect([401, 403], `${route.method} ${route.url} without a key`).not.toContain(without);
      } else if (rule === 'signed') {
        // Keys do not open what a platform signs.
        for (const role of API_ROLES) expect(await status(route.method, route.url, KEYS[role]), `${route.method} ${route.url} as ${role}`).toBe(without);
      } else if (rule !== undefined) {
        expect(without, `${route.method} ${route.url} without a key`).toBe(401);
        for (const role of API_ROLES) {
          const got = await status(route.method, route.url, KEYS[role]);
          const allowed = role === 'admin' || rule.includes(role);
          if (allowed) expect([401, 403], `${route.method} ${route.url} as ${role}`).not.toContain(got);
          else expect(got, `${route.method} ${route.url} as ${role}`).toBe(403);
        }
      }
      seen.push(`${route.method} ${route.url}`);
    }
    expect(seen).toHaveLength(Object.keys(RULES).length);
  });
});
