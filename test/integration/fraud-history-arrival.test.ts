/**
 * The fraud history kept in Redis, read a batch at a time (BatchHistory),
 * gives the scorer what the in-memory reference history (the one the fraud
 * evaluation scores through) gives it one event at a time, arrival cohorts
 * included, whatever the batch size.
 */
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Campaign } from '../../src/config/campaign-schema.js';
import type { NuqtaConfig } from '../../src/config/env.js';
import { memberIdOf, type EngagementEvent } from '../../src/domain/event.js';
import { BatchHistory } from '../../src/scoring/batch-history.js';
import { execOrThrow, RedisFraudHistory } from '../../src/scoring/fraud-history.js';
import { InMemoryEventHistory, syntheticPopulation } from '../../src/fraud-eval/index.js';
import { buildRecentActivity, scoreFraud, type FraudVerdict, type HistorySource } from '../../src/scoring/fraud/index.js';
import { campaignWith, eventOf, MINUTE, NO_LISTS, T0 } from '../helpers/fraud-events.js';
import { dropTestData, testConfig } from '../helpers/test-nuqta.js';

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

/** Remembers events the way a batch's commit does: one pipeline, each event for the campaigns it concerns. */
async function remember(into: RedisFraudHistory, events: readonly EngagementEvent[], campaignId: string): Promise<void> {
  const pipeline = redis.pipeline();
  into.queueRemember(pipeline, events.map((event) => ({ event, campaignIds: [campaignId] })));
  await execOrThrow(pipeline);
}

/** The history one event would get as a batch of its own. */
async function loadAlone(event: EngagementEvent, campaign: Campaign): Promise<HistorySource> {
  return (await BatchHistory.load(history, [{ event, campaign, judged: true }])).sourceFor(0);
}

function verdictOf(event: EngagementEvent, campaign: Campaign, source: HistorySource): FraudVerdict {
  return scoreFraud({ event, campaign, history: buildRecentActivity(event, source), lists: NO_LISTS, now: event.receivedAt });
}

