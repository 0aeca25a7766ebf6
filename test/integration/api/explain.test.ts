import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestNuqta, TEST_SECRETS, type TestNuqta } from '../../helpers/test-nuqta.js';
import { BAKERY, expirySweep, getJson, LEDGER_CAMPAIGNS, scored } from '../ledger/ledger-helpers.js';

let app: TestNuqta;
const READER = { authorization: `Bearer ${TEST_SECRETS.readerKey}` };
const explain = (eventKey: string, campaignId = BAKERY): string => `${app.url}/v1/campaigns/${campaignId}/events/${encodeURIComponent(eventKey)}/explain`;

interface Explanation {
  memberId: string;
  pending: boolean;
  points: number;
  event: { kind: string; text: string; actor: { platformUserId: string; username?: string } } | null;
  entries: { seq: number; ruleId: string; kind: string; points: number; reason: { code: string }; explain: { conditions?: { condition: string; passed: boolean }[]; limits?: unknown[] }; by: string; refersTo?: { eventKey: string } }[];
  nonAwards: { ruleId?: string; reason: { code: string; text: { en: string; ar: string } }; explain: { conditions?: { condition: string; passed: boolean; expected: unknown; actual: unknown }[] } }[];
}

beforeAll(async () => {
  app = await startTestNuqta('explain', { env: { NUQTA_CAMPAIGNS: LEDGER_CAMPAIGNS } });
  await scored(app, [
    { user: '701', username: 'reem', id: 'x-701-1', text: 'أحلى خبز' },
    { user: '701', username: 'reem', id: 'x-701-2', text: 'ك' },
  ]);
});
afterAll(async () => {
  await app?.cleanup();
});

describe('GET /v1/campaigns/:id/events/:eventKey/explain', () => {
  it('explains what an event earned: its entries with the conditions and limits behind them', async () => {
    const { status, body } = await getJson<Explanation>(explain('instagram:comment:x-701-1'), READER);
    expect(status).toBe(200);
    expect(body).toMatchObject({ memberId: 'instagram:701', pending: false, points: 15, event: { kind: 'comment', text: 'أحلى خبز', actor: { platformUserId: '701', username: 'reem' } } });
    expect(body.entries.map((entry) => [entry.ruleId, entry.kind, entry.points, entry.reason.code, entry.by])).toEqual([
      ['comment', 'earn', 10, 'EARNED', 'system'],
      ['first_comment', 'bonus', 5, 'FIRST_TIME_BONUS', 'system'],
    ]);
    expect(body.entries[0]?.explain.conditions).toContainEqual(expect.objectContaining({ condition: 'min_text_length', passed: true }));
    expect(body.nonAwards).toEqual([]);
  });

  it('explains why an event earned nothing, rule by rule', async () => {
    const { body } = await getJson<Explanation>(explain('instagram:comment:x-701-2'), READER);
    expect(body.points).toBe(0);
    expect(body.entries).toEqual([]);
    expect(body.nonAwards.map((nonAward) => [nonAward.ruleId, nonAward.reason.code])).toEqual([
      ['comment', 'CONDITION_FAILED'],
      ['first_comment', 'FIRST_TIME_ALREADY_AWARDED'],
    ]);
    const tooShort = body.nonAwards[0];
    expect(tooShort?.reason.text.en).toBe('Text shorter than 2 characters (rule comment)');
    expect(tooShort?.explain.conditions).toContainEqual({ condition: 'min_text_length', passed: false, expected: 2, actual: 1 });
  });

  it('shows later entries about the event, such as its expiry', async () => {
    // The bakery's points last 30 days: a sweep 31 days on expires both of the comment's lots.
    expect(await expirySweep(app, new Date(Date.now() + 31 * 86_400_000))).toMatchObject({ entries: 2, points: 15 });
    const { body } = await getJson<Explanation>(explain('instagram:comment:x-701-1'), READER);
    expect(body.entries.map((entry) => [entry.ruleId, entry.kind, entry.points, entry.by, entry.refersTo?.eventKey])).toEqual([
      ['comment', 'earn', 10, 'system', undefined],
      ['first_comment', 'bonus', 5, 'system', undefined],
      ['expire:comment', 'expire', -10, 'expiry', 'instagram:comment:x-701-1'],
      ['expire:first_comment', 'expire', -5, 'expiry', 'instagram:comment:x-701-1'],
    ]);
    expect(body.entries[2]?.reason.code).toBe('EXPIRED');
    expect(body.points).toBe(0);
    // The comment that earned nothing has nothing to expire.
    expect((await getJson<Explanation>(explain('instagram:comment:x-701-2'), READER)).body.entries).toEqual([]);
  });

  it('answers 404 for an event never received, or one of another campaign', async () => {
    const unknown = await getJson<{ error: { code: string; message: string } }>(explain('instagram:comment:never'), READER);
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.message).toContain('no event "instagram:comment:never"');
    const other = await getJson<{ error: { message: string } }>(explain('instagram:comment:x-701-1', 'members-club'), { authorization: `Bearer ${TEST_SECRETS.readerKey}` });
    expect(other.status).toBe(404);
    expect(other.body.error.message).toContain('does not concern campaign "members-club"');
  });
});
