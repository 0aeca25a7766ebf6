import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { engagementEventSchema, type EngagementEvent } from '../../../src/domain/event.js';
import {
  parseTikTokWebhook,
  type TikTokAccountNotice,
  type TikTokSkippedEvent,
} from '../../../src/platforms/tiktok/webhook-payload.js';
import { fixtureJson } from './fixtures.js';

const BUSINESS = '-000Abc1DEfgH2ij3KlmNOpQRS4tuvWx5yz';
const RECEIVED_AT = new Date('2027-03-06T08:16:00Z');

function summarize(event: EngagementEvent) {
  return {
    kind: event.kind,
    actor: event.actor,
    target: event.target,
    ...(event.text === undefined ? {} : { text: event.text }),
    hashtags: event.hashtags,
    occurredAt: event.occurredAt.toISOString(),
    eventKey: event.eventKey,
  };
}

const parseFixture = (name: string) => parseTikTokWebhook(fixtureJson(`tiktok/${name}`), RECEIVED_AT);

const VIDEO = '7343946942097902849';

const EVENT_CASES: Array<{ fixture: string; event: ReturnType<typeof summarize> }> = [
  {
    // The 19-digit ids arrive as bare JSON numbers inside `content`; every digit must survive.
    fixture: 'comment-insert.json',
    event: {
      kind: 'comment',
      actor: { platformUserId: '6929134508765432101' },
      target: { accountId: BUSINESS, mediaId: VIDEO, commentId: '7347303576418566913' },
      text: 'القهوة هنا خيال #قهوة_نقطة',
      hashtags: ['قهوه_نقطه'],
      occurredAt: '2027-03-05T18:31:07.109Z',
      eventKey: 'tiktok:comment:7347303576418566913',
    },
  },
  {
    fixture: 'comment-reply.json',
    event: {
      kind: 'reply',
      actor: { platformUserId: '6929134508765432102' },
      target: { accountId: BUSINESS, mediaId: VIDEO, commentId: '7347303576418566999' },
      hashtags: [],
      occurredAt: '2027-03-05T19:02:44.000Z',
      eventKey: 'tiktok:reply:7347303576418566999',
    },
  },
  {
    fixture: 'comment-delete.json',
    event: {
      kind: 'comment_deleted',
      actor: { platformUserId: '6929134508765432101' },
      target: { accountId: BUSINESS, mediaId: VIDEO, commentId: '7347303576418566913' },
      hashtags: [],
      occurredAt: '2027-03-06T08:14:57.000Z',
      eventKey: 'tiktok:comment_deleted:7347303576418566913',
    },
  },
  {
    // Hidden by the owner or moderation: out of public view, so the award is reversed like a deletion.
    fixture: 'comment-hidden.json',
    event: {
      kind: 'comment_deleted',
      actor: { platformUserId: '6929134508765432199' },
      target: { accountId: BUSINESS, mediaId: VIDEO, commentId: '7347303576418567001' },
      hashtags: [],
      occurredAt: '2027-03-06T08:14:59.000Z',
      eventKey: 'tiktok:comment_deleted:7347303576418567001',
    },
  },
  {
    fixture: 'brand-mention-video.json',
    event: {
      kind: 'mention',
      actor: { platformUserId: '6929134508765432150' },
      target: { accountId: BUSINESS, mediaId: '7348000000000000001' },
      text: 'فطور رمضان مع @nuqta.cafe #قهوة_نقطة',
      hashtags: ['قهوه_نقطه'],
      occurredAt: '2027-03-06T06:15:00.000Z',
      eventKey: 'tiktok:mention:7348000000000000001',
    },
  },
  {
    fixture: 'brand-mention-comment.json',
    event: {
      kind: 'mention',
      actor: { platformUserId: '6929134508765432151' },
      target: { accountId: BUSINESS, mediaId: '7348000000000000002', commentId: '7348000000000009999' },
      hashtags: [],
      occurredAt: '2027-03-06T08:15:00.000Z',
      eventKey: 'tiktok:mention:7348000000000009999',
    },
  },
];

