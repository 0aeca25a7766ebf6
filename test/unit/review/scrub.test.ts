import { describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor } from '../../../src/api/review-views.js';
import { isNuqtaError } from '../../../src/errors.js';
import { anonymousPerson, personOf, redact, replaceEverywhere } from '../../../src/privacy/scrub.js';

describe('the person of a member id', () => {
  it('splits platform and platform user id, keeping colons in the id', () => {
    expect(personOf('tiktok:-000Abc:x')).toEqual({ memberId: 'tiktok:-000Abc:x', platform: 'tiktok', platformUserId: '-000Abc:x' });
  });

  it.each(['17841400000000001', 'myspace:1', 'instagram:', ':1'])('refuses %s', (memberId) => {
    expect(() => personOf(memberId)).toThrow(expect.objectContaining({ code: 'NUQTA_BAD_REQUEST' }));
  });

  it('makes an anonymous member on the same platform that names nobody', () => {
    expect(anonymousPerson('instagram', 'ab12')).toEqual({ memberId: 'instagram:erased-ab12', platform: 'instagram', platformUserId: 'erased-ab12' });
  });
});

describe('replacing a member id everywhere', () => {
  it('rewrites strings in nested objects and arrays, keeping dates and other values', () => {
    const at = new Date('2027-03-05T09:00:00Z');
    const answer = {
      memberId: 'instagram:42',
      entry: { eventKey: 'redeem:instagram:42:order-1', seq: 4, at },
      notes: ['instagram:42 and instagram:42', null, true],
    };
    const replaced = replaceEverywhere(answer, 'instagram:42', 'instagram:erased-x');
    expect(replaced).toEqual({
      memberId: 'instagram:erased-x',
      entry: { eventKey: 'redeem:instagram:erased-x:order-1', seq: 4, at },
      notes: ['instagram:erased-x and instagram:erased-x', null, true],
    });
    expect(replaced.entry.at).toBe(at);
    expect(answer.memberId).toBe('instagram:42');
  });
});

describe('redacting a reviewer\u2019s note', () => {
  it('takes out handles and ids whatever their case, the longest first', () => {
    expect(redact('Same as @Layla.Q and layla.q (1784 1) - see LAYLA.Q', ['layla.q', '@layla.q', '1784 1'])).toBe('Same as [erased] and [erased] ([erased]) - see [erased]');
  });

  it('treats identifiers as text, not patterns, and ignores empty ones', () => {
    expect(redact('a.b+c and axb+c', ['a.b+c', ''])).toBe('[erased] and axb+c');
  });
});

describe('flag cursors', () => {
  it('round-trip the last flag of a page', () => {
    const flag = { createdAt: new Date('2027-03-05T09:00:00.123Z'), id: 'cafe|instagram:comment:c1' };
    expect(decodeCursor(encodeCursor(flag))).toEqual(flag);
  });

  it('refuse a cursor the API did not give out', () => {
    for (const cursor of ['nonsense', Buffer.from('["x","y"]').toString('base64url'), Buffer.from('{}').toString('base64url')]) {
      let error: unknown;
      try {
        decodeCursor(cursor);
      } catch (thrown) {
        error = thrown;
      }
      expect(isNuqtaError(error, 'NUQTA_BAD_REQUEST')).toBe(true);
    }
  });
});
