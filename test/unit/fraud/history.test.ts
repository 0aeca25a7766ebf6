import { describe, expect, it } from 'vitest';
import { memberIdOf, type EngagementEvent } from '../../../src/domain/event.js';
import {
  buildRecentActivity,
  FRAUD_WINDOWS,
  planFollowUpQueries,
  priorActionOf,
  planHistoryQueries,
  scoreFraud,
} from '../../../src/scoring/fraud/index.js';
import { InMemoryEventHistory, syntheticPopulation } from '../../../src/fraud-eval/index.js';
import { ACCOUNT, campaignWith, eventOf, everyList, MINUTE, NO_LISTS, STARTS_AT, T0 } from './fixtures.js';

const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const keys = (actions: readonly { eventKey: string }[]): string[] => actions.map((action) => action.eventKey).sort();

describe('buildRecentActivity', () => {
  it('keeps only history: not the event itself, nothing later, no duplicates', () => {
    const event = eventOf();
    const before = eventOf({ at: T0 - MINUTE });
    const after = eventOf({ at: T0 + MINUTE });
    const activity = buildRecentActivity(event, everyList([event, before, before, after]));
    expect(keys(activity.member)).toEqual([before.eventKey]);
  });

  it('cuts each list to its window, newest first', () => {
    const event = eventOf({ text: 'جربت اللاتيه امس وكان رهيب' });
    const mine = [eventOf({ at: T0 - 6 * DAY }), eventOf({ at: T0 - 8 * DAY }), eventOf({ at: T0 - HOUR, mediaId: 'other' })];
    const onMedia = [eventOf({ user: 'x', at: T0 - HOUR }), eventOf({ user: 'y', at: T0 - 25 * HOUR })];
    const texts = [eventOf({ user: 'z', at: T0 - 20 * HOUR, mediaId: 'elsewhere' }), eventOf({ user: 'w', at: T0 - 30 * HOUR })];
    const activity = buildRecentActivity(event, everyList([...mine, ...onMedia, ...texts]));
    expect(activity.member.map((action) => action.at)).toEqual([T0 - HOUR, T0 - 6 * DAY]);
    expect(keys(activity.media)).toEqual(keys([onMedia[0] as EngagementEvent]));
    expect(activity.texts.map((action) => action.memberId).sort()).toEqual(['instagram:x', 'instagram:z']);
  });

  it('co-actors are other members close in time to this member on its own media', () => {
    const event = eventOf({ mediaId: 'now' });
    const mine = eventOf({ mediaId: 'earlier', at: T0 - DAY });
    const close = eventOf({ user: 'p', mediaId: 'earlier', at: T0 - DAY + 5 * MINUTE });
    const far = eventOf({ user: 'q', mediaId: 'earlier', at: T0 - DAY + 30 * MINUTE });
    const elsewhere = eventOf({ user: 'r', mediaId: 'unrelated', at: T0 - DAY });
    const activity = buildRecentActivity(event, everyList([mine, close, far, elsewhere]));
    expect(keys(activity.coActors)).toEqual([close.eventKey]);
  });

  it('first-seen times pass through as epoch milliseconds', () => {
    const activity = buildRecentActivity(eventOf(), { ...everyList([]), firstSeenAt: new Map([['instagram:u-1', new Date(T0)]]) });
    expect(activity.firstSeenAt.get('instagram:u-1')).toBe(T0);
  });
});

