/**
 * `TikTok-Signature: t=<unix seconds>,s=<hex>` where s = HMAC-SHA256 of
 * `t + "." + rawBody` keyed with the client secret. The timestamp is signed, so
 * a captured request cannot be replayed later with a fresh `t`: once the
 * signature holds, an old `t` means a replay (or a very late retry) and is
 * refused as stale.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { ErrorCode } from '../../errors.js';

export const DEFAULT_SIGNATURE_TOLERANCE_SECONDS = 5 * 60;

export type TikTokSignatureCheck =
  | { ok: true; signedAt: Date }
  | {
      ok: false;
      /** The route answers 401 with this code. */
      code: Extract<ErrorCode, 'NUQTA_BAD_SIGNATURE' | 'NUQTA_STALE_SIGNATURE'>;
      /** For the log, never for the caller: which check failed. */
      message: string;
    };

export interface TikTokSignatureOptions {
  now?: Date;
  toleranceSeconds?: number;
}

export function tiktokSignatureOf(rawBody: Buffer | string, clientSecret: string, timestamp: number): string {
  return createHmac('sha256', clientSecret).update(`${timestamp}.`).update(rawBody).digest('hex');
}

/** The header value TikTok would send for this body; used by tests and the emulator. */
export function signTikTokWebhook(rawBody: Buffer | string, clientSecret: string, signedAt: Date): string {
  const timestamp = Math.floor(signedAt.getTime() / 1000);
  return `t=${timestamp},s=${tiktokSignatureOf(rawBody, clientSecret, timestamp)}`;
}

export function verifyTikTokSignature(
  rawBody: Buffer | string,
  header: string | undefined,
  clientSecret: string,
  options: TikTokSignatureOptions = {},
): TikTokSignatureCheck {
  if (header === undefined || header.trim() === '') return bad('missing TikTok-Signature header');
  const parts = parseHeader(header);
  if (parts.timestamp === undefined) return bad('no valid t= in TikTok-Signature');
  if (parts.signatures.length === 0) return bad('no valid s= in TikTok-Signature');
  const expected = Buffer.from(tiktokSignatureOf(rawBody, clientSecret, parts.timestamp), 'hex');
  const matches = parts.signatures.some((given) => timingSafeEqual(Buffer.from(given, 'hex'), expected));
  if (!matches) return bad('signature does not match the body');

  const now = options.now ?? new Date();
  const tolerance = options.toleranceSeconds ?? DEFAULT_SIGNATURE_TOLERANCE_SECONDS;
  const skewSeconds = Math.abs(now.getTime() / 1000 - parts.timestamp);
  if (skewSeconds > tolerance) {
    return { ok: false, code: 'NUQTA_STALE_SIGNATURE', message: `signed ${Math.round(skewSeconds)}s away from now (tolerance ${tolerance}s)` };
  }
  return { ok: true, signedAt: new Date(parts.timestamp * 1000) };
}

function bad(message: string): TikTokSignatureCheck {
  return { ok: false, code: 'NUQTA_BAD_SIGNATURE', message };
}

/** `t=..,s=..` in any order; the format is a list, so every well-formed `s=` is tried. */
function parseHeader(header: string): { timestamp: number | undefined; signatures: string[] } {
  let timestamp: number | undefined;
  const signatures: string[] = [];
  for (const element of header.split(',')) {
    const separator = element.indexOf('=');
    if (separator < 0) continue;
    const key = element.slice(0, separator).trim();
    const value = element.slice(separator + 1).trim();
    if (key === 't' && /^\d{1,12}$/.test(value)) timestamp = Number(value);
    // Only well-formed digests reach timingSafeEqual, which needs equal lengths.
    if (key === 's' && /^[0-9a-f]{64}$/i.test(value)) signatures.push(value);
  }
  return { timestamp, signatures };
}