const SKIP_CASES: Array<{ fixture: string; skipped: TikTokSkippedEvent }> = [
  { fixture: 'video-publish-completed.json', skipped: { reason: 'posting_event_ignored', event: 'video.publish.completed' } },
  {
    fixture: 'post-publish-publicly-available.json',
    skipped: { reason: 'posting_event_ignored', event: 'post.publish.publicly_available' },
  },
  { fixture: 'im-receive-msg.json', skipped: { reason: 'unsupported_event', event: 'im_receive_msg' } },
  {
    fixture: 'comment-friends-only.json',
    skipped: { reason: 'comment_visibility_changed', event: 'comment.update', path: 'content.comment_action' },
  },
  {
    fixture: 'comment-public.json',
    skipped: { reason: 'comment_visibility_changed', event: 'comment.update', path: 'content.comment_action' },
  },
  {
    fixture: 'brand-mention-edit.json',
    skipped: { reason: 'mention_update_ignored', event: 'brand.mention.event', path: 'content.type_of_event' },
  },
  { fixture: 'broken/unknown-event.json', skipped: { reason: 'unknown_event', event: 'live.gift.received' } },
  { fixture: 'broken/envelope-missing-openid.json', skipped: { reason: 'malformed_envelope', path: 'user_openid' } },
  { fixture: 'broken/content-object.json', skipped: { reason: 'malformed_envelope', path: 'content' } },
  { fixture: 'broken/content-not-json.json', skipped: { reason: 'malformed_content', event: 'comment.update', path: 'content' } },
  {
    fixture: 'broken/comment-missing-video-id.json',
    skipped: { reason: 'malformed_content', event: 'comment.update', path: 'content.video_id' },
  },
  {
    fixture: 'broken/comment-without-actor.json',
    skipped: {
      reason: 'actor_needs_lookup',
      event: 'comment.update',
      path: 'content.unique_identifier',
      lookup: { accountId: BUSINESS, videoId: VIDEO, commentId: '7347303576418566913', kind: 'comment' },
    },
  },
  {
    fixture: 'broken/comment-delete-without-actor.json',
    skipped: {
      reason: 'actor_needs_lookup',
      event: 'comment.update',
      path: 'content.unique_identifier',
      lookup: { accountId: BUSINESS, videoId: VIDEO, commentId: '7347303576418566999', kind: 'comment_deleted' },
    },
  },
  {
    fixture: 'broken/comment-wrong-types.json',
    skipped: { reason: 'malformed_content', event: 'comment.update', path: 'content.comment_id' },
  },
  {
    fixture: 'broken/comment-unknown-action.json',
    skipped: { reason: 'unknown_comment_action', event: 'comment.update', path: 'content.comment_action' },
  },
  {
    fixture: 'broken/mention-comment-without-id.json',
    skipped: { reason: 'malformed_content', event: 'brand.mention.event', path: 'content.comment_id' },
  },
];

describe('parseTikTokWebhook', () => {
  it.each(EVENT_CASES)('$fixture → $event.kind', ({ fixture, event }) => {
    const parsed = parseFixture(fixture);
    expect(parsed.skipped).toEqual([]);
    expect(parsed.notices).toEqual([]);
    expect(parsed.events.map(summarize)).toEqual([event]);
  });

  it.each(SKIP_CASES)('$fixture → skipped as $skipped.reason', ({ fixture, skipped }) => {
    const parsed = parseFixture(fixture);
    expect(parsed.events).toEqual([]);
    expect(parsed.notices).toEqual([]);
    expect(parsed.skipped).toEqual([skipped]);
  });

  it('every event is a valid canonical event, verified, from the webhook', () => {
    for (const { fixture } of EVENT_CASES) {
      for (const event of parseFixture(fixture).events) {
        expect(engagementEventSchema.parse(event)).toEqual(event);
        expect(event).toMatchObject({ platform: 'tiktok', source: 'webhook', verified: true, receivedAt: RECEIVED_AT });
      }
    }
  });

  it('a deletion names the same comment, video and account as the insertion it reverses', () => {
    const [inserted] = parseFixture('comment-insert.json').events;
    const [deleted] = parseFixture('comment-delete.json').events;
    expect(deleted?.target).toEqual(inserted?.target);
    expect(deleted?.platformEventId).toBe(inserted?.platformEventId);
  });
});

