/**
 * A member's public id on a campaign's boards: opaque to whoever reads it,
 * so an anonymous board cannot be joined back to platform accounts, and
 * stable, so a follower can find their row again. It is the member id
 * sealed with the server secret (deterministic authenticated encryption,
 * SIV-style): the tag is an HMAC of campaign and member that also serves as
 * the counter-mode IV, so the server opens it without a look-up and refuses
 * any id it did not make.
 */
import { createCipheriv, createDecipheriv, createHmac, timingSafeEqual } from 'node:crypto';

const PREFIX = 'p_';
const TAG_BYTES = 16;
/** What a public id looks like (the tag and a sealed member id of at most 138 characters, base64url). */
export const PUBLIC_ID_PATTERN = /^p_[A-Za-z0-9_-]{22,220}$/;

export class PublicIds {
  private readonly macKey: Buffer;
  private readonly cipherKey: Buffer;

  constructor(secret: Buffer) {
    this.macKey = createHmac('sha256', secret).update('public-id mac').digest();
    this.cipherKey = createHmac('sha256', secret).update('public-id cipher').digest();
  }

  private tagOf(campaignId: string, memberId: string): Buffer {
    return createHmac('sha256', this.macKey).update(`${campaignId}\u0000${memberId}`).digest().subarray(0, TAG_BYTES);
  }

  idOf(campaignId: string, memberId: string): string {
    const tag = this.tagOf(campaignId, memberId);
    const cipher = createCipheriv('aes-256-ctr', this.cipherKey, tag);
    const sealed = Buffer.concat([cipher.update(memberId, 'utf8'), cipher.final()]);
    return PREFIX + Buffer.concat([tag, sealed]).toString('base64url');
  }

  /** The member a route names: a member id as it is, a public id opened; undefined for a public id the server did not make. */
  resolve(campaignId: string, ref: string): string | undefined {
    return isPublicId(ref) ? this.memberOf(campaignId, ref) : ref;
  }

  /** The member a public id names in the campaign, or undefined for anything the server did not make. */
  memberOf(campaignId: string, publicId: string): string | undefined {
    if (!publicId.startsWith(PREFIX)) return undefined;
    const bytes = Buffer.from(publicId.slice(PREFIX.length), 'base64url');
    if (bytes.length <= TAG_BYTES) return undefined;
    const tag = bytes.subarray(0, TAG_BYTES);
    const decipher = createDecipheriv('aes-256-ctr', this.cipherKey, tag);
    const memberId = Buffer.concat([decipher.update(bytes.subarray(TAG_BYTES)), decipher.final()]).toString('utf8');
    return timingSafeEqual(tag, this.tagOf(campaignId, memberId)) ? memberId : undefined;
  }
}

export function isPublicId(id: string): boolean {
  return id.startsWith(PREFIX);
}
