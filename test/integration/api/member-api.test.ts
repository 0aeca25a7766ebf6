import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestNuqta, TEST_SECRETS, type TestNuqta } from '../../helpers/test-nuqta.js';
import { BAKERY, CLUB_ACCOUNT, getJson, LEDGER_CAMPAIGNS, scored } from '../ledger/ledger-helpers.js';

let app: TestNuqta;
const READER = { authorization: `Bearer ${TEST_SECRETS.readerKey}` };
const member = (id: string, path = ''): string => `${app.url}/v1/campaigns/${BAKERY}/members/${encodeURIComponent(id)}${path}`;

interface MemberView {
  displayName: { en: string; pseudonym: boolean };
  balance: number;
  earned: number;
  tier: { id: string };
  nextTier: { id: string; missing: number; progress: number; message: { en: string; ar: string } } | null;
  nextReward: { rewardId: string; missing: number; message: { en: string; ar: string } } | null;
  expiring: { withinDays: number; points: number; lots: { points: number; expiresAt: string }[] };
  rank: number | null;
}

interface HistoryPage {
  entries: { seq: number; kind: string; ruleId: string; points: number; status: string; reason: { code: string; text: { en: string; ar: string } }; occurredAt: string; createdAt: string }[];
  nextCursor: string | null;
}

beforeAll(async () => {
  app = await startTestNuqta('member_api', { env: { NUQTA_CAMPAIGNS: LEDGER_CAMPAIGNS } });
  // Three members: 35, 25 and 15 points (10 a comment, 5 for the first one).
  await scored(app, [
    { user: '501', username: 'huda', id: 'm-501-1' },
    { user: '501', username: 'huda', id: 'm-501-2' },
    { user: '501', username: 'huda', id: 'm-501-3' },
    { user: '502', username: 'omar', id: 'm-502-1' },
    { user: '502', username: 'omar', id: 'm-502-2' },
    { user: '503', username: 'lama', id: 'm-503-1' },
  ]);
});
afterAll(async () => {
  await app?.cleanup();
});

