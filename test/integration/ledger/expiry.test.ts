import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memberEntries, memberState, recordVersusLedger } from '../../helpers/member-records.js';
import { startTestNuqta, TEST_SECRETS, type TestNuqta } from '../../helpers/test-nuqta.js';
import { BAKERY, expirySweep, LEDGER_CAMPAIGNS, scored } from './ledger-helpers.js';

let app: TestNuqta;
const DAY_MS = 86_400_000;

/** One sweep as of `asOf`, run by the test nuqta's consumers in the members' partitions: tasks done, entries written, points expired. */
const sweep = (asOf: Date) => expirySweep(app, asOf);

beforeAll(async () => {
  app = await startTestNuqta('expiry', { env: { NUQTA_CAMPAIGNS: LEDGER_CAMPAIGNS } });
  // 901: lots of 10, 5, 10 and 10 points, then a 20-point croissant spends the oldest lots first.
  await scored(app, [{ user: '901', id: 'e-901-1' }, { user: '901', id: 'e-901-2' }, { user: '901', id: 'e-901-3' }, { user: '902', id: 'e-902-1' }]);
  const response = await fetch(`${app.url}/v1/campaigns/${BAKERY}/members/instagram:901/redemptions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'idempotency-key': 'before-expiry', authorization: `Bearer ${TEST_SECRETS.redeemKey}` },
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
    expect(await sweep(new Date(Date.now() + 29 * DAY_MS))).toEqual({ tasks: 2, entries: 0, points: 0 });
  });

  it('expires what is left of each lot once it is due, oldest spent first, and only once', async () => {
    const asOf = new Date(Date.now() + 31 * DAY_MS);
    // 901 keeps 5 of the third lot and all of the fourth (15); 902 keeps both lots (15).
    expect(await sweep(asOf)).toEqual({ tasks: 2, entries: 4, points: 30 });
    expect(await memberState(app.nuqta, BAKERY, 'instagram:901')).toMatchObject({ balance: 0, earned: 35, lots: [] });
    const expired = (await memberEntries(app.nuqta, BAKERY, 'instagram:901')).filter((entry) => entry.kind === 'expire');
    expect(expired.map((entry) => [entry.refersTo?.eventKey, entry.ruleId, entry.points])).toEqual([
      ['instagram:comment:e-901-2', 'expire:comment', -5],
      ['instagram:comment:e-901-3', 'expire:comment', -10],
    ]);
    expect(expired[0]).toMatchObject({ by: 'expiry', reason: { code: 'EXPIRED', text: { en: '5 points expired (points last 30 days)' } } });
    // Each expiry is listed on the decision of the comment it is about, so explain shows it.
    const decision = await app.nuqta.decisions.get(BAKERY, 'instagram:comment:e-901-3');
    expect(decision?.laterSeqs).toEqual([expired[1]?.seq]);
    expect(await sweep(asOf)).toEqual({ tasks: 2, entries: 0, points: 0 });
    expect((await memberState(app.nuqta, BAKERY, 'instagram:902'))?.balance).toBe(0);
    for (const memberId of ['instagram:901', 'instagram:902']) expect(await recordVersusLedger(app.nuqta, BAKERY, memberId)).toEqual([]);
  });
});
