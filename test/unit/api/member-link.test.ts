import { describe, expect, it } from 'vitest';
import { MemberLinks } from '../../../src/api/member-link.js';
import { PublicIds } from '../../../src/api/public-id.js';

const secret = Buffer.from('a server secret of at least thirty-two characters');
const links = new MemberLinks(secret, new PublicIds(secret));
const now = new Date('2027-03-10T12:00:00Z');
const later = new Date('2027-04-10T12:00:00Z');

describe('follower links', () => {
  it('open the member they were made for until they expire, and name no platform id', () => {
    const token = links.mint('cafe-ramadan', 'instagram:17841400000000042', later);
    expect(token).not.toContain('17841400000000042');
    expect(links.check(token, now)).toEqual({ ok: true, campaignId: 'cafe-ramadan', memberId: 'instagram:17841400000000042', expiresAt: later });
    expect(links.check(token, later)).toEqual({ ok: false, problem: 'expired' });
  });

  it('refuse any change: another member, campaign or expiry, a cut signature, another server\'s secret', () => {
    const token = links.mint('cafe-ramadan', 'instagram:1', later);
    const [version, campaign, publicId, expiry, mac] = token.split('.');
    const other = new PublicIds(secret).idOf('cafe-ramadan', 'instagram:2');
    const elsewhere = new MemberLinks(Buffer.from('another secret, also long enough to be one'), new PublicIds(secret));
    for (const changed of [
      `${version}.${campaign}.${other}.${expiry}.${mac}`,
      `${version}.other-campaign.${publicId}.${expiry}.${mac}`,
      `${version}.${campaign}.${publicId}.${Number(expiry) + 1}.${mac}`,
      `${version}.${campaign}.${publicId}.${expiry}.${mac?.slice(0, -1)}`,
      `v2.${campaign}.${publicId}.${expiry}.${mac}`,
      elsewhere.mint('cafe-ramadan', 'instagram:1', later),
      '',
      'a.b.c.d.e',
    ]) {
      expect(links.check(changed, now)).toEqual({ ok: false, problem: 'invalid' });
    }
  });
});
