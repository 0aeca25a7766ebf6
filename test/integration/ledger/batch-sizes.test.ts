/**
 * Batching changes no award: random engagement sequences (several members,
 * caps, a cooldown, a first-time bonus, a streak, a challenge, tiers,
 * deletions, duplicates, late deliveries, the fraud scorer on) scored in
 * batches of 1, 7 and 500 leave identical ledgers, decisions, flags, member
 * records and boards.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Nuqta } from '../../../src/app.js';
import { memberIdOf, toEngagementEvent, type EngagementEvent, type EventKind } from '../../../src/domain/event.js';
import type { IngestJob } from '../../../src/ingestion/ingest-queue.js';
import { createLogger } from '../../../src/log.js';
import { memberTaskHandlers, openFromConfig } from '../../../src/runtime.js';
import { BatchScorer } from '../../../src/scoring/batch-scorer.js';
import { dropTestData, testConfig } from '../../helpers/test-nuqta.js';

const CAMPAIGN = 'every-rule';
const ACCOUNT = '17841400000000051';
const BATCH_SIZES = [1, 7, 500] as const;
/** Every event falls within these 20 hours (across a Riyadh midnight, for the streak). */
const FROM = Date.parse('2026-12-02T12:00:00+03:00');
const SPAN_MINUTES = 20 * 60;
const CLOCK = new Date('2026-12-04T00:00:00Z');
const WORDS = ['جميل', 'رائع', 'love it', 'nice', 'best thawb', 'مبروك', 'wow', 'when is the sale', 'great colours', 'تم'];

interface Scoring {
  nuqta: Nuqta;
  scorer: BatchScorer;
  cleanup(): Promise<void>;
}

const scorings = new Map<number, Scoring>();

beforeAll(async () => {
  for (const size of BATCH_SIZES) {
    const config = testConfig(`batch_sizes_${size}`, { NUQTA_CAMPAIGNS: 'test/fixtures/campaigns/batching', NUQTA_EXPIRY_EVERY_MINUTES: '0' });
    const nuqta = await openFromConfig(config, createLogger('silent'));
    const scorer = new BatchScorer({ ...nuqta, tasks: memberTaskHandlers(nuqta), clock: () => CLOCK });
    scorings.set(size, { nuqta, scorer, cleanup: async () => { await nuqta.close(); await dropTestData(config); } });
  }
});
afterAll(async () => {
  for (const scoring of scorings.values()) await scoring.cleanup();
});

type EngagedKind = Extract<EventKind, 'comment' | 'reply' | 'mention' | 'like'>;
type Step =
  | { type: 'engage'; member: number; kind: EngagedKind; minute: number; words: number[] }
  | { type: 'burst'; member: number; minute: number; count: number; words: number[] }
  | { type: 'delete'; pick: number; after: number }
  | { type: 'again'; pick: number };

const stepArbitrary: fc.Arbitrary<Step> = fc.oneof(
  { weight: 8, arbitrary: fc.record({
    type: fc.constant('engage' as const),
    member: fc.integer({ min: 0, max: 4 }),
    kind: fc.constantFrom<EngagedKind>('comment', 'comment', 'comment', 'reply', 'mention', 'like'),
    minute: fc.integer({ min: 0, max: SPAN_MINUTES }),
    words: fc.array(fc.integer({ min: 0, max: WORDS.length - 1 }), { minLength: 1, maxLength: 3 }),
  }) },
  // A member commenting the same words several times within a minute: the fraud scorer's bursts and duplicates.
  { weight: 1, arbitrary: fc.record({
    type: fc.constant('burst' as const),
    member: fc.integer({ min: 0, max: 4 }),
    minute: fc.integer({ min: 0, max: SPAN_MINUTES }),
    count: fc.integer({ min: 3, max: 8 }),
    words: fc.array(fc.integer({ min: 0, max: WORDS.length - 1 }), { minLength: 1, maxLength: 3 }),
  }) },
  { weight: 1, arbitrary: fc.record({ type: fc.constant('delete' as const), pick: fc.nat(), after: fc.integer({ min: 1, max: 90 }) }) },
  { weight: 1, arbitrary: fc.record({ type: fc.constant('again' as const), pick: fc.nat() }) },
);

