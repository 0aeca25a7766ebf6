import { describe, expect, it } from 'vitest';
import type { EngagementEvent } from '../../../src/domain/event.js';
import { buildRecentActivity } from '../../../src/scoring/fraud/index.js';
import { eventOf, everyList, MINUTE, STARTS_AT, T0, valueOf, verdictFor } from './fixtures.js';

const HOUR = 60 * MINUTE;

/**
 * The member comments on `posts` earlier posts (6 hours apart) and now on
 * `current`; each partner comments within two minutes of it on the posts
 * listed in `together` (indexes into the earlier posts).
 */
function scene(options: { posts: number; partners: number; together: readonly number[]; onCurrent: boolean }): {
  event: EngagementEvent;
  prior: EngagementEvent[];
} {
  const prior: EngagementEvent[] = [];
  for (let post = 0; post < options.posts; post += 1) {
    const at = T0 - (options.posts - post) * 6 * HOUR;
    prior.push(eventOf({ mediaId: `post-${post}`, at }));
    if (!options.together.includes(post)) continue;
    for (let partner = 0; partner < options.partners; partner += 1) {
      prior.push(eventOf({ user: `partner-${partner}`, mediaId: `post-${post}`, at: at + (partner + 1) * 20_000 }));
    }
  }
  if (options.onCurrent) {
    for (let partner = 0; partner < options.partners; partner += 1) {
      prior.push(eventOf({ user: `partner-${partner}`, mediaId: 'current', at: T0 - (partner + 1) * 15_000 }));
    }
  }
  return { event: eventOf({ mediaId: 'current', at: T0 }), prior };
}

const ringValue = (options: Parameters<typeof scene>[0]): number => {
  const { event, prior } = scene(options);
  return valueOf(verdictFor(event, { prior }), 'co_engagement_ring');
};

describe('co_engagement_ring', () => {
  it.each([
    ['six accounts together on every post', { posts: 4, partners: 5, together: [0, 1, 2, 3], onCurrent: true }, 1],
    ['four accounts together on every post', { posts: 4, partners: 3, together: [0, 1, 2, 3], onCurrent: true }, 0.333],
    ['friends: three together on every post', { posts: 4, partners: 2, together: [0, 1, 2, 3], onCurrent: true }, 0],
    ['together on only two posts so far', { posts: 1, partners: 5, together: [0], onCurrent: true }, 0],
    ['together on 3 of 8 posts: fans who sometimes meet', { posts: 7, partners: 5, together: [0, 3, 6], onCurrent: false }, 0],
    ['the group has not arrived on the current post yet', { posts: 3, partners: 5, together: [0, 1, 2], onCurrent: false }, 1],
  ])('%s → %s', (_name, options, expected) => {
    expect(ringValue(options)).toBeCloseTo(expected, 2);
  });

  it('a crowd acting at once (the minutes after a post) is no evidence', () => {
    const { event, prior } = scene({ posts: 4, partners: 5, together: [0, 1, 2, 3], onCurrent: true });
    const crowd = [0, 1, 2, 3].flatMap((post) =>
      Array.from({ length: 30 }, (_, i) => eventOf({ user: `fan-${i}`, mediaId: `post-${post}`, at: T0 - (4 - post) * 6 * HOUR + 60_000 })),
    );
    const current = Array.from({ length: 30 }, (_, i) => eventOf({ user: `fan-${i}`, mediaId: 'current', at: T0 - 60_000 }));
    expect(valueOf(verdictFor(event, { prior: [...prior, ...crowd, ...current] }), 'co_engagement_ring')).toBe(0);
  });
});

describe('newcomer_spike', () => {
  const memberId = (user: string): string => `instagram:${user}`;

  function spike(options: { newcomers: number; returning: number; selfFirstSeen?: Date; at?: number }): number {
    const at = options.at ?? T0;
    const firstSeenAt = new Map<string, Date>();
    const prior: EngagementEvent[] = [];
    for (let i = 0; i < options.newcomers; i += 1) {
      prior.push(eventOf({ user: `new-${i}`, at: at - 10 * MINUTE + i * 10_000 }));
      firstSeenAt.set(memberId(`new-${i}`), new Date(at - 10 * MINUTE + i * 10_000));
    }
    for (let i = 0; i < options.returning; i += 1) {
      prior.push(eventOf({ user: `old-${i}`, at: at - 5 * MINUTE }));
      firstSeenAt.set(memberId(`old-${i}`), new Date(at - 20 * 86_400_000));
    }
    if (options.selfFirstSeen !== undefined) firstSeenAt.set(memberId('u-1'), options.selfFirstSeen);
    return valueOf(verdictFor(eventOf({ at }), { prior, firstSeenAt }), 'newcomer_spike');
  }

  it.each([
    ['a new account among 12 never seen before', { newcomers: 12, returning: 0, selfFirstSeen: new Date(T0) }, 1],
    ['a new account among 5 newcomers and 3 regulars', { newcomers: 5, returning: 3, selfFirstSeen: new Date(T0) }, 0.429],
    ['a regular on a post flooded by newcomers', { newcomers: 12, returning: 0, selfFirstSeen: new Date(T0 - 9 * 86_400_000) }, 0],
    ['first-seen time unknown', { newcomers: 12, returning: 0 }, 0],
    ['a few newcomers among many regulars', { newcomers: 4, returning: 30, selfFirstSeen: new Date(T0) }, 0],
    [
      'the first day of the campaign, when everyone is new',
      { newcomers: 12, returning: 0, selfFirstSeen: new Date(STARTS_AT.getTime() + HOUR), at: STARTS_AT.getTime() + HOUR },
      0,
    ],
  ])('%s → %s', (_name, options, expected) => {
    expect(spike(options)).toBeCloseTo(expected, 2);
  });
});

