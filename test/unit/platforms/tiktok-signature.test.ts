import { describe, expect, it } from 'vitest';
import {
  signTikTokWebhook,
  tiktokSignatureOf,
  verifyTikTokSignature,
  type TikTokSignatureCheck,
} from '../../../src/platforms/tiktok/signature.js';
import { fixtureBytes } from './fixtures.js';

const SECRET = 'tiktok-client-secret-for-tests';
const NOW = new Date('2027-03-05T18:30:00Z');
const T = Math.floor(NOW.getTime() / 1000);
const body = fixtureBytes('tiktok/comment-insert.json');
const goodDigest = tiktokSignatureOf(body, SECRET, T);

type Outcome = 'ok' | 'NUQTA_BAD_SIGNATURE' | 'NUQTA_STALE_SIGNATURE';
const outcomeOf = (check: TikTokSignatureCheck): Outcome => (check.ok ? 'ok' : check.code);

describe('verifyTikTokSignature', () => {
  it.each<{ name: string; header: string | undefined; now?: Date; toleranceSeconds?: number; expected: Outcome }>([
    { name: 'the header TikTok would send', header: signTikTokWebhook(body, SECRET, NOW), expected: 'ok' },
    { name: 's before t, with spaces', header: `s=${goodDigest}, t=${T}`, expected: 'ok' },
    { name: 'an upper-case digest', header: `t=${T},s=${goodDigest.toUpperCase()}`, expected: 'ok' },
    { name: 'one good digest among several', header: `t=${T},s=${'0'.repeat(64)},s=${goodDigest}`, expected: 'ok' },
    { name: 'signed 4 minutes ago', header: `t=${T - 240},s=${tiktokSignatureOf(body, SECRET, T - 240)}`, expected: 'ok' },
    { name: 'a missing header', header: undefined, expected: 'NUQTA_BAD_SIGNATURE' },
    { name: 'an empty header', header: ' ', expected: 'NUQTA_BAD_SIGNATURE' },
    { name: 'no timestamp', header: `s=${goodDigest}`, expected: 'NUQTA_BAD_SIGNATURE' },
    { name: 'a timestamp that is not a number', header: `t=yesterday,s=${goodDigest}`, expected: 'NUQTA_BAD_SIGNATURE' },
    { name: 'no signature', header: `t=${T}`, expected: 'NUQTA_BAD_SIGNATURE' },
    { name: 'a digest that is not hex', header: `t=${T},s=${'z'.repeat(64)}`, expected: 'NUQTA_BAD_SIGNATURE' },
    { name: 'a truncated digest', header: `t=${T},s=${goodDigest.slice(0, 63)}`, expected: 'NUQTA_BAD_SIGNATURE' },
    { name: 'garbage', header: 'sha256=abc', expected: 'NUQTA_BAD_SIGNATURE' },
    { name: 'another secret', header: signTikTokWebhook(body, 'other-secret', NOW), expected: 'NUQTA_BAD_SIGNATURE' },
    // A replayed body with a fresh t: the signature covers t, so it no longer matches.
    { name: 'a fresh t on an old signature', header: `t=${T + 1},s=${goodDigest}`, expected: 'NUQTA_BAD_SIGNATURE' },
    { name: 'signed 6 minutes ago', header: `t=${T - 360},s=${tiktokSignatureOf(body, SECRET, T - 360)}`, expected: 'NUQTA_STALE_SIGNATURE' },
    { name: 'signed 6 minutes ahead', header: `t=${T + 360},s=${tiktokSignatureOf(body, SECRET, T + 360)}`, expected: 'NUQTA_STALE_SIGNATURE' },
    {
      name: 'an old signature checked later (injected now)',
      header: signTikTokWebhook(body, SECRET, NOW),
      now: new Date(NOW.getTime() + 301_000),
      expected: 'NUQTA_STALE_SIGNATURE',
    },
    {
      name: 'a 4-minute-old signature with a 60 s tolerance',
      header: `t=${T - 240},s=${tiktokSignatureOf(body, SECRET, T - 240)}`,
      toleranceSeconds: 60,
      expected: 'NUQTA_STALE_SIGNATURE',
    },
  ])('$name → $expected', ({ header, now, toleranceSeconds, expected }) => {
    const options = { now: now ?? NOW, ...(toleranceSeconds === undefined ? {} : { toleranceSeconds }) };
    expect(outcomeOf(verifyTikTokSignature(body, header, SECRET, options))).toBe(expected);
  });

  it('is over the raw bytes: the same JSON re-serialized does not verify', () => {
    const reformatted = JSON.stringify(JSON.parse(body.toString('utf8')));
    expect(outcomeOf(verifyTikTokSignature(reformatted, signTikTokWebhook(body, SECRET, NOW), SECRET, { now: NOW }))).toBe(
      'NUQTA_BAD_SIGNATURE',
    );
  });

  it('reports when the body was signed', () => {
    expect(verifyTikTokSignature(body, signTikTokWebhook(body, SECRET, NOW), SECRET, { now: NOW })).toEqual({
      ok: true,
      signedAt: NOW,
    });
  });

  it('matches the digest documented as HMAC-SHA256 over "t.body"', () => {
    // Computed independently: printf '1633174587.{}' | openssl dgst -sha256 -hmac secret
    expect(tiktokSignatureOf('{}', 'secret', 1633174587)).toBe(
      '9c3fc788b5259bbb96b9f90559d2ebe2891f210e0e38f0693abc9f5f6cfc8bd0',
    );
  });
});
