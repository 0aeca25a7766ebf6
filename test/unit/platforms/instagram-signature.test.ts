import { describe, expect, it } from 'vitest';
import { instagramSignatureOf, isValidInstagramSignature } from '../../../src/platforms/instagram/signature.js';
import { fixtureBytes } from './fixtures.js';

const SECRET = 'ig-app-secret-for-tests';
const body = fixtureBytes('instagram/comment-changes.json');
const signature = instagramSignatureOf(body, SECRET);

describe('isValidInstagramSignature', () => {
  it.each([
    { name: 'the signature of the raw body', header: signature, valid: true },
    { name: 'a missing header', header: undefined, valid: false },
    { name: 'an empty header', header: '', valid: false },
    { name: 'the bare hex without sha256=', header: signature.slice('sha256='.length), valid: false },
    { name: 'the legacy sha1= prefix', header: `sha1=${signature.slice('sha256='.length)}`, valid: false },
    { name: 'a truncated digest', header: signature.slice(0, -2), valid: false },
    { name: 'another secret', header: instagramSignatureOf(body, 'wrong-secret'), valid: false },
  ])('$name → $valid', ({ header, valid }) => {
    expect(isValidInstagramSignature(body, header, SECRET)).toBe(valid);
  });

  it('fails once the body changes by one byte (it is over the raw bytes, not the parsed JSON)', () => {
    const reformatted = Buffer.from(JSON.stringify(JSON.parse(body.toString('utf8'))));
    expect(isValidInstagramSignature(reformatted, signature, SECRET)).toBe(false);
  });
});
