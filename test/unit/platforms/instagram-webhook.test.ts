import { describe, expect, it } from 'vitest';
import { engagementEventSchema, type EngagementEvent } from '../../../src/domain/event.js';
import {
  instagramWebhookSchema,
  parseInstagramWebhook,
} from '../../../src/platforms/instagram/webhook-payload.js';
import { fixtureJson } from './fixtures.js';

const ACCOUNT = '17841400000000001';
const RECEIVED_AT = new Date('2027-03-05T20:00:00Z');

interface EventSummary {
  kind: EngagementEvent['kind'];
  actor: EngagementEvent['actor'];
  target: EngagementEvent['target'];
  text?: string;
  hashtags: string[];
  occurredAt: string;
  platformEventId: string;
}

function summarize(event: EngagementEvent): EventSummary {
  return {
    kind: event.kind,
    actor: event.actor,
    target: event.target,
    ...(event.text === undefined ? {} : { text: event.text }),
    hashtags: event.hashtags,
    occurredAt: event.occurredAt.toISOString(),
    platformEventId: event.platformEventId,
  };
}

function parseFixture(name: string) {
  return parseInstagramWebhook(instagramWebhookSchema.parse(fixtureJson(`instagram/${name}`)), RECEIVED_AT);
}

const STORY_MENTION_MID =
  'aWdfZAG1faXRlbToxOklHTWVzc2FnZAUlEOjE3ODQxNDAwMDAwMDAwMDAxOjM0MDI4MjM2Njg0MTcxMDMwMTI0NDI1OTk1NDQ3MjAwNzk4MDk5NjozMTQ5NjUzNjI1MDY4NjgzMjEwMjM4OTg2MDAxMzUyNTk1MgZDZD';

const EVENT_CASES: Array<{ fixture: string; events: EventSummary[] }> = [
  {
    fixture: 'comment-changes.json',
    events: [
      {
        kind: 'comment',
        actor: { platformUserId: '17841455512345678', username: 'noura.q' },
        target: { accountId: ACCOUNT, commentId: '17858893990012345', mediaId: '17912345678901234' },
        text: 'أحلى قهوة في الرياض ☕ #قهوة_نقطة',
        hashtags: ['قهوه_نقطه'],
        occurredAt: '2027-03-05T18:30:00.000Z',
        platformEventId: '17858893990012345',
      },
      {
        kind: 'comment',
        actor: { platformUserId: '17841455598765432', username: 'faisal_dxb' },
        target: { accountId: ACCOUNT, commentId: '17858893990012399', mediaId: '17912345678901234' },
        text: 'Best flat white in town #NuqtaCafe',
        hashtags: ['nuqtacafe'],
        occurredAt: '2027-03-05T18:30:00.000Z',
        platformEventId: '17858893990012399',
      },
    ],
  },
  {
    fixture: 'comment-flat.json',
    events: [
      {
        kind: 'comment',
        actor: { platformUserId: '17841455512345678', username: 'noura.q' },
        target: { accountId: ACCOUNT, commentId: '17858893990012400', mediaId: '18023456789012345' },
        text: 'متى يبدأ عرض رمضان؟',
        hashtags: [],
        occurredAt: '2027-03-05T18:31:07.000Z',
        platformEventId: '17858893990012400',
      },
    ],
  },
  {
    fixture: 'reply.json',
    events: [
      {
        kind: 'reply',
        actor: { platformUserId: '17841455598765432', username: 'faisal_dxb' },
        target: { accountId: ACCOUNT, commentId: '17858893990012411', mediaId: '17912345678901234' },
        text: '@noura.q صح كلامك',
        hashtags: [],
        occurredAt: '2027-03-05T19:02:44.000Z',
        platformEventId: '17858893990012411',
      },
    ],
  },
  {
    fixture: 'live-comment.json',
    events: [
      {
        kind: 'comment',
        actor: { platformUserId: '17841455577777777', username: 'reem.kw' },
        target: { accountId: ACCOUNT, commentId: '17858893990012500', mediaId: '17934567890123456' },
        text: '🔥🔥 #قهوة_نقطة',
        hashtags: ['قهوه_نقطه'],
        occurredAt: '2027-03-05T19:02:44.000Z',
        platformEventId: '17858893990012500',
      },
    ],
  },
  {
    // `comment_id` instead of `id`, and the ad's organic post as the target media.
    fixture: 'ad-comment.json',
    events: [
      {
        kind: 'comment',
        actor: { platformUserId: '17841455566666666', username: 'sara.bh' },
        target: { accountId: ACCOUNT, commentId: '17858893990012600', mediaId: '17912345678901234' },
        text: 'كم السعر؟',
        hashtags: [],
        occurredAt: '2027-03-05T19:02:44.000Z',
        platformEventId: '17858893990012600',
      },
    ],
  },
  {
    // Messaging times are milliseconds, and the item's own timestamp wins over entry.time.
    fixture: 'story-mention.json',
    events: [
      {
        kind: 'story_mention',
        actor: { platformUserId: '1234567890123456' },
        target: { accountId: ACCOUNT },
        hashtags: [],
        occurredAt: '2027-03-05T18:31:07.345Z',
        platformEventId: STORY_MENTION_MID,
      },
    ],
  },
  {
    fixture: 'story-reply.json',
    events: [
      {
        kind: 'dm',
        actor: { platformUserId: '1234567890123457' },
        target: { accountId: ACCOUNT, mediaId: '17888888888888888' },
        text: 'وين الفرع الجديد؟ #nuqtacafe',
        hashtags: ['nuqtacafe'],
        occurredAt: '2027-03-05T18:31:07.999Z',
        platformEventId: `${STORY_MENTION_MID.slice(0, -1)}E`,
      },
    ],
  },
  {
    fixture: 'dm.json',
    events: [
      {
        kind: 'dm',
        actor: { platformUserId: '1234567890123458' },
        target: { accountId: ACCOUNT },
        text: 'هل عندكم حليب الشوفان؟',
        hashtags: [],
        occurredAt: '2027-03-05T18:31:08.001Z',
        platformEventId: `${STORY_MENTION_MID.slice(0, -1)}F`,
      },
    ],
  },
  {
    // The App Dashboard's test: a messaging item as a `messages` change, its timestamp a string of seconds.
    fixture: 'dashboard-test-message.json',
    events: [
      {
        kind: 'dm',
        actor: { platformUserId: '12334' },
        target: { accountId: '0' },
        text: 'random_text',
        hashtags: [],
        occurredAt: '2018-05-27T22:23:44.000Z',
        platformEventId: 'random_mid',
      },
    ],
  },
];

