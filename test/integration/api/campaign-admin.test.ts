import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { createLogger } from '../../../src/log.js';
import { openFromConfig, startRunning, type Running } from '../../../src/runtime.js';
import { startTestNuqta, TEST_SECRETS, type TestNuqta } from '../../helpers/test-nuqta.js';
import type { ScoringDecision } from '../../../src/scoring/decision-store.js';
import { eventually } from '../../helpers/test-nuqta.js';
import { LEDGER_CAMPAIGNS, sendComments } from '../ledger/ledger-helpers.js';

// The API process serves only; the worker is another Nuqta with its own
// registry, as `nuqta work` on another machine would be.
let api: TestNuqta;
let worker: Running;
const ADMIN = { authorization: `Bearer ${TEST_SECRETS.adminKey}` };
const POPUP_ACCOUNT = '17841400000000077';
const DAY = 86_400_000;
const STARTS = new Date(Date.now() - DAY).toISOString();
const ENDS = new Date(Date.now() + 30 * DAY).toISOString();

function popUp(points: number, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: 'pop-up',
    name: { ar: 'متجر مؤقت', en: 'Pop-up store' },
    timezone: 'Asia/Riyadh',
    starts_at: STARTS,
    ends_at: ENDS,
    accounts: { instagram: [POPUP_ACCOUNT] },
    rules: [{ id: 'comment', on: 'comment', points }],
    fraud: { weights: { username_pattern: 0, newcomer_spike: 0, new_account: 0, thin_profile: 0, generic_comment: 0 } },
    ...extra,
  };
}

async function call(method: string, path: string, body?: string | Record<string, unknown>, headers: Record<string, string> = {}): Promise<{ status: number; body: any }> {
  const yaml = typeof body === 'string';
  const response = await fetch(`${api.url}${path}`, {
    method,
    headers: { ...ADMIN, ...(body === undefined ? {} : { 'content-type': yaml ? 'application/yaml' : 'application/json' }), ...headers },
    ...(body === undefined ? {} : { body: yaml ? body : JSON.stringify(body) }),
  });
  return { status: response.status, body: await response.json() };
}

/** Sends one comment to the pop-up account and waits for its decision. */
async function decided(user: string, id: string): Promise<ScoringDecision> {
  const [eventKey] = await sendComments(api, [{ user, id, account: POPUP_ACCOUNT }]);
  return eventually(async () => (await api.nuqta.decisions.get('pop-up', eventKey ?? '')) ?? undefined, 20_000, `comment ${id} to be scored`);
}

/** The points one new member's comment earns. */
async function commentEarns(user: string, id: string): Promise<number> {
  const decision = await decided(user, id);
  const entries = await api.nuqta.ledger.entries('pop-up', decision.memberId, decision.entrySeqs);
  return entries.reduce((sum, entry) => sum + entry.points, 0);
}

beforeAll(async () => {
  api = await startTestNuqta('campaign_admin', { work: false, env: { NUQTA_CAMPAIGNS: LEDGER_CAMPAIGNS } });
  worker = await startRunning(await openFromConfig(api.config, createLogger('silent')), { serve: false, work: true });
});
afterAll(async () => {
  await worker?.stop();
  await api?.cleanup();
});

