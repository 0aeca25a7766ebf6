import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestNuqta, type TestNuqta } from '../../helpers/test-nuqta.js';
import { LEDGER_CAMPAIGNS } from '../ledger/ledger-helpers.js';

let app: TestNuqta;

interface Operation {
  parameters?: { in: string; name: string; required?: boolean }[];
  requestBody?: unknown;
  responses: Record<string, { content?: Record<string, { schema: unknown }> }>;
}

beforeAll(async () => {
  app = await startTestNuqta('openapi_members', { env: { NUQTA_CAMPAIGNS: LEDGER_CAMPAIGNS }, work: false });
});
afterAll(async () => {
  await app?.cleanup();
});

describe('OpenAPI document', () => {
  it('documents the member, redemption and explain routes with their parameters and replies', async () => {
    const document = (await (await fetch(`${app.url}/docs/openapi.json`)).json()) as { paths: Record<string, Record<string, Operation>> };
    const operation = (path: string, method: string): Operation => {
      const found = document.paths[path]?.[method];
      if (!found) throw new Error(`${method.toUpperCase()} ${path} is not documented`);
      return found;
    };
    const names = (op: Operation, where: string): string[] => (op.parameters ?? []).filter((p) => p.in === where).map((p) => p.name).sort();

    const view = operation('/v1/campaigns/{id}/members/{memberId}', 'get');
    expect(names(view, 'path')).toEqual(['id', 'memberId']);
    expect(view.responses['200']?.content?.['application/json']?.schema).toMatchObject({ properties: { balance: {}, nextReward: {}, expiring: {}, rank: {} } });

    expect(names(operation('/v1/campaigns/{id}/members/{memberId}/history', 'get'), 'query')).toEqual(['cursor', 'limit']);
    expect(names(operation('/v1/campaigns/{id}/members/{memberId}/rank', 'get'), 'query')).toEqual(['around', 'at', 'window']);

    const redeem = operation('/v1/campaigns/{id}/members/{memberId}/redemptions', 'post');
    expect(redeem.parameters).toContainEqual(expect.objectContaining({ in: 'header', name: 'idempotency-key', required: true }));
    expect(redeem.requestBody).toMatchObject({ content: { 'application/json': { schema: { properties: { rewardId: {} } } } } });
    expect(Object.keys(redeem.responses).sort()).toEqual(['201', '400', '401', '403', '404', '405', '409', '413', '414', '415', '429', '431', '500', '503']);
    // Every error is declared in the one error shape.
    expect(redeem.responses['401']?.content?.['application/json']?.schema).toMatchObject({ properties: { error: { properties: { code: {}, message: {} } } } });

    const explain = operation('/v1/campaigns/{id}/events/{eventKey}/explain', 'get');
    expect(explain.responses['200']?.content?.['application/json']?.schema).toMatchObject({ properties: { entries: {}, nonAwards: {}, event: {} } });
  });

  it('is browsable at /docs, every asset served by this server and nothing fetched from elsewhere', async () => {
    const page = await fetch(`${app.url}/docs/`);
    expect(page.status).toBe(200);
    const html = await page.text();
    const assets = [...html.matchAll(/(?:href|src)="([^"]+)"/g)].map((match) => match[1] ?? '');
    expect(assets.length).toBeGreaterThan(2);
    expect(assets.filter((asset) => /^(https?:)?\/\//.test(asset))).toEqual([]);
    for (const asset of assets) {
      const response = await fetch(new URL(asset, `${app.url}/docs/`));
      // Read to the end: an unread body keeps its connection busy, and closing the server waits for it.
      await response.arrayBuffer();
      expect(response.status, asset).toBe(200);
    }
    const initializer = await (await fetch(`${app.url}/docs/static/swagger-initializer.js`)).text();
    expect(initializer).toContain('./json');
    expect(page.headers.get('content-security-policy')).not.toContain('upgrade-insecure-requests');
  });
});