describe('parseInstagramWebhook', () => {
  it.each(EVENT_CASES)('$fixture → events', ({ fixture, events }) => {
    const parsed = parseFixture(fixture);
    expect(parsed.skipped).toEqual([]);
    expect(parsed.events.map(summarize)).toEqual(events);
  });

  it('produces only events the canonical schema accepts, stamped as verified webhook events', () => {
    const events = EVENT_CASES.flatMap(({ fixture }) => parseFixture(fixture).events);
    expect(events.length).toBe(10);
    for (const event of events) {
      expect(engagementEventSchema.parse(event)).toEqual(event);
      expect(event).toMatchObject({ platform: 'instagram', source: 'webhook', verified: true, receivedAt: RECEIVED_AT });
    }
  });

  it('keys comments by comment id, so the poller seeing the same comment collapses with it', () => {
    const [event] = parseFixture('comment-changes.json').events;
    expect(event?.eventKey).toBe('instagram:comment:17858893990012345');
  });

  it('falls back to receivedAt when the entry carries no time', () => {
    const body = {
      object: 'instagram',
      entry: [{ id: ACCOUNT, field: 'comments', value: { id: '1', from: { id: '2' }, text: 'hi' } }],
    };
    expect(parseInstagramWebhook(body, RECEIVED_AT).events[0]?.occurredAt).toEqual(RECEIVED_AT);
  });

  it('parses an entry carrying both changes and messaging', () => {
    const comment = { field: 'comments', value: { id: '11', from: { id: '22' }, text: 'hi' } };
    const message = { sender: { id: '33' }, recipient: { id: ACCOUNT }, timestamp: 1804271468001, message: { mid: 'm.1' } };
    const parsed = parseInstagramWebhook(
      { object: 'instagram', entry: [{ id: ACCOUNT, time: 1804271400, changes: [comment], messaging: [message] }] },
      RECEIVED_AT,
    );
    expect(parsed.events.map((event) => event.kind)).toEqual(['comment', 'dm']);
  });
});
