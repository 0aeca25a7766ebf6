import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { engagementEventSchema } from '../../../src/domain/event.js';
import { instagramMentionEvent } from '../../../src/platforms/instagram/mentions.js';
import { instagramWebhookSchema, parseInstagramWebhook } from '../../../src/platforms/instagram/webhook-payload.js';
import { fixtureJson } from './fixtures.js';

const ACCOUNT = '17841400000000001';
const RECEIVED_AT = new Date('2027-03-05T20:00:00Z');

/** Meta's largest delivery: 1000 changes, here over 10 entries, every 100th one broken. */
function batchOf1000() {
  return {
    object: 'instagram',
    entry: Array.from({ length: 10 }, (_, entryIndex) => ({
      id: ACCOUNT,
      time: 1804271400 + entryIndex,
      changes: Array.from({ length: 100 }, (_, changeIndex) => {
        const n = entryIndex * 100 + changeIndex;
        if (changeIndex === 99) return { field: 'comments', value: { id: `c${n}`, text: 'no author' } };
        return {
          field: 'comments',
          value: {
            id: `1785889399${String(n).padStart(7, '0')}`,
            from: { id: `1784145${String(n % 37).padStart(10, '0')}`, username: `fan_${n % 37}` },
            media: { id: '17912345678901234', media_product_type: 'FEED' },
            text: `تعليق رقم ${n} #قهوة_نقطة`,
          },
        };
      }),
    })),
  };
}

describe('a 1000-change delivery', () => {
  it('parses every change, counts the broken ones and keeps going', () => {
    const body = batchOf1000();
    parseInstagramWebhook(body, RECEIVED_AT); // warm-up: a running server has compiled this path long before
    const started = performance.now();
    const parsed = parseInstagramWebhook(body, RECEIVED_AT);
    const elapsedMs = performance.now() - started;

    expect(parsed.events).toHaveLength(990);
    expect(parsed.skipped).toHaveLength(10);
    expect(new Set(parsed.skipped.map((skip) => skip.reason))).toEqual(new Set(['malformed_value']));
    expect(parsed.skipped[3]?.path).toBe('entry[3].changes[99].value.from');
    expect(new Set(parsed.events.map((event) => event.eventKey)).size).toBe(990);
    // A webhook must be acknowledged within seconds; parsing is a small part of that budget.
    expect(elapsedMs).toBeLessThan(1000);
  });
});

describe('arbitrary input', () => {
  const junk = fc.oneof(fc.string(), fc.integer(), fc.boolean(), fc.constant(null), fc.jsonValue());
  /** Usually a well-formed value, sometimes junk: reaches both the event and the skip paths. */
  const mostly = <T>(valid: fc.Arbitrary<T>) => fc.oneof({ weight: 4, arbitrary: valid }, { weight: 1, arbitrary: junk });
  const numericId = fc.bigInt({ min: 1n, max: 10n ** 18n }).map(String);
  const commentValue = fc.record(
    {
      id: mostly(numericId),
      text: mostly(fc.string()),
      parent_id: mostly(numericId),
      from: mostly(fc.record({ id: mostly(numericId), username: mostly(fc.string({ minLength: 1 })) }, { requiredKeys: ['id'] })),
      media: mostly(fc.record({ id: mostly(numericId), original_media_id: mostly(numericId) }, { requiredKeys: ['id'] })),
    },
    { requiredKeys: ['id', 'from'] },
  );
  const messagingItem = fc.record(
    {
      sender: mostly(fc.record({ id: mostly(numericId) })),
      recipient: mostly(fc.record({ id: mostly(numericId) })),
      timestamp: mostly(fc.nat()),
      message: mostly(
        fc.record(
          { mid: mostly(fc.string({ minLength: 1, maxLength: 200 })), text: mostly(fc.string()), is_echo: mostly(fc.boolean()) },
          { requiredKeys: ['mid'] },
        ),
      ),
    },
    { requiredKeys: ['sender', 'recipient'] },
  );
  const change = fc.record({
    field: fc.constantFrom('comments', 'live_comments', 'mentions', 'messages', 'story_insights', 'other'),
    value: fc.oneof(commentValue, messagingItem, fc.record({ media_id: mostly(numericId) }), junk),
  });
  const entry = fc.oneof(
    junk,
    fc.record(
      {
        id: mostly(fc.constant(ACCOUNT)),
        time: mostly(fc.nat()),
        changes: fc.array(fc.oneof(change, junk), { maxLength: 5 }),
        messaging: fc.array(fc.oneof(messagingItem, junk), { maxLength: 5 }),
      },
      { requiredKeys: ['id'] },
    ),
  );

  it('never throws, and every event it returns is a valid canonical event', () => {
    let eventsSeen = 0;
    fc.assert(
      fc.property(fc.array(entry, { maxLength: 5 }), (entries) => {
        const parsed = parseInstagramWebhook({ object: 'instagram', entry: entries }, RECEIVED_AT);
        for (const event of parsed.events) engagementEventSchema.parse(event);
        eventsSeen += parsed.events.length;
      }),
      { numRuns: 300 },
    );
    // The generators must reach the event-building code, or the validity check above proves nothing.
    expect(eventsSeen).toBeGreaterThan(0);
  });
});

describe('instagramMentionEvent', () => {
  it('builds the mention the poller found with an id that does not depend on who fetched it', () => {
    const parsed = parseInstagramWebhook(instagramWebhookSchema.parse(fixtureJson('instagram/mention-comment.json')), RECEIVED_AT);
    const lookup = parsed.skipped[0]?.lookup;
    if (lookup === undefined) throw new Error('the mention webhook should have produced a lookup');
    const event = instagramMentionEvent({
      lookup,
      author: { id: '17841455533333333', username: 'hessa.qa' },
      text: '@nuqta.cafe أفضل كورتادو #قهوة_نقطة',
      occurredAt: new Date('2027-03-05T19:00:00Z'),
      receivedAt: RECEIVED_AT,
      source: 'poll',
    });
    expect(engagementEventSchema.parse(event)).toEqual(event);
    expect(event).toMatchObject({
      kind: 'mention',
      actor: { platformUserId: '17841455533333333', username: 'hessa.qa' },
      target: { accountId: ACCOUNT, mediaId: '17918195224117851', commentId: '17894227972186120' },
      hashtags: ['قهوه_نقطه'],
      verified: true,
      eventKey: 'instagram:mention:17894227972186120',
    });
  });

  it('keys a caption mention by its media', () => {
    const event = instagramMentionEvent({
      lookup: { accountId: ACCOUNT, mediaId: '17918195224117852' },
      author: { id: '17841455533333333' },
      occurredAt: RECEIVED_AT,
      receivedAt: RECEIVED_AT,
      source: 'poll',
    });
    expect(event.eventKey).toBe('instagram:mention:17918195224117852');
    expect(event.target).toEqual({ accountId: ACCOUNT, mediaId: '17918195224117852' });
  });
});