describe('arrival_cohort', () => {
  const ARRIVED = T0 - 2 * 24 * HOUR;

  /**
   * The member arrived on `arrival-post` with `cohort` other never-seen
   * accounts; `back` of them commented on the current post before it.
   */
  function cohortValue(options: { cohort: number; back: number; arrivedAt?: number; mediaId?: string; laterByMs?: number; postOpenedAt?: number }): number {
    const arrivedAt = options.arrivedAt ?? ARRIVED;
    const cohort = new Map(Array.from({ length: options.cohort }, (_, i) => [`instagram:mate-${i}`, new Date(arrivedAt + (options.laterByMs ?? 0) + (i + 1) * 10_000)]));
    const prior = Array.from({ length: options.back }, (_, i) => eventOf({ user: `mate-${i}`, mediaId: 'current', at: T0 - (i + 1) * 10 * MINUTE }));
    const event = eventOf({ mediaId: options.mediaId ?? 'current', at: T0 });
    const postOpenedAt = options.postOpenedAt === undefined ? {} : { postOpenedAt: new Date(options.postOpenedAt) };
    return valueOf(verdictFor(event, { prior, arrival: { mediaId: 'arrival-post', at: new Date(arrivedAt), cohort, ...postOpenedAt } }), 'arrival_cohort');
  }

  const WARM_UP_ARRIVAL = STARTS_AT.getTime() + 3 * HOUR;

  it.each([
    ['a wave of 15 and half of it on this post', { cohort: 15, back: 7 }, 1],
    ['a wave of 15 and 4 of them here', { cohort: 15, back: 4 }, 0.667],
    ['a wave of 30 and 4 of them here', { cohort: 30, back: 4 }, 0.148],
    ['an influencer’s 60 newcomers, 3 of them here', { cohort: 60, back: 3 }, 0],
    ['friends: two arrived together and both came back', { cohort: 2, back: 2 }, 0],
    ['nobody from the wave here yet', { cohort: 15, back: 0 }, 0],
    ['on the arrival post itself (that is newcomer_spike’s)', { cohort: 15, back: 7, mediaId: 'arrival-post' }, 0],
    ['arrived during the campaign’s warm-up, when everyone is new', { cohort: 15, back: 7, arrivedAt: STARTS_AT.getTime() + HOUR }, 0],
    ['first seen more than 15 minutes after the member is no cohort', { cohort: 15, back: 7, laterByMs: 15 * MINUTE }, 0],
    ['in the warm-up, a batch sent to a post two hours into its life', { cohort: 15, back: 7, arrivedAt: WARM_UP_ARRIVAL, postOpenedAt: WARM_UP_ARRIVAL - 2 * HOUR }, 1],
    [
      'in the warm-up, an honest arrival ten minutes before a crew landed',
      { cohort: 15, back: 7, arrivedAt: WARM_UP_ARRIVAL, postOpenedAt: WARM_UP_ARRIVAL - 2 * HOUR, laterByMs: 10 * MINUTE },
      0,
    ],
  ])('%s → %s', (_name, options, expected) => {
    expect(cohortValue(options)).toBeCloseTo(expected, 2);
  });

  it('counts only cohort members first seen by the time of the event', () => {
    const event = eventOf({ mediaId: 'current', at: T0 });
    const later = new Map(Array.from({ length: 10 }, (_, i) => [`instagram:mate-${i}`, new Date(T0 + (i + 1) * MINUTE)]));
    const history = buildRecentActivity(event, { ...everyList([]), arrival: { mediaId: 'arrival-post', at: new Date(T0 - 5 * MINUTE), cohort: later } });
    expect(history.arrival?.cohort.size).toBe(0);
  });
});
