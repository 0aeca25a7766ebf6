import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LoadedCampaign } from '../../../src/config/campaign-loader.js';
import { replayCampaign } from '../../../src/scoring/replay.js';
import { memberEntries, memberState, recordVersusLedger } from '../../helpers/member-records.js';
import { startTestNuqta, type TestNuqta } from '../../helpers/test-nuqta.js';
import { BAKERY, LEDGER_CAMPAIGNS, scored } from './ledger-helpers.js';

let app: TestNuqta;

/** The bakery's file edited: 12 points a comment instead of 10, at most 2 a day. */
function editedBakery(): LoadedCampaign {
  const loaded = app.nuqta.campaigns.get(BAKERY);
  const rules = loaded.campaign.rules.map((rule) => (rule.id === 'comment' ? { ...rule, points: 12, limits: { ...rule.limits, per_day: 2 } } : rule));
  return { ...loaded, revision: 'v2-edited', campaign: { ...loaded.campaign, rules } };
}

beforeAll(async () => {
  app = await startTestNuqta('replay', { env: { NUQTA_CAMPAIGNS: LEDGER_CAMPAIGNS } });
  await scored(app, [
    { user: '1101', id: 'p-1101-1' }, { user: '1101', id: 'p-1101-2' }, { user: '1101', id: 'p-1101-3' },
    { user: '1102', id: 'p-1102-1' },
  ]);
});
afterAll(async () => {
  await app?.cleanup();
});

describe('nuqta replay', () => {
  it('finds no difference when the campaign file is unchanged', async () => {
    const report = await replayCampaign(app.nuqta, app.nuqta.campaigns.get(BAKERY), { apply: false });
    expect(report).toMatchObject({ members: 2, events: 4, differences: [], written: 0 });
  });

  it('shows per member and event what an edited file would give, writing nothing on a dry run', async () => {
    const report = await replayCampaign(app.nuqta, editedBakery(), { apply: false });
    expect(report.differences).toEqual([
      {
        memberId: 'instagram:1101',
        now: 35,
        wouldBe: 29,
        events: [
          { eventKey: 'instagram:comment:p-1101-1', occurredAt: expect.any(Date), now: 15, wouldBe: 17 },
          { eventKey: 'instagram:comment:p-1101-2', occurredAt: expect.any(Date), now: 10, wouldBe: 12 },
          { eventKey: 'instagram:comment:p-1101-3', occurredAt: expect.any(Date), now: 10, wouldBe: 0 },
        ],
      },
      { memberId: 'instagram:1102', now: 15, wouldBe: 17, events: [{ eventKey: 'instagram:comment:p-1102-1', occurredAt: expect.any(Date), now: 15, wouldBe: 17 }] },
    ]);
    expect(report.written).toBe(0);
    expect(await memberState(app.nuqta, BAKERY, 'instagram:1101')).toMatchObject({ earned: 35, seq: 4 });
  });

  it('applies adjust entries so the ledger matches, once', async () => {
    const applied = await replayCampaign(app.nuqta, editedBakery(), { apply: true });
    expect(applied.written).toBe(4);
    expect(await memberState(app.nuqta, BAKERY, 'instagram:1101')).toMatchObject({ earned: 29, balance: 29 });
    expect(await recordVersusLedger(app.nuqta, BAKERY, 'instagram:1101')).toEqual([]);
    const adjustments = (await memberEntries(app.nuqta, BAKERY, 'instagram:1101')).filter((entry) => entry.kind === 'adjust');
    expect(adjustments.map((entry) => [entry.eventKey, entry.ruleId, entry.points])).toEqual([
      ['instagram:comment:p-1101-1', 'replay:v2-edited', 2],
      ['instagram:comment:p-1101-2', 'replay:v2-edited', 2],
      ['instagram:comment:p-1101-3', 'replay:v2-edited', -10],
    ]);
    expect(adjustments[2]).toMatchObject({ by: 'replay', reason: { code: 'REPLAY_ADJUSTED', text: { en: '10 points taken back: re-scored with campaign revision v2-edited' } } });
    expect(await app.nuqta.leaderboard.rankOf(BAKERY, 'all', 'instagram:1101')).toMatchObject({ points: 29 });
    // Explain reads the adjustment through the event's decision.
    const decision = await app.nuqta.decisions.get(BAKERY, 'instagram:comment:p-1101-3');
    expect(decision?.laterSeqs).toEqual([adjustments[2]?.seq]);
    const again = await replayCampaign(app.nuqta, editedBakery(), { apply: true });
    expect(again).toMatchObject({ differences: [], written: 0 });
  });
});