/** The steps as events in delivery order; `run` keeps each sequence's ids apart. */
function eventsOf(steps: readonly Step[], run: number): EngagementEvent[] {
  const events: EngagementEvent[] = [];
  const engage = (id: string, member: number, kind: EngagedKind, at: Date, words: readonly number[]): void => {
    events.push(toEngagementEvent({
      platform: 'instagram', kind, verified: true, platformEventId: id, source: 'api',
      actor: { platformUserId: `17841499${run}0000${member}`, username: `fan.${run}.${member}` },
      target: { accountId: ACCOUNT, mediaId: `17900000${run}00000${member % 2}`, ...(kind === 'comment' || kind === 'reply' ? { commentId: id } : {}) },
      ...(kind === 'like' ? {} : { text: words.map((word) => WORDS[word]).join(' ') }),
      occurredAt: at, receivedAt: at,
    }));
  };
  steps.forEach((step, index) => {
    if (step.type === 'engage') {
      engage(`${run}-${index}`, step.member, step.kind, new Date(FROM + step.minute * 60_000), step.words);
      return;
    }
    if (step.type === 'burst') {
      for (let n = 0; n < step.count; n += 1) engage(`${run}-${index}-${n}`, step.member, 'comment', new Date(FROM + step.minute * 60_000 + n * 5_000), step.words);
      return;
    }
    const commented = events.filter((event) => event.kind === 'comment' || event.kind === 'reply');
    const earlier = step.type === 'delete' ? commented[step.pick % Math.max(1, commented.length)] : events[step.pick % Math.max(1, events.length)];
    if (!earlier) return;
    if (step.type === 'again') {
      events.push(earlier);
      return;
    }
    const at = new Date(earlier.occurredAt.getTime() + step.after * 60_000);
    events.push(toEngagementEvent({
      platform: 'instagram', kind: 'comment_deleted', verified: true, platformEventId: earlier.platformEventId, source: 'api',
      actor: earlier.actor, target: { ...earlier.target }, occurredAt: at, receivedAt: at,
    }));
  });
  return events;
}

async function scoreInBatches(scoring: Scoring, events: readonly EngagementEvent[], size: number): Promise<void> {
  const jobs: IngestJob[] = events.map((event) => ({ event }));
  for (let start = 0; start < jobs.length; start += size) {
    const outcomes = await scoring.scorer.score(jobs.slice(start, start + size), () => undefined);
    const failed = outcomes.filter((outcome) => !outcome.ok);
    if (failed.length > 0) throw new Error(`${failed.length} jobs failed: ${String(failed.map((outcome) => ('error' in outcome ? outcome.error : '')).join('; '))}`);
  }
}

/** What the stores hold for the members of one sequence, keyed so that the three runs compare directly. */
async function holdings(scoring: Scoring, events: readonly EngagementEvent[]): Promise<Record<string, unknown>> {
  const { nuqta } = scoring;
  const memberIds = [...new Set(events.map((event) => memberIdOf(event.platform, event.actor.platformUserId)))].sort();
  const members = { campaignId: CAMPAIGN, memberId: { $in: memberIds } };
  const ledger = await nuqta.db.collection('ledger').find(members).toArray();
  const eventKeys = [...new Set(events.map((event) => event.eventKey))];
  const decisions = (await Promise.all(eventKeys.map((key) => nuqta.decisions.get(CAMPAIGN, key)))).map((decision, index) => [eventKeys[index], decision]);
  const flags = await nuqta.db.collection('flags').find({ campaignId: CAMPAIGN, memberId: { $in: memberIds } }).toArray();
  const records = await Promise.all(memberIds.map(async (memberId) => [memberId, await nuqta.states.get(CAMPAIGN, memberId)]));
  // Each board's standings of these members (the boards also hold the other sequences' members).
  const boards: Record<string, string[][]> = {};
  const prefix = nuqta.config.NUQTA_QUEUE_PREFIX;
  for (const key of (await nuqta.redis.keys(`${prefix}:leaderboard:{${CAMPAIGN}}:*`)).sort()) {
    const standings = await nuqta.redis.zrange(key, 0, -1, 'WITHSCORES');
    const pairs = standings.flatMap((member, index) => (index % 2 === 0 ? [[member, standings[index + 1] ?? '']] : []));
    boards[key.slice(prefix.length)] = pairs.filter(([member]) => memberIds.includes(member ?? ''));
  }
  const byId = (a: { _id: unknown }, b: { _id: unknown }) => String(a._id).localeCompare(String(b._id));
  return { ledger: ledger.sort(byId), decisions, flags: flags.sort(byId), records, boards };
}

describe('scoring in batches', () => {
  it('gives the same ledger, decisions, flags, member records and boards with batches of 1, 7 and 500', { timeout: 240_000 }, async () => {
    let run = 0;
    const kinds = new Map<string, number>();
    await fc.assert(
      fc.asyncProperty(fc.array(stepArbitrary, { minLength: 60, maxLength: 160 }), async (steps) => {
        run += 1;
        const events = eventsOf(steps, run);
        const seen: Record<string, unknown>[] = [];
        for (const size of BATCH_SIZES) {
          const scoring = scorings.get(size);
          if (!scoring) throw new Error(`no scoring for batch ${size}`);
          await scoreInBatches(scoring, events, size);
          seen.push(await holdings(scoring, events));
        }
        const [one, ...others] = seen;
        for (const other of others) expect(other).toEqual(one);
        for (const entry of (one?.ledger ?? []) as { ruleId: string }[]) kinds.set(entry.ruleId, (kinds.get(entry.ruleId) ?? 0) + 1);
      }),
      { numRuns: 8, seed: 20261204, endOnFailure: true },
    );
    // The sequences reached every kind of award the campaign makes, and took some back.
    expect([...kinds.keys()].sort()).toEqual(expect.arrayContaining(['comment', 'first_comment', 'reply', 'mention', 'like', 'challenge:three-replies', 'streak:comment', 'reverse:comment']));
  });
});