describe('campaigns through the API', () => {
  it('creates a campaign from YAML, and the running worker scores with it at once', async () => {
    const created = await call('POST', '/v1/campaigns', stringify(popUp(10)));
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ campaignId: 'pop-up', n: 1, stored: true, changes: [] });
    expect(await commentEarns('601', 'pu-1')).toBe(10);
  });

  it('changes the next event’s award on the running worker without a restart', async () => {
    const updated = await call('PUT', '/v1/campaigns/pop-up', popUp(25));
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({ n: 2, stored: true, changes: [{ path: 'rules.0.points', before: 10, after: 25 }] });
    expect(await commentEarns('602', 'pu-2')).toBe(25);
    // The decision names the revision it was scored with.
    expect((await decided('603', 'pu-3')).campaignRevision).toBe(updated.body.revision);
  });

  it('refuses an invalid update with path: message errors and changes nothing', async () => {
    const before = await call('GET', '/v1/campaigns/pop-up/revisions');
    const refused = await call('PUT', '/v1/campaigns/pop-up', popUp(0, { timezone: 'Mars/Olympus' }));
    expect(refused.status).toBe(400);
    expect(refused.body.error.code).toBe('NUQTA_INVALID_CAMPAIGN');
    expect(refused.body.error.message).toContain('timezone: is not an IANA time zone');
    expect(refused.body.error.message).toContain('rules.0.points: Number must be greater than or equal to 1');
    const broken = await call('PUT', '/v1/campaigns/pop-up', 'id: pop-up\nrules: [unclosed');
    expect(broken.status).toBe(400);
    expect(broken.body.error.message).toMatch(/^\(campaign\): YAML/);
    const after = await call('GET', '/v1/campaigns/pop-up/revisions');
    expect(after.body.revisions).toEqual(before.body.revisions);
    expect(await commentEarns('604', 'pu-4')).toBe(25);
  });

  it('refuses an id that is not the one addressed, a stale If-Match, and a second create', async () => {
    expect((await call('PUT', '/v1/campaigns/other', popUp(5))).body.error).toMatchObject({ code: 'NUQTA_INVALID_CAMPAIGN', message: 'id: must be "other", the campaign addressed' });
    const stale = await call('PUT', '/v1/campaigns/pop-up', popUp(30), { 'if-match': '"v1-00000000"' });
    expect(stale.status).toBe(412);
    expect(stale.body.error.code).toBe('NUQTA_REVISION_MISMATCH');
    expect((await call('POST', '/v1/campaigns', popUp(30))).status).toBe(409);
  });

  it('stores nothing when the content is the same revision', async () => {
    const history = await call('GET', '/v1/campaigns/pop-up/revisions');
    const newest = history.body.revisions.at(-1);
    const again = await call('PUT', '/v1/campaigns/pop-up', (await call('GET', `/v1/campaigns/pop-up/revisions/${newest.n}`)).body.source, { 'if-match': newest.revision });
    expect(again.body).toMatchObject({ stored: false, n: newest.n, revision: newest.revision });
  });

  it('pauses and resumes: a comment while paused earns nothing and says why', async () => {
    const paused = await call('POST', '/v1/campaigns/pop-up/pause');
    expect(paused.status).toBe(200);
    expect(paused.body.changes[0]).toMatchObject({ path: 'pauses.0' });
    expect((await call('GET', '/v1/campaigns/pop-up')).body).toMatchObject({ pausedSince: expect.any(String), revisionNumber: paused.body.n, archived: false });
    const decision = await decided('605', 'pu-5');
    expect(decision.entrySeqs).toEqual([]);
    expect(decision.nonAwards[0]?.reason.code).toBe('CAMPAIGN_PAUSED');
    expect((await call('POST', '/v1/campaigns/pop-up/pause')).body.error.code).toBe('NUQTA_CONFLICT');
    expect((await call('POST', '/v1/campaigns/pop-up/resume')).status).toBe(200);
    expect(await commentEarns('606', 'pu-6')).toBe(25);
  });

  it('keeps every revision with its YAML, author and changes', async () => {
    const { body } = await call('GET', '/v1/campaigns/pop-up/revisions');
    expect(body.revisions.map((revision: { n: number; origin: string }) => [revision.n, revision.origin])).toEqual([[1, 'api'], [2, 'api'], [3, 'api'], [4, 'api']]);
    expect(body.revisions[0].author).toMatch(/^admin:[0-9a-f]{16}$/);
    const second = await call('GET', '/v1/campaigns/pop-up/revisions/2');
    expect(parse(second.body.source).rules[0].points).toBe(25);
    expect((await call('GET', '/v1/campaigns/pop-up/revisions/99')).status).toBe(404);
  });

  it('ends early, then archives: no longer listed, takes no events, still readable by id', async () => {
    expect((await call('POST', '/v1/campaigns/pop-up/archive')).body.error.code).toBe('NUQTA_CONFLICT');
    const ended = await call('POST', '/v1/campaigns/pop-up/end');
    expect(ended.body.changes).toEqual([expect.objectContaining({ path: 'ends_at' })]);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect((await call('POST', '/v1/campaigns/pop-up/archive')).status).toBe(200);
    const listed = await call('GET', '/v1/campaigns');
    expect(listed.body.campaigns.map((campaign: { id: string }) => campaign.id)).not.toContain('pop-up');
    expect((await call('GET', '/v1/campaigns/pop-up')).body).toMatchObject({ archived: true, pausedSince: null });
    await eventually(async () => (worker.nuqta.campaigns.isArchived('pop-up') ? true : undefined), 5_000, 'the worker to see the archive');
    expect(worker.nuqta.campaigns.matching({ platform: 'instagram', kind: 'comment', target: { accountId: POPUP_ACCOUNT }, hashtags: [] } as never)).toEqual([]);
  });

  it('needs an admin key for the campaign', async () => {
    const reader = { authorization: `Bearer ${TEST_SECRETS.readerKey}` };
    expect((await call('PUT', '/v1/campaigns/pop-up', popUp(1), reader)).status).toBe(403);
    expect((await call('GET', '/v1/campaigns/pop-up/revisions', undefined, { authorization: '' })).status).toBe(401);
  });
});

describe('campaign files seed the store', () => {
  it('stored each file as revision 1 from its path', async () => {
    const revisions = await api.nuqta.catalog.history('corner-bakery');
    expect(revisions).toHaveLength(1);
    expect(revisions[0]).toMatchObject({ n: 1, origin: 'file', author: `${LEDGER_CAMPAIGNS}/bakery.yaml` });
    expect(revisions[0]?.source).toBe(await readFile(`${LEDGER_CAMPAIGNS}/bakery.yaml`, 'utf8'));
  });
});
