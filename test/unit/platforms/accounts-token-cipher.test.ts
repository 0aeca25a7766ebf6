import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TokenCipher } from '../../../src/platforms/accounts/token-cipher.js';

const key = randomBytes(32);

describe('TokenCipher (AES-256-GCM)', () => {
  it('reads the key as 64 hex digits or as base64, and refuses any other length naming the variable', () => {
    const fromHex = TokenCipher.fromKey(key.toString('hex'));
    const fromBase64 = TokenCipher.fromKey(key.toString('base64'));
    expect(fromBase64.decrypt(fromHex.encrypt('EAAG-token', 'instagram|1'), 'instagram|1')).toBe('EAAG-token');
    expect(() => TokenCipher.fromKey(randomBytes(16).toString('base64'))).toThrow(/NUQTA_TOKEN_KEY must be 32 bytes/);
  });

  it('round-trips any token, never leaving it readable in the sealed form', () => {
    const cipher = TokenCipher.fromKey(key.toString('base64'));
    fc.assert(
      fc.property(fc.string({ minLength: 8, maxLength: 400 }), (token) => {
        const sealed = cipher.encrypt(token, 'tiktok|bc-1');
        expect(JSON.stringify(sealed)).not.toContain(token);
        expect(cipher.decrypt(sealed, 'tiktok|bc-1')).toBe(token);
      }),
    );
  });

  it('refuses a sealed token that was altered, or read as another account’s', () => {
    const cipher = TokenCipher.fromKey(key.toString('base64'));
    const sealed = cipher.encrypt('EAAG-token-of-account-1', 'instagram|1');
    expect(() => cipher.decrypt(sealed, 'instagram|2')).toThrow(/cannot be decrypted with NUQTA_TOKEN_KEY/);
    const data = Buffer.from(sealed.data, 'base64');
    data[0] = (data[0] ?? 0) ^ 1;
    expect(() => cipher.decrypt({ ...sealed, data: data.toString('base64') }, 'instagram|1')).toThrow(/cannot be decrypted/);
    expect(() => TokenCipher.fromKey(randomBytes(32).toString('hex')).decrypt(sealed, 'instagram|1')).toThrow(/was the key changed/);
  });
});
