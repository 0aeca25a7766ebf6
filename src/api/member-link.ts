/**
 * A follower's own link (`/me/<token>`): a campaign, the member's public id
 * and an expiry, signed with a key derived from the server secret. The token
 * names the member only through the sealed public id (no platform user id in
 * the URL), and a token that was altered, made with another secret, or is
 * past its expiry opens nothing.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { PublicIds } from './public-id.js';

const VERSION = 'v1';
/** Long enough for a bio link or a printed QR code to stay useful through a campaign. */
export const DEFAULT_LINK_DAYS = 90;
export const MAX_LINK_DAYS = 366;
const DAY_MS = 86_400_000;

export type LinkCheck =
  | { ok: true; campaignId: string; memberId: string; expiresAt: Date }
  | { ok: false; problem: 'invalid' | 'expired' };

export class MemberLinks {
  private readonly macKey: Buffer;

  constructor(secret: Buffer, private readonly publicIds: PublicIds) {
    this.macKey = createHmac('sha256', secret).update('member link').digest();
  }

  private macOf(body: string): string {
    return createHmac('sha256', this.macKey).update(body).digest('base64url');
  }

  /** The token for the member's page in the campaign, valid until `expiresAt` (to the second). */
  mint(campaignId: string, memberId: string, expiresAt: Date): string {
    const body = [VERSION, campaignId, this.publicIds.idOf(campaignId, memberId), Math.floor(expiresAt.getTime() / 1000)].join('.');
    return `${body}.${this.macOf(body)}`;
  }

  check(token: string, now: Date): LinkCheck {
    const parts = token.split('.');
    if (parts.length !== 5 || parts[0] !== VERSION) return { ok: false, problem: 'invalid' };
    const [, campaignId = '', publicId = '', expiry = '', mac = ''] = parts;
    const expected = Buffer.from(this.macOf(parts.slice(0, 4).join('.')));
    const presented = Buffer.from(mac);
    if (expected.length !== presented.length || !timingSafeEqual(expected, presented)) return { ok: false, problem: 'invalid' };
    const memberId = this.publicIds.memberOf(campaignId, publicId);
    const expiresAt = new Date(Number(expiry) * 1000);
    if (memberId === undefined || !/^\d{1,12}$/.test(expiry)) return { ok: false, problem: 'invalid' };
    if (expiresAt.getTime() <= now.getTime()) return { ok: false, problem: 'expired' };
    return { ok: true, campaignId, memberId, expiresAt };
  }
}

/** When a link made now for `days` days expires. */
export function linkExpiry(now: Date, days: number): Date {
  return new Date(now.getTime() + days * DAY_MS);
}