describe('query plan', () => {
  const campaign = campaignWith();

  it('asks for the member, the media and the account texts over their windows', () => {
    const plan = planHistoryQueries(eventOf(), campaign);
    expect(plan.member).toMatchObject({ platform: 'instagram', platformUserId: 'u-1', accountIds: [ACCOUNT], limit: FRAUD_WINDOWS.memberLimit });
    expect(plan.member.to.getTime() - plan.member.from.getTime()).toBe(FRAUD_WINDOWS.memberLookbackMs);
    expect(plan.media).toMatchObject({ mediaId: 'media-1' });
    expect(plan.texts).toMatchObject({ accountId: ACCOUNT });
  });

  it('skips the media query without a media and the text query without a text', () => {
    const event = eventOf({ mediaId: null, kind: 'like' });
    const bare: EngagementEvent = { ...event };
    delete bare.text;
    const plan = planHistoryQueries(bare, campaign);
    expect(plan.media).toBeUndefined();
    expect(plan.texts).toBeUndefined();
  });

  it('follows up around the member’s own actions once it is on enough media for a ring, and asks first-seen times of everyone on the post in the wave window, warm-up included', () => {
    const event = eventOf();
    const member = [eventOf({ mediaId: 'a', at: T0 - HOUR }), eventOf({ mediaId: 'b', at: T0 - 2 * HOUR })].map(priorActionOf);
    const media = [eventOf({ user: 'x', at: T0 - 5 * MINUTE }), eventOf({ user: 'y', at: T0 - HOUR }), eventOf({ user: 'z', at: T0 - HOUR - 1 })].map(priorActionOf);
    const followUp = planFollowUpQueries(event, campaign, { member, media });
    expect(followUp.coActors.ranges.map((range) => range.mediaId).sort()).toEqual(['a', 'b', 'media-1']);
    expect(planFollowUpQueries(event, campaign, { member: member.slice(0, 1), media }).coActors.ranges).toEqual([]);
    expect(followUp.firstSeen.platformUserIds).toEqual(['u-1', 'x', 'y']);
    const early = eventOf({ at: STARTS_AT.getTime() + HOUR });
    const earlyMedia = [eventOf({ user: 'x', at: STARTS_AT.getTime() + 30 * MINUTE })].map(priorActionOf);
    expect(planFollowUpQueries(early, campaign, { member, media: earlyMedia }).firstSeen.platformUserIds).toEqual(['u-1', 'x']);
  });

  it('a loader following the plan gives the same verdicts as the full history', () => {
    const campaign = campaignWith();
    const population = syntheticPopulation(7, 80, 5).map(({ event }) => event);
    const store = new InMemoryEventHistory();
    const firstSeen = new Map<string, { at: Date; mediaId: string | undefined }>();
    const arrivalOf = (memberId: string, event: EngagementEvent) => {
      const first = firstSeen.get(memberId) ?? { at: event.occurredAt, mediaId: event.target.mediaId };
      if (first.mediaId === undefined) return undefined;
      const cohort = new Map([...firstSeen].filter(([, seen]) => seen.mediaId === first.mediaId).map(([id, seen]) => [id, seen.at]));
      const postOpenedAt = new Date(Math.min(first.at.getTime(), ...[...cohort.values()].map((at) => at.getTime())));
      return { mediaId: first.mediaId, at: first.at, cohort, postOpenedAt };
    };
    population.forEach((event, index) => {
      const memberId = memberIdOf(event.platform, event.actor.platformUserId);
      if (index % 4 === 0) {
        const viaPlan = buildRecentActivity(event, store.load(event, campaign));
        const everything = buildRecentActivity(event, {
          ...everyList(population.slice(0, index)),
          firstSeenAt: new Map([...[...firstSeen].map(([id, seen]) => [id, seen.at] as const), [memberId, firstSeen.get(memberId)?.at ?? event.occurredAt]]),
          arrival: arrivalOf(memberId, event),
        });
        const score = (history: typeof viaPlan) => scoreFraud({ event, campaign, history, lists: NO_LISTS, now: event.receivedAt });
        expect(score(viaPlan)).toEqual(score(everything));
      }
      store.add(event);
      if (!firstSeen.has(memberId)) firstSeen.set(memberId, { at: event.occurredAt, mediaId: event.target.mediaId });
    });
  });
});

describe('in-memory event history', () => {
  it('refuses events out of time order, as the evaluation must replay in order', () => {
    const store = new InMemoryEventHistory();
    store.add(eventOf({ at: T0 }));
    expect(() => store.add(eventOf({ at: T0 - MINUTE }))).toThrow(RangeError);
  });
});
