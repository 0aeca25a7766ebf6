import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expiryRunTotals, sweepExpiry, type ExpiryTotals } from '../../../src/scoring/expiry-job.js';
import { eventually, startTestNuqta, TEST_SECRETS, type TestNuqta } from '../../helpers/test-nuqta.js';
import { BAKERY, LEDGER_CAMPAIGNS, scored } from './ledger-helpers.js';

let app: TestNuqta;
const DAY_MS = 86_400_000;

/** One sweep as of `asOf`, run by the test nuqta's workers through the members' partitions. */
async function sweep(asOf: Date, runId: string): Promise<ExpiryTotals> {
  const queued = await sweepExpiry(app.nuqta, app.nuqta.campaigns.get(BAKERY), asOf, runId);
  return eventually(async () => {
    const totals = await expiryRunTotals(app.nuqta, runId);
    return totals.members === queued ? totals : undefined;
  }, 30_000, `expiry run ${runId}`);
}

beforeAll(async () => {
  app = await startTestNuqta('expiry', { env: { NUQTA_CAMPAIGNS: LEDGER_CAMPAIGNS } });
  // 901: lots of 10, 5, 10 and 10 points, then a 20-point croissant spends the oldest lots first.
  await scored(app, [{ user: '901', id: 'e-901-1' }, { user: '901', id: 'e-901-2' }, { user: '901', id: 'e-901-3' }, { user: '902', id: 'e-902-1' }]);
  const response = await fetch(`${app.url}/v1/campaigns/${BAKERY}/members/instagram:901/redemptions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'idempotency-key': 'before-expiry', authorization: `Bearer ${TEST_SECRETS.ingestKey}` },
    body: JSON.stringify({ rewardId: 'croissant' }),
  });
  expect(response.status).toBe(201);
});
afterAll(async () => {
  await app?.cleanup();
});

describe('expiry', () => {
  it('schedules a sweep when the workers start', async () => {
    const queue = new Queue('expiry', { connection: app.nuqta.redis, prefix: app.config.NUQTA_QUEUE_PREFIX });
    try {
      expect(await queue.getJobScheduler('expiry-sweep')).toMatchObject({ every: 60 * 60_000 });
    } finally {
      await queue.close();
    }
  });

  it('expires nothing before the points are 30 days old', async () => {
    expect(await sweep(new Date(Date.now() + 29 * DAY_MS), 'day-29')).toEqual({ members: 2, entries: 0, points: 0 });
  });

  it('expires what is left of each lot once it is due, oldest spent first, and only once', async () => {
    const asOf = new Date(Date.now() + 31 * DAY_MS);
    // 901 keeps 5 of the third lot and all of the fourth (15); 902 keeps both lots (15).
    expect(await sweep(asOf, 'day-31')).toEqual({ members: 2, entries: 4, points: 30 });
    const member = await app.nuqta.members.get(BAKERY, 'instagram:901');
    expect(member).toMatchObject({ balance: 0, earned: 35 });
    const expired = (member?.facts ?? []).filter((fact) => fact.kind === 'expire');
    expect(expired.map((fact) => [fact.refersTo?.eventKey, fact.ruleId, fact.points])).toEqual([
      ['instagram:comment:e-901-2', 'expire:comment', -5],
      ['instagram:comment:e-901-3', 'expire:comment', -10],
    ]);
    const entry = await app.nuqta.ledger.entry(BAKERY, 'instagram:901', expired[0]?.seq ?? 0);
    expect(entry).toMatchObject({ by: 'expiry', reason: { code: 'EXPIRED', text: { en: '5 points expired (points last 30 days)' } } });
    expect(await sweep(asOf, 'day-31-again')).toEqual({ members: 2, entries: 0, points: 0 });
    expect((await app.nuqta.members.get(BAKERY, 'instagram:902'))?.balance).toBe(0);
  });
});
