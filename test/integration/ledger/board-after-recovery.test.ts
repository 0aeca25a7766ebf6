/**
 * A commit cut short after its ledger entries: when the job comes back, the
 * member is caught up from the ledger and the event answers "decided
 * before"; the caught-up record and board are written then, not left to the
 * member's next event.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ledgerEntryId } from '../../../src/ledger/ledger-store.js';
import type { LedgerEntry } from '../../../src/ledger/entry.js';
import { recordVersusLedger } from '../../helpers/member-records.js';
import { startTestNuqta, type TestNuqta } from '../../helpers/test-nuqta.js';
import { drained, sendComments } from './ledger-helpers.js';
import { runNuqta } from './worker-processes.js';

const CAMPAIGN = 'tight-caps';
const ACCOUNT = '17841400000000041';
const M = 'instagram:4401';
let app: TestNuqta;

beforeAll(async () => {
  app = await startTestNuqta('board_recovery', { env: { NUQTA_CAMPAIGNS: 'test/fixtures/campaigns/caps' } });
});
afterAll(async () => {
  await app?.cleanup();
});

it('writes the board of a member caught up from the ledger', async () => {
  const at = new Date();
  await sendComments(app, [{ user: '4401', id: 'b-1', account: ACCOUNT, at }, { user: '4401', id: 'b-2', account: ACCOUNT, at }]);
  await drained(app);
  expect((await app.nuqta.states.get(CAMPAIGN, M))?.state.seq).toBe(2);
  // A worker died after writing the third comment's entry and event, before its decision and the member's record.
  const [second] = await app.nuqta.ledger.entries(CAMPAIGN, M, [2]);
  if (!second) throw new Error('no entry 2');
  const eventKey = 'instagram:comment:b-3';
  const third: LedgerEntry = { ...second, seq: 3, eventKey, createdAt: new Date() };
  await app.nuqta.db.collection('ledger').insertOne({ _id: ledgerEntryId(CAMPAIGN, M, 3), ...third } as never);
  // The job comes back (same eventKey): recovered and 'decided before'.
  await sendComments(app, [{ user: '4401', id: 'b-3', account: ACCOUNT, at }]);
  await drained(app);
  expect((await app.nuqta.states.get(CAMPAIGN, M))?.state).toMatchObject({ seq: 3, balance: 30 });
  expect(await app.nuqta.leaderboard.rankOf(CAMPAIGN, 'all', M)).toMatchObject({ points: 30 });
  // The member's next comment (over the cap) is scored with the kept record.
  await sendComments(app, [{ user: '4401', id: 'b-4', account: ACCOUNT, at }]);
  await drained(app);
  const record = await app.nuqta.states.get(CAMPAIGN, M);
  const board = await app.nuqta.leaderboard.rankOf(CAMPAIGN, 'all', M);
  expect(record?.state).toMatchObject({ seq: 3, balance: 30 });
  expect(board).toMatchObject({ points: 30 });
  expect(await recordVersusLedger(app.nuqta, CAMPAIGN, M)).toEqual([]);
  const verify = await runNuqta(app.config, 'verify', '--campaign', CAMPAIGN);
  expect(verify.code).toBe(0);
});