describe('arrival cohorts in the Redis fraud history', () => {
  // Seed 7 with 80 followers over 5 days has a cohort of throwaway accounts that turns up together again.
  const population = syntheticPopulation(7, 80, 5);

  it.each([1, 7, 50])('give the same verdicts as the in-memory reference history on a seeded population in batches of %i, arrival_cohort included', async (size) => {
    // Each batch size reads and writes Redis keys of its own.
    const own = new RedisFraudHistory(redis, `${config.NUQTA_QUEUE_PREFIX}:batch-${size}`);
    const campaign = campaignWith();
    const reference = new InMemoryEventHistory();
    const differences: string[] = [];
    const arrivalDifferences: string[] = [];
    let cohortsSeen = 0;
    let judged = 0;
    for (let start = 0; start < population.length; start += size) {
      const batch = population.slice(start, start + size).map(({ event }) => event);
      // Production loads the batch's history, scores its events in order, then remembers them all in its commit.
      // Deletions are loaded and remembered too: the delete-and-comment-again check reads them.
      const loaded = await BatchHistory.load(own, batch.map((event) => ({ event, campaign, judged: true })));
      batch.forEach((event, index) => {
        const stored = loaded.sourceFor(index);
        const expected = reference.load(event, campaign);
        reference.add(event);
        const actual = verdictOf(event, campaign, stored);
        if (JSON.stringify(actual) !== JSON.stringify(verdictOf(event, campaign, expected))) differences.push(event.eventKey);
        if (JSON.stringify(buildRecentActivity(event, stored).arrival) !== JSON.stringify(buildRecentActivity(event, expected).arrival)) arrivalDifferences.push(event.eventKey);
        if (actual.signals.some((signal) => signal.code === 'arrival_cohort')) cohortsSeen += 1;
        judged += 1;
      });
      await remember(own, batch, campaign.id);
    }
    expect(judged).toBe(population.length);
    expect(differences).toEqual([]);
    expect(arrivalDifferences).toEqual([]);
    expect(cohortsSeen).toBeGreaterThan(0);
  });

  it('move a member to the media of an earlier event delivered late, or out of every cohort when that event was on no media', async () => {
    const campaign = { ...campaignWith(), id: 'arrival-order' };
    const arrivals = (mediaId: string) => redis.zrange(history.firstSightings.arrivalsKey(campaign.id, 'instagram', mediaId), 0, -1, 'WITHSCORES');
    const memberId = memberIdOf('instagram', 'late-1');
    await remember(history, [eventOf({ user: 'late-1', mediaId: 'order-post-2', at: T0 })], campaign.id);
    await remember(history, [eventOf({ user: 'crowd-1', mediaId: 'order-post-1', at: T0 - 65 * MINUTE })], campaign.id);
    await remember(history, [eventOf({ user: 'late-1', mediaId: 'order-post-1', at: T0 - 60 * MINUTE })], campaign.id);

    expect(await arrivals('order-post-2')).toEqual([]);
    expect(await arrivals('order-post-1')).toEqual([memberIdOf('instagram', 'crowd-1'), String(T0 - 65 * MINUTE), memberId, String(T0 - 60 * MINUTE)]);
    const later = eventOf({ user: 'late-1', mediaId: 'order-post-3', at: T0 + MINUTE });
    const source = await loadAlone(later, campaign);
    expect(source.arrival).toEqual({
      mediaId: 'order-post-1',
      at: new Date(T0 - 60 * MINUTE),
      // The post's crowd started with crowd-1: the warm-up baseline of the cohort check.
      postOpenedAt: new Date(T0 - 65 * MINUTE),
      cohort: new Map([[memberIdOf('instagram', 'crowd-1'), new Date(T0 - 65 * MINUTE)], [memberId, new Date(T0 - 60 * MINUTE)]]),
    });

    await remember(history, [eventOf({ user: 'late-1', kind: 'story_mention', mediaId: null, at: T0 - 90 * MINUTE })], campaign.id);
    expect(await arrivals('order-post-1')).toEqual([memberIdOf('instagram', 'crowd-1'), String(T0 - 65 * MINUTE)]);
    expect(await redis.hget(history.firstSightings.mediaKey(campaign.id), memberId)).toBeNull();
    expect((await loadAlone(later, campaign)).arrival).toBeUndefined();
  });

  it('see, within one batch, the move an earlier event of the batch makes, as one event at a time would', async () => {
    const campaign = { ...campaignWith(), id: 'arrival-in-batch' };
    const memberId = memberIdOf('instagram', 'late-2');
    const events = [
      eventOf({ user: 'late-2', mediaId: 'batch-post-2', at: T0 }),
      eventOf({ user: 'crowd-2', mediaId: 'batch-post-1', at: T0 - 65 * MINUTE }),
      // Delivered late: late-2 was first seen on batch-post-1, with crowd-2.
      eventOf({ user: 'late-2', mediaId: 'batch-post-1', at: T0 - 60 * MINUTE }),
      eventOf({ user: 'late-2', mediaId: 'batch-post-3', at: T0 + MINUTE }),
    ];
    const batch = await BatchHistory.load(history, events.map((event) => ({ event, campaign, judged: true })));
    expect(batch.sourceFor(0).arrival).toEqual({ mediaId: 'batch-post-2', at: new Date(T0), postOpenedAt: new Date(T0), cohort: new Map([[memberId, new Date(T0)]]) });
    expect(batch.sourceFor(3).arrival).toEqual({
      mediaId: 'batch-post-1',
      at: new Date(T0 - 60 * MINUTE),
      postOpenedAt: new Date(T0 - 65 * MINUTE),
      cohort: new Map([[memberIdOf('instagram', 'crowd-2'), new Date(T0 - 65 * MINUTE)], [memberId, new Date(T0 - 60 * MINUTE)]]),
    });
    // Nothing is written by loading; the commit remembers them, and a batch of one then reads the same.
    expect(await redis.hget(history.firstSightings.timesKey(campaign.id), memberId)).toBeNull();
    await remember(history, events, campaign.id);
    expect((await loadAlone(events[3] as EngagementEvent, campaign)).arrival).toEqual(batch.sourceFor(3).arrival);
  });

  it('do not change when an event is remembered again, nor for another event at the same instant', async () => {
    const campaign = { ...campaignWith(), id: 'arrival-twice' };
    const first = eventOf({ user: 'twice-1', mediaId: 'twice-post-1', at: T0 });
    await remember(history, [first], campaign.id);
    const before = await redisDump();
    await remember(history, [first], campaign.id);
    expect(await redisDump()).toEqual(before);

    await remember(history, [eventOf({ user: 'twice-1', mediaId: 'twice-post-2', at: T0 })], campaign.id);
    expect((await loadAlone(first, campaign)).arrival?.mediaId).toBe('twice-post-1');
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
    for (const event of events) await remember(history, [event], campaign.id);
    const mentions = async (needle: string) => [...(await redisDump())].filter(([key, value]) => `${key} ${value}`.includes(needle)).map(([key]) => key);
    expect(await mentions(person.platformUserId)).toContain(history.firstSightings.arrivalsKey(campaign.id, 'instagram', 'forget-post-1'));

    await history.forget(person, { mediaIds: ['forget-post-1', 'forget-post-2'], accountIds: [events[0]?.target.accountId ?? ''], campaignIds: [campaign.id] });
    expect(await mentions(person.platformUserId)).toEqual([]);
    expect(await redis.zrange(history.firstSightings.arrivalsKey(campaign.id, 'instagram', 'forget-post-1'), 0, -1)).toEqual([memberIdOf('instagram', 'stays-1')]);
  });
});
