/**
 * How deliveries are signed: `Nuqta-Signature: t=<unix seconds>,v1=<hex>`,
 * the hex an HMAC-SHA256 with the endpoint's secret over `<t>.<raw body>`.
 * While a rotated secret is in its grace period, one `v1=` per live secret.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'nuqta-signature';
export const EVENT_ID_HEADER = 'nuqta-event-id';

export function signatureOf(secret: string, timestamp: number, body: string): string {
  return createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
}

export function signatureHeader(secrets: readonly string[], timestamp: number, body: string): string {
  return [`t=${timestamp}`, ...secrets.map((secret) => `v1=${signatureOf(secret, timestamp, body)}`)].join(',');
}

/** What a receiver does (README "Outbound webhooks"): a fresh timestamp and one matching `v1=`. */
export function verifySignature(header: string, body: string, secret: string, now: Date, toleranceSeconds = 300): boolean {
  const parts = header.split(',').map((part) => part.split('=') as [string, string | undefined]);
  const timestamp = Number(parts.find(([name]) => name === 't')?.[1]);
  if (!Number.isInteger(timestamp) || Math.abs(now.getTime() / 1000 - timestamp) > toleranceSeconds) return false;
  const expected = Buffer.from(signatureOf(secret, timestamp, body), 'hex');
  return parts.some(([name, value]) => name === 'v1' && value !== undefined && value.length === expected.length * 2 && timingSafeEqual(Buffer.from(value, 'hex'), expected));
}