describe('authorization.removed', () => {
  const notice = (content: string): TikTokAccountNotice[] =>
    parseTikTokWebhook(
      {
        client_key: 'aw3kq7x1c9nuqta',
        event: 'authorization.removed',
        create_time: 1804320900,
        user_openid: 'act.example12345Example12345Example',
        content,
      },
      RECEIVED_AT,
    ).notices;

  it('becomes an account notice, not an event', () => {
    const parsed = parseFixture('authorization-removed.json');
    expect(parsed.events).toEqual([]);
    expect(parsed.skipped).toEqual([]);
    expect(parsed.notices).toEqual([
      {
        platform: 'tiktok',
        kind: 'authorization_removed',
        accountId: 'act.example12345Example12345Example',
        reason: 'user_disconnected',
        reasonCode: 1,
        occurredAt: new Date('2027-03-06T08:15:00Z'),
      },
    ]);
  });

  it.each([
    { content: '{"reason":4}', reason: 'account_banned', reasonCode: 4 },
    { content: '{"reason":5}', reason: 'developer_revoked', reasonCode: 5 },
    { content: '{"reason":9}', reason: 'unknown', reasonCode: 9 },
    { content: '{"reason":-1}', reason: 'unknown', reasonCode: -1 },
    { content: '{}', reason: 'unknown', reasonCode: undefined },
    { content: 'not json', reason: 'unknown', reasonCode: undefined },
  ])('content $content → $reason (the notice is never lost)', ({ content, reason, reasonCode }) => {
    expect(notice(content)).toMatchObject([{ kind: 'authorization_removed', reason, reasonCode }]);
  });
});

describe('arbitrary input', () => {
  const junk = fc.oneof(fc.string(), fc.integer(), fc.boolean(), fc.constant(null), fc.jsonValue());
  /** Usually a well-formed value, sometimes junk: reaches both the event and the skip paths. */
  const mostly = <T>(valid: fc.Arbitrary<T>) => fc.oneof({ weight: 4, arbitrary: valid }, { weight: 1, arbitrary: junk });
  const id = fc.oneof(fc.bigInt({ min: 0n, max: 10n ** 19n }).map(String), fc.constant('0'));
  /** Seconds within the years an engagement can have (junk covers the rest). */
  const seconds = fc.integer({ min: 1_262_304_000, max: 4_102_444_799 });
  const content = fc
    .record(
      {
        comment_id: mostly(id),
        video_id: mostly(id),
        parent_comment_id: mostly(id),
        comment_type: mostly(fc.constantFrom('comment', 'reply')),
        comment_action: mostly(fc.constantFrom('insert', 'delete', 'set_to_hidden', 'set_to_public', 'set_to_friends_only')),
        unique_identifier: mostly(fc.stringMatching(/^[A-Za-z0-9+/=]{1,64}$/)),
        timestamp: mostly(seconds),
        type_of_event: mostly(fc.constantFrom('CREATE', 'EDIT')),
        mention_type: mostly(fc.constantFrom('VIDEO_MENTION', 'COMMENT')),
        text: mostly(fc.string()),
        video_caption: mostly(fc.string()),
      },
      { requiredKeys: ['comment_id', 'video_id', 'comment_action', 'unique_identifier', 'type_of_event', 'mention_type'] },
    )
    // As TikTok writes them: ids as bare numbers, however long.
    .map((value) => JSON.stringify(value).replace(/"(comment_id|video_id|parent_comment_id)":"(\d+)"/g, '"$1":$2'));
  const envelope = {
    client_key: mostly(fc.constant('aw3kq7x1c9nuqta')),
    event: fc.oneof(
      { weight: 4, arbitrary: fc.constant('comment.update') },
      { weight: 2, arbitrary: fc.constant('brand.mention.event') },
      { weight: 1, arbitrary: fc.constantFrom('authorization.removed', 'post.publish.complete', 'x') },
    ),
    create_time: mostly(seconds),
    user_openid: mostly(fc.constant(BUSINESS)),
    content: mostly(content),
  };
  const body = fc.oneof(fc.record(envelope), fc.record(envelope, { requiredKeys: [] }), junk);

  it('never throws; every event is valid; every delivery yields an event, a notice or a skip', () => {
    let eventsSeen = 0;
    fc.assert(
      fc.property(body, (input) => {
        const parsed = parseTikTokWebhook(input, RECEIVED_AT);
        for (const event of parsed.events) engagementEventSchema.parse(event);
        eventsSeen += parsed.events.length;
        expect(parsed.events.length + parsed.notices.length + parsed.skipped.length).toBe(1);
      }),
      { numRuns: 500 },
    );
    // The generators must reach the event-building code, or the validity check above proves nothing.
    expect(eventsSeen).toBeGreaterThan(0);
  });
});
