/**
 * The arrival cohorts kept in Redis give the scorer what the in-memory
 * reference history (the one the fraud evaluation scores through) gives it.
 */
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NuqtaConfig } from '../../src/config/env.js';
import { memberIdOf, type EngagementEvent } from '../../src/domain/event.js';
import { RedisFraudHistory } from '../../src/scoring/fraud-history.js';
import { InMemoryEventHistory, syntheticPopulation } from '../../src/scoring/fraud/eval/index.js';
import { buildRecentActivity, scoreFraud, type FraudVerdict, type HistorySource } from '../../src/scoring/fraud/index.js';
import { dropTestData, testConfig } from '../helpers/test-nuqta.js';
import { campaignWith, eventOf, MINUTE, NO_LISTS, T0 } from '../unit/fraud/fixtures.js';

let config: NuqtaConfig;
let redis: Redis;
let history: RedisFraudHistory;

beforeAll(() => {
  config = testConfig('fraud_history_arrival');
  redis = new Redis(config.REDIS_URL, { maxRetriesPerRequest: 1 });
  history = new RedisFraudHistory(redis, config.NUQTA_QUEUE_PREFIX);
});
afterAll(async () => {
  redis.disconnect();
  await dropTestData(config);
});

/** Every key under the test's prefix with its content (scores included), whatever its type. */
async function redisDump(): Promise<Map<string, string>> {
  const dump = new Map<string, string>();
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${config.NUQTA_QUEUE_PREFIX}:*`, 'COUNT', 500);
    for (const key of keys) {
      const type = await redis.type(key);
      const value = type === 'hash' ? await redis.hgetall(key) : type === 'zset' ? await redis.zrange(key, 0, -1, 'WITHSCORES') : `unread ${type}`;
      dump.set(key, JSON.stringify(value));
    }
    cursor = next;
  } while (cursor !== '0');
  return dump;
}

function verdictOf(event: EngagementEvent, campaign: ReturnType<typeof campaignWith>, source: HistorySource): FraudVerdict {
  return scoreFraud({ event, campaign, history: buildRecentActivity(event, source), lists: NO_LISTS, now: event.receivedAt });
}

describe('arrival cohorts in the Redis fraud history', () => {
  it('give the same verdicts as the in-memory reference history on a seeded population, arrival_cohort included', async () => {
    // Seed 7 with 80 followers over 5 days has a cohort of throwaway accounts that turns up together again.
    const population = syntheticPopulation(7, 80, 5);
    const campaign = campaignWith();
    const reference = new InMemoryEventHistory();
    const differences: string[] = [];
    let cohortsSeen = 0;
    for (const { event } of population) {
      // Production remembers the event, then loads; the reference loads, then takes the event.
      // Deletions are remembered too: the delete-and-comment-again check reads them.
      await history.remember(event, campaign.id);
      const stored = await history.load(event, campaign);
      const expected = reference.load(event, campaign);
      reference.add(event);
      const actual = verdictOf(event, campaign, stored);
      if (JSON.stringify(actual) !== JSON.stringify(verdictOf(event, campaign, expected))) differences.push(event.eventKey);
      expect(buildRecentActivity(event, stored).arrival).toEqual(buildRecentActivity(event, expected).arrival);
      if (actual.signals.some((signal) => signal.code === 'arrival_cohort')) cohortsSeen += 1;
    }
    expect(differences).toEqual([]);
    expect(cohortsSeen).toBeGreaterThan(0);
  });

  it('move a member to the media of an earlier event delivered late, or out of every cohort when that event was on no media', async () => {
    const campaign = { ...campaignWith(), id: 'arrival-order' };
    const arrivals = (mediaId: string) => redis.zrange(history.firstSightings.arrivalsKey(campaign.id, 'instagram', mediaId), 0, -1, 'WITHSCORES');
    const memberId = memberIdOf('instagram', 'late-1');
    await history.remember(eventOf({ user: 'late-1', mediaId: 'order-post-2', at: T0 }), campaign.id);
    await history.remember(eventOf({ user: 'crowd-1', mediaId: 'order-post-1', at: T0 - 65 * MINUTE }), campaign.id);
    await history.remember(eventOf({ user: 'late-1', mediaId: 'order-post-1', at: T0 - 60 * MINUTE }), campaign.id);

    expect(await arrivals('order-post-2')).toEqual([]);
    expect(await arrivals('order-post-1')).toEqual([memberIdOf('instagram', 'crowd-1'), String(T0 - 65 * MINUTE), memberId, String(T0 - 60 * MINUTE)]);
    const later = eventOf({ user: 'late-1', mediaId: 'order-post-3', at: T0 + MINUTE });
    const source = await history.load(later, campaign);
    expect(source.arrival).toEqual({
      mediaId: 'order-post-1',
      at: new Date(T0 - 60 * MINUTE),
      cohort: new Map([[memberIdOf('instagram', 'crowd-1'), new Date(T0 - 65 * MINUTE)], [memberId, new Date(T0 - 60 * MINUTE)]]),
    });

    await history.remember(eventOf({ user: 'late-1', kind: 'story_mention', mediaId: null, at: T0 - 90 * MINUTE }), campaign.id);
    expect(await arrivals('order-post-1')).toEqual([memberIdOf('instagram', 'crowd-1'), String(T0 - 65 * MINUTE)]);
    expect(await redis.hget(history.firstSightings.mediaKey(campaign.id), memberId)).toBeNull();
    expect((await history.load(later, campaign)).arrival).toBeUndefined();
  });

  it('do not change when an event is remembered again, nor for another event at the same instant', async () => {
    const campaign = { ...campaignWith(), id: 'arrival-twice' };
    const first = eventOf({ user: 'twice-1', mediaId: 'twice-post-1', at: T0 });
    await history.remember(first, campaign.id);
    const before = await redisDump();
    await history.remember(first, campaign.id);
    expect(await redisDump()).toEqual(before);

    await history.remember(eventOf({ user: 'twice-1', mediaId: 'twice-post-2', at: T0 }), campaign.id);
    expect((await history.load(first, campaign)).arrival?.mediaId).toBe('twice-post-1');
  });

  it('are erased with the member: no key or value names them afterwards', async () => {
    const campaign = { ...campaignWith(), id: 'arrival-forget' };
    const person = { platform: 'instagram' as const, platformUserId: 'forget-me-1' };
    const events = [
      eventOf({ user: person.platformUserId, mediaId: 'forget-post-2', at: T0 }),
      // Delivered late: the member moves from forget-post-2's arrivals to forget-post-1's.
      eventOf({ user: person.platformUserId, mediaId: 'forget-post-1', at: T0 - 30 * MINUTE }),
      eventOf({ user: 'stays-1', mediaId: 'forget-post-1', at: T0 - 31 * MINUTE }),
    ];
    for (const event of events) await history.remember(event, campaign.id);
    const mentions = async (needle: string) => [...(await redisDump())].filter(([key, value]) => `${key} ${value}`.includes(needle)).map(([key]) => key);
    expect(await mentions(person.platformUserId)).toContain(history.firstSightings.arrivalsKey(campaign.id, 'instagram', 'forget-post-1'));

    await history.forget(person, { mediaIds: ['forget-post-1', 'forget-post-2'], accountIds: [events[0]?.target.accountId ?? ''], campaignIds: [campaign.id] });
    expect(await mentions(person.platformUserId)).toEqual([]);
    expect(await redis.zrange(history.firstSightings.arrivalsKey(campaign.id, 'instagram', 'forget-post-1'), 0, -1)).toEqual([memberIdOf('instagram', 'stays-1')]);
  });
});
