/**
 * Access tokens at rest: AES-256-GCM with a random 96-bit IV per encryption
 * and the account's key (`platform|accountId`) as associated data, so a
 * ciphertext copied onto another account's record fails to decrypt.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { NuqtaError } from '../../errors.js';

export interface EncryptedToken {
  /** Format version, so the scheme can change without guessing. */
  v: 1;
  iv: string;
  tag: string;
  data: string;
}

const KEY_BYTES = 32;
const IV_BYTES = 12;

/**
 * Encrypts with the current key; decrypts with the current key or, during a
 * key rotation, the previous one (`NUQTA_PREVIOUS_TOKEN_KEY`), so every
 * process keeps working until `nuqta accounts rekey` has rewritten the tokens.
 */
export class TokenCipher {
  private constructor(
    private readonly key: Buffer,
    private readonly previous: Buffer | undefined,
  ) {}

  /** `NUQTA_TOKEN_KEY` (and the key it replaces): 32 bytes written as 64 hex digits or as base64. */
  static fromKey(text: string, previous?: string): TokenCipher {
    return new TokenCipher(keyBytes(text, 'NUQTA_TOKEN_KEY'), previous === undefined ? undefined : keyBytes(previous, 'NUQTA_PREVIOUS_TOKEN_KEY'));
  }

  encrypt(token: string, accountKey: string): EncryptedToken {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(Buffer.from(accountKey, 'utf8'));
    const data = Buffer.concat([cipher.update(token, 'utf8'), cipher.final()]);
    return { v: 1, iv: iv.toString('base64'), tag: cipher.getAuthTag().toString('base64'), data: data.toString('base64') };
  }

  decrypt(sealed: EncryptedToken, accountKey: string): string {
    for (const key of this.previous === undefined ? [this.key] : [this.key, this.previous]) {
      const opened = open(key, sealed, accountKey);
      if (opened !== undefined) return opened;
    }
    // Never echo the ciphertext or the key: say what to do instead.
    throw new NuqtaError(
      'NUQTA_BAD_CONFIG',
      `the stored token of ${accountKey} cannot be decrypted with NUQTA_TOKEN_KEY${this.previous === undefined ? '' : ' or NUQTA_PREVIOUS_TOKEN_KEY'} (was the key changed? set the old one as NUQTA_PREVIOUS_TOKEN_KEY and run \`nuqta accounts rekey\`, or reconnect the account with \`nuqta accounts add\`)`,
    );
  }
}

function keyBytes(text: string, name: string): Buffer {
  const key = /^[0-9a-f]{64}$/i.test(text) ? Buffer.from(text, 'hex') : Buffer.from(text, 'base64');
  if (key.length !== KEY_BYTES) throw new NuqtaError('NUQTA_BAD_CONFIG', `${name} must be 32 bytes written as base64 or hex (openssl rand -base64 32)`);
  return key;
}

function open(key: Buffer, sealed: EncryptedToken, accountKey: string): string | undefined {
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(sealed.iv, 'base64'));
    decipher.setAAD(Buffer.from(accountKey, 'utf8'));
    decipher.setAuthTag(Buffer.from(sealed.tag, 'base64'));
    return Buffer.concat([decipher.update(Buffer.from(sealed.data, 'base64')), decipher.final()]).toString('utf8');
  } catch {
    return undefined;
  }
}

/** The error every token read or write gives while no key is configured. */
export function missingTokenKey(): NuqtaError {
  return new NuqtaError(
    'NUQTA_BAD_CONFIG',
    'NUQTA_TOKEN_KEY is not set: connected accounts keep their access tokens encrypted with it (generate one with `openssl rand -base64 32`)',
  );
}
