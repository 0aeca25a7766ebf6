import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { toEngagementEvent, type EngagementEvent } from '../../../src/domain/event.js';
import { activityRecordOf, decodeRecord, encodeRecord, eventOfRecord } from '../../../src/scoring/activity-record.js';
import { buildRecentActivity } from '../../../src/scoring/fraud/index.js';
import { ACCOUNT, everyList, T0 } from '../fraud/fixtures.js';

const MINUTE = 60_000;

const eventArbitrary = fc
  .record({
    id: fc.uuid(),
    user: fc.constantFrom('u-1', 'u-2', 'u-3'),
    kind: fc.constantFrom('comment' as const, 'reply' as const, 'comment_deleted' as const, 'like' as const),
    media: fc.option(fc.constantFrom('media-1', 'media-2'), { nil: undefined }),
    account: fc.constantFrom(ACCOUNT, '17841400000000009'),
    minutesBefore: fc.integer({ min: 0, max: 3 * 24 * 60 }),
    text: fc.option(fc.constantFrom('🔥🔥', 'best karak in the whole city, thank you so much for the cardamom', 'جربت اللاتيه امس وكان رهيب والخدمة ممتازة جدا'), { nil: undefined }),
    profile: fc.boolean(),
  })
  .map(({ id, user, kind, media, account, minutesBefore, text, profile }): EngagementEvent => toEngagementEvent({
    platform: 'instagram',
    kind,
    actor: { platformUserId: user, username: `name.${user}`, ...(profile ? { profile: { followersCount: 3, hasDefaultAvatar: true } } : {}) },
    target: { accountId: account, ...(media === undefined ? {} : { mediaId: media }) },
    text,
    occurredAt: new Date(T0 - minutesBefore * MINUTE),
    receivedAt: new Date(T0),
    source: 'webhook',
    verified: true,
    platformEventId: id,
  }));

describe('recent-activity records', () => {
  it('keep everything the history builder reads: the same prior events give the same recent activity', () => {
    fc.assert(
      fc.property(eventArbitrary, fc.array(eventArbitrary, { maxLength: 30 }), (scored, prior) => {
        const fromRecords = prior.map((event) => eventOfRecord(decodeRecord(encodeRecord(activityRecordOf(event)))));
        // The lists and the arrival; first sightings are a lookup the records do not feed.
        const lists = ({ member, media, texts, coActors, arrival }: ReturnType<typeof buildRecentActivity>) => ({ member, media, texts, coActors, arrival });
        expect(lists(buildRecentActivity(scored, everyList(fromRecords)))).toEqual(lists(buildRecentActivity(scored, everyList(prior))));
      }),
      { numRuns: 60 },
    );
  });

  it('encode one event the same way every time, and leave out the username and profile', () => {
    const event = toEngagementEvent({
      platform: 'instagram', kind: 'comment', actor: { platformUserId: 'u-9', username: 'sara.q', profile: { mediaCount: 0 } },
      target: { accountId: ACCOUNT, mediaId: 'media-1' }, text: 'hello', occurredAt: new Date(T0), receivedAt: new Date(T0), source: 'api', verified: false, platformEventId: 'c-9',
    });
    const encoded = encodeRecord(activityRecordOf(event));
    expect(encodeRecord({ ...decodeRecord(encoded) })).toBe(encoded);
    expect(encoded).not.toContain('sara.q');
    expect(encoded).not.toContain('mediaCount');
    expect(decodeRecord(encoded)).toEqual({ eventKey: 'instagram:comment:c-9', platform: 'instagram', platformUserId: 'u-9', kind: 'comment', accountId: ACCOUNT, mediaId: 'media-1', at: T0, text: 'hello' });
  });
});
