/**
 * Random bodies, headers, content types and encodings at the doors anyone
 * can knock on: no answer is a server error, every error carries a code of
 * the registry, and the server is still up afterwards.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ERRORS } from '../../../src/errors.js';
import { instagramSignatureOf } from '../../../src/platforms/instagram/signature.js';
import { startTestNuqta, TEST_SECRETS, type TestNuqta } from '../../helpers/test-nuqta.js';

let app: TestNuqta;

beforeAll(async () => {
  app = await startTestNuqta('fuzz', { env: { NUQTA_CAMPAIGNS: 'test/fixtures/campaigns/surface' } });
});
afterAll(async () => {
  await app?.cleanup();
});

const contentType = fc.constantFrom('application/json', 'application/json; charset=utf-16', 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/octet-stream', '');
const body = fc.oneof(
  fc.jsonValue().map((value) => JSON.stringify(value)),
  fc.string({ maxLength: 300 }),
  fc.uint8Array({ maxLength: 300 }).map((bytes) => Buffer.from(bytes).toString('latin1')),
  fc.constant('{"object":"instagram","entry":[{"id":"17841400000000051","changes":[{"field":"comments","value":{"from":{"id":"1"},"id":"c","text":"x","media":{"id":"m"}}}]}]}'),
  fc.constant('{"events":[{"platform":"instagram","kind":"comment"}]}'),
);
const door = fc.constantFrom('/webhooks/instagram', '/webhooks/tiktok', '/v1/events', '/v1/campaigns/souq-public/members/instagram:1/redemptions', '/v1/review/decisions');
const key = fc.constantFrom(undefined, TEST_SECRETS.ingestKey, TEST_SECRETS.adminKey, 'not-a-key', '');
const signed = fc.boolean();

describe('fuzzing the doors', () => {
  it('never answers 5xx, always with a registered error code, and stays up', { timeout: 120_000 }, async () => {
    const codes = new Set(Object.keys(ERRORS));
    await fc.assert(fc.asyncProperty(door, contentType, body, key, signed, async (path, type, payload, apiKey, sign) => {
      const headers: Record<string, string> = {
        ...(type === '' ? {} : { 'content-type': type }),
        ...(apiKey === undefined ? {} : { authorization: `Bearer ${apiKey}` }),
        ...(sign ? { 'x-hub-signature-256': instagramSignatureOf(payload, TEST_SECRETS.IG_APP_SECRET), 'idempotency-key': 'fuzz-1' } : {}),
      };
      const response = await fetch(`${app.url}${path}`, { method: 'POST', headers, body: payload });
      const text = await response.text();
      expect(response.status, `${path} ${type} ${text.slice(0, 200)}`).toBeLessThan(500);
      if (response.status >= 400) {
        const parsed = JSON.parse(text) as { error?: { code?: string; message?: string } };
        expect(codes.has(parsed.error?.code ?? ''), text.slice(0, 200)).toBe(true);
        expect(typeof parsed.error?.message).toBe('string');
      }
    }), { numRuns: 250, seed: 77 });
    expect((await fetch(`${app.url}/healthz`)).status).toBe(200);
  });
});