describe('member view', () => {
  it('shows balance, tier progress, the next reward in both languages, points expiring soon and rank', async () => {
    const { status, body } = await getJson<MemberView>(member('instagram:501'), READER);
    expect(status).toBe(200);
    expect(body).toMatchObject({
      displayName: { en: '@huda', pseudonym: false },
      balance: 35,
      earned: 35,
      tier: { id: 'member' },
      nextTier: { id: 'gold', missing: 65, progress: 0.35, message: { en: '65 points to gold', ar: 'باقي 65 نقطة على مستوى gold' } },
      // The croissant (20) is already affordable: the next goal is the cake (60).
      nextReward: { rewardId: 'cake', missing: 25, message: { en: '25 points to your whole cake', ar: 'باقي 25 نقطة على كعكة كاملة' } },
      rank: 1,
    });
    // Points last 30 days, so everything earned today expires within the next 30.
    expect(body.expiring.withinDays).toBe(30);
    expect(body.expiring.points).toBe(35);
    expect(body.expiring.lots.map((lot) => lot.points).sort((a, b) => a - b)).toEqual([5, 10, 10, 10]);
    const days = (Date.parse(body.expiring.lots[0]?.expiresAt ?? '') - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(29);
    expect(days).toBeLessThanOrEqual(30.05);
  });

  it('answers 404 for an unknown member or campaign', async () => {
    expect((await getJson(member('instagram:404'), READER)).body).toMatchObject({ error: { code: 'NUQTA_MEMBER_NOT_FOUND' } });
    expect((await getJson(`${app.url}/v1/campaigns/nope/members/instagram:501`, READER)).status).toBe(404);
    expect((await getJson(member('instagram:404', '/history'), READER)).status).toBe(404);
  });

  it('needs a reader key when the campaign is not public', async () => {
    await scored(app, [{ user: '601', id: 'club-1', account: CLUB_ACCOUNT }], 'members-club');
    const url = `${app.url}/v1/campaigns/members-club/members/instagram:601`;
    expect((await getJson(url)).status).toBe(401);
    expect((await getJson(url, { authorization: `Bearer ${TEST_SECRETS.ingestKey}` })).status).toBe(403);
    const read = await getJson<MemberView>(url, { authorization: `Bearer ${TEST_SECRETS.readerKey}` });
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({ balance: 7, nextReward: null, nextTier: null, expiring: { points: 0, lots: [] } });
    expect((await getJson(`${url}/history`)).status).toBe(401);
    expect((await getJson(`${url}/rank`, { authorization: `Bearer ${TEST_SECRETS.adminKey}` })).status).toBe(200);
  });
});

describe('member history', () => {
  it('lists ledger entries newest first with their reasons, paged by cursor', async () => {
    const first = await getJson<HistoryPage>(member('instagram:501', '/history?limit=3'), READER);
    expect(first.status).toBe(200);
    expect(first.body.entries.map((entry) => entry.seq)).toEqual([4, 3, 2]);
    expect(first.body.nextCursor).toBe('2');
    const second = await getJson<HistoryPage>(member('instagram:501', `/history?limit=3&cursor=${first.body.nextCursor}`), READER);
    expect(second.body.entries.map((entry) => [entry.seq, entry.ruleId, entry.points])).toEqual([[1, 'comment', 10]]);
    expect(second.body.nextCursor).toBeNull();
    const bonus = [...first.body.entries, ...second.body.entries].find((entry) => entry.ruleId === 'first_comment');
    expect(bonus).toMatchObject({ kind: 'bonus', points: 5, status: 'posted', reason: { code: 'FIRST_TIME_BONUS', text: { en: 'First-time bonus: 5 points (rule first_comment)' } } });
    expect(bonus?.reason.text.ar).toContain('مكافأة المرة الأولى');
    expect(Date.parse(bonus?.occurredAt ?? '')).not.toBeNaN();
  });

  it('refuses a bad cursor or limit', async () => {
    expect((await getJson(member('instagram:501', '/history?limit=0'), READER)).status).toBe(400);
    expect((await getJson(member('instagram:501', '/history?cursor=abc'), READER)).status).toBe(400);
  });
});

describe('member rank', () => {
  it('gives the rank and the members just above and below', async () => {
    const { status, body } = await getJson<{ rank: number; points: number; board: string; around: { memberId: string; rank: number; points: number; displayName: { en: string } }[] }>(
      member('instagram:502', '/rank?window=all&around=1'), READER,
    );
    expect(status).toBe(200);
    expect(body).toMatchObject({ rank: 2, points: 25, board: 'all' });
    expect(body.around.map((row) => [row.memberId, row.rank, row.points, row.displayName.en])).toEqual([
      ['instagram:501', 1, 35, '@huda'],
      ['instagram:502', 2, 25, '@omar'],
      ['instagram:503', 3, 15, '@lama'],
    ]);
  });

  it('answers a follower by the public id a board row shows, with no key, and nothing of members beyond the board', async () => {
    const board = await getJson<{ entries: { publicId: string; memberId?: string; rank: number }[] }>(`${app.url}/v1/campaigns/${BAKERY}/leaderboard`);
    expect(board.status).toBe(200);
    expect(board.body.entries.every((row) => row.memberId === undefined && row.publicId.startsWith('p_'))).toBe(true);
    const second = board.body.entries[1];
    if (!second) throw new Error('the board has fewer than two rows');
    const rank = await getJson<{ rank: number; memberId?: string; publicId: string; around: { memberId?: string }[] }>(member(second.publicId, '/rank?around=1'));
    expect(rank.status).toBe(200);
    expect(rank.body).toMatchObject({ rank: second.rank, publicId: second.publicId });
    expect([rank.body.memberId, ...rank.body.around.map((row) => row.memberId)]).toEqual([undefined, undefined, undefined, undefined]);
    // A platform account's id, the member's details and history, or a public id that was tampered with: no.
    expect((await getJson(member('instagram:502', '/rank'))).status).toBe(401);
    expect((await getJson(member(second.publicId))).status).toBe(401);
    expect((await getJson(member(second.publicId, '/history'))).status).toBe(401);
    const tampered = `${second.publicId.slice(0, -2)}${second.publicId.endsWith('AA') ? 'BB' : 'AA'}`;
    expect((await getJson(member(tampered, '/rank'))).status).toBe(404);
    // The same public id works with a key, and the key also sees member ids.
    const keyed = await getJson<{ memberId: string }>(member(second.publicId, '/rank'), READER);
    expect(keyed.body.memberId).toBe('instagram:502');
  });

  it('ranks on this week\'s board and refuses a window the campaign lacks', async () => {
    const week = await getJson<{ board: string; rank: number }>(member('instagram:503', '/rank?window=week&around=0'), READER);
    expect(week.body.board).toMatch(/^week:\d{4}-W\d{2}$/);
    expect(week.body.rank).toBe(3);
    expect((await getJson(member('instagram:503', '/rank?window=challenge:none'), READER)).status).toBe(404);
  });
});
