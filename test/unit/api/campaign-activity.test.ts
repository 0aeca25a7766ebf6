import { describe, expect, it } from 'vitest';
import { foldActivity } from '../../../src/api/campaign-activity.js';
import type { EventActivity } from '../../../src/ingestion/event-store.js';

async function* events(list: EventActivity[]): AsyncIterable<EventActivity> {
  yield* list;
}

const at = (iso: string): Date => new Date(iso);

describe('campaign activity', () => {
  it('counts engagement per hour with empty hours filled, leaves removals out, and ranks posts by engagement', async () => {
    const activity = await foldActivity(events([
      { kind: 'comment', occurredAt: at('2027-03-01T10:05:00Z'), target: { mediaId: 'm1' } },
      { kind: 'like', occurredAt: at('2027-03-01T10:59:59Z'), target: { mediaId: 'm2' } },
      { kind: 'comment_deleted', occurredAt: at('2027-03-01T11:10:00Z'), target: { mediaId: 'm1' } },
      { kind: 'reply', occurredAt: at('2027-03-01T13:00:00Z'), target: { mediaId: 'm2' } },
      { kind: 'share', occurredAt: at('2027-03-01T13:30:00Z'), target: { mediaId: 'm2' } },
      { kind: 'story_mention', occurredAt: at('2027-03-01T13:40:00Z'), target: {} },
    ]));
    const hour = (iso: string): number => Date.parse(iso) / 1000;
    expect(activity.hours).toEqual([hour('2027-03-01T10:00:00Z'), hour('2027-03-01T11:00:00Z'), hour('2027-03-01T12:00:00Z'), hour('2027-03-01T13:00:00Z')]);
    expect(activity.events).toEqual([2, 0, 0, 3]);
    expect(activity.topPosts).toEqual([{ mediaId: 'm2', engagements: 3, comments: 1 }, { mediaId: 'm1', engagements: 1, comments: 1 }]);
  });

  it('shows nothing for a campaign without engagement', async () => {
    expect(await foldActivity(events([]))).toEqual({ hours: [], events: [], topPosts: [] });
  });
});
