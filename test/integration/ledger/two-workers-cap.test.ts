import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INGEST_PARTITIONS } from '../../../src/ingestion/ingest-queue.js';
import { createLogger } from '../../../src/log.js';
import { openFromConfig, startRunning, type Running } from '../../../src/runtime.js';
import { memberState, recordVersusLedger } from '../../helpers/member-records.js';
import { eventually, startTestNuqta, type TestNuqta } from '../../helpers/test-nuqta.js';
import { drained, sendComments } from './ledger-helpers.js';

const CAMPAIGN = 'tight-caps';
const ACCOUNT = '17841400000000041';
const BURST = 50;
const MEMBERS = ['1201', '1202', '1203', '1204', '1205', '1206'];

let app: TestNuqta;
let second: Running;

/** Jobs of every partition in each state, summed. */
async function jobCounts(): Promise<Record<string, number>> {
  const totals: Record<string, number> = {};
  for (const queue of app.nuqta.queue.partitions) {
    for (const [state, count] of Object.entries(await queue.getJobCounts('completed', 'failed'))) totals[state] = (totals[state] ?? 0) + count;
  }
  return totals;
}

beforeAll(async () => {
  app = await startTestNuqta('two_workers_cap', { env: { NUQTA_CAMPAIGNS: 'test/fixtures/campaigns/caps' } });
  // A second worker process on the same Redis, MongoDB and queues.
  second = await startRunning(await openFromConfig(app.config, createLogger('silent')), { serve: false, work: true });
  // The first process held every partition; it hands half of them over to the second.
  await eventually(async () => {
    const [mine, theirs] = [app.consumers?.partitions ?? [], second.consumers?.partitions ?? []];
    return mine.length === INGEST_PARTITIONS / 2 && theirs.length === INGEST_PARTITIONS / 2 ? true : undefined;
  }, 60_000, 'the two processes to share the partitions');
}, 90_000);
afterAll(async () => {
  await second?.stop();
  await app?.cleanup();
});

describe('two worker processes and a burst of comments', () => {
  it(`never award more than the daily cap (3) when each of ${MEMBERS.length} members sends ${BURST} comments at once`, { timeout: 120_000 }, async () => {
    const [mine, theirs] = [app.consumers?.partitions ?? [], second.consumers?.partitions ?? []];
    expect([...mine, ...theirs].sort()).toEqual(Array.from({ length: INGEST_PARTITIONS }, (_, partition) => partition));
    const at = new Date();
    // Each member's burst in one request, sent at once: every comment is queued before the first is scored.
    const keys = (await Promise.all(MEMBERS.map((user) => sendComments(app, Array.from({ length: BURST }, (_, index) => ({
      user, id: `burst-${user}-${index}`, account: ACCOUNT, text: `تعليق رقم ${index} من ${user}`, at,
    })))))).flat();
    await drained(app);
    expect(await jobCounts()).toEqual({ completed: keys.length, failed: 0 });

    for (const user of MEMBERS) {
      const entries = await app.nuqta.ledger.entriesAfter(CAMPAIGN, `instagram:${user}`, 0);
      expect(entries.map((entry) => [entry.kind, entry.points, entry.status])).toEqual([['earn', 10, 'posted'], ['earn', 10, 'posted'], ['earn', 10, 'posted']]);
      expect(await memberState(app.nuqta, CAMPAIGN, `instagram:${user}`)).toMatchObject({ balance: 30, earned: 30, seq: 3 });
      expect(await recordVersusLedger(app.nuqta, CAMPAIGN, `instagram:${user}`)).toEqual([]);
    }
    const decisions = await Promise.all(keys.map((key) => app.nuqta.decisions.get(CAMPAIGN, key)));
    expect(decisions.filter((decision) => decision?.nonAwards[0]?.reason.code === 'LIMIT_PER_DAY')).toHaveLength(MEMBERS.length * (BURST - 3));
  });
});
