import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseContentJson } from '../../../src/platforms/tiktok/webhook-content.js';

describe('parseContentJson', () => {
  it.each([
    {
      name: 'long ids become exact strings',
      text: '{"comment_id":7247303576418566913,"video_id":7203946942097902849}',
      value: { comment_id: '7247303576418566913', video_id: '7203946942097902849' },
    },
    { name: 'short numbers stay numbers', text: '{"reason":1,"timestamp":1687394416109}', value: { reason: 1, timestamp: 1687394416109 } },
    { name: 'negative long integers', text: '[-12345678901234567890]', value: ['-12345678901234567890'] },
    { name: 'fractions and exponents are left alone', text: '[1234567890123456.5,1e25]', value: [1234567890123456.5, 1e25] },
    {
      name: 'digits inside strings are untouched',
      text: '{"text":"call 12345678901234567890 \\"now\\" 99999999999999999"}',
      value: { text: 'call 12345678901234567890 "now" 99999999999999999' },
    },
    {
      name: 'an escaped backslash before the closing quote',
      text: '{"a":"x\\\\","b":12345678901234567890}',
      value: { a: 'x\\', b: '12345678901234567890' },
    },
    { name: 'nested', text: '{"x":[{"y":98765432109876543210}]}', value: { x: [{ y: '98765432109876543210' }] } },
  ])('$name', ({ text, value }) => {
    expect(parseContentJson(text)).toEqual({ ok: true, value });
  });

  it.each(['', '{', '{"a":}', 'undefined', '{"a":1}}'])('%j is not JSON', (text) => {
    expect(parseContentJson(text)).toEqual({ ok: false });
  });

  it('reads any JSON without long integers exactly as JSON.parse does', () => {
    const safeJson = fc.jsonValue().filter((value) => !/\d{16,}/.test(JSON.stringify(value)));
    fc.assert(
      fc.property(safeJson, (value) => {
        const text = JSON.stringify(value);
        expect(parseContentJson(text)).toEqual({ ok: true, value: JSON.parse(text) });
      }),
    );
  });
});
