import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { PlannedComment, PlannedReply } from '../../../src/platforms/emulator/planned-engagement.js';
import { CAMPAIGN_END, IG_ACCOUNT, OTHER_IG_ACCOUNT, startEmulatedCampaign, TOKEN, type EmulatedCampaign } from './emulated-campaign.js';

interface GraphComment {
  id: string;
  text?: string;
  timestamp?: string;
  from?: { id: string; username: string };
  like_count?: number;
  parent_id?: string;
}
interface GraphPage<T> {
  data: T[];
  paging?: { cursors: { before: string; after: string }; next?: string; previous?: string };
}
interface GraphErrorBody {
  error: { message: string; type: string; code: number; error_subcode?: number; fbtrace_id: string };
}

const MEDIA = '17900000000000001';
let campaign: EmulatedCampaign;

beforeEach(async () => {
  campaign = await startEmulatedCampaign();
});
afterEach(async () => {
  await campaign.emulator.close();
});

function standing(kind: 'comment' | 'reply', predicate: (e: PlannedComment | PlannedReply) => boolean): (PlannedComment | PlannedReply)[] {
  const deleted = new Set(campaign.plan.engagements.flatMap((e) => (e.kind === 'comment_deleted' ? [e.commentId] : [])));
  return campaign.plan.engagements.filter(
    (e): e is PlannedComment | PlannedReply => e.kind === kind && e.platform === 'instagram' && !deleted.has(e.commentId) && predicate(e),
  );
}

async function allComments(mediaId: string, fields = 'id,text,timestamp,from,like_count'): Promise<{ pages: GraphPage<GraphComment>[]; ids: string[] }> {
  const pages: GraphPage<GraphComment>[] = [];
  let url: string | undefined = `/v21.0/${mediaId}/comments?fields=${fields}&access_token=${TOKEN}`;
  while (url !== undefined) {
    const response: { status: number; data: GraphPage<GraphComment> } = await campaign.http.get<GraphPage<GraphComment>>(url);
    expect(response.status).toBe(200);
    pages.push(response.data);
    url = response.data.paging?.next;
  }
  return { pages, ids: pages.flatMap((p) => p.data.map((c) => c.id)) };
}

describe('Instagram Graph emulator: reading comments', () => {
  it('pages through every standing top-level comment, about 50 a page, each once', async () => {
    const expected = standing('comment', (c) => c.mediaId === MEDIA);
    expect(expected.length).toBeGreaterThan(100);
    const { pages, ids } = await allComments(MEDIA);
    expect(pages[0]?.data).toHaveLength(50);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(expected.map((c) => c.commentId).sort());
    const first = pages[0]?.data[0];
    const planned = expected.find((c) => c.commentId === first?.id);
    expect(first).toEqual({
      id: planned?.commentId,
      text: planned?.text,
      timestamp: planned?.at.toISOString().replace(/\.\d{3}Z$/, '+0000'),
      from: { id: planned?.author.id, username: planned?.author.username },
      like_count: expect.any(Number),
    });
  });

  it('returns the default fields only when none are asked for, and takes any API version or none', async () => {
    for (const prefix of ['/v21.0', '/v19.0', '']) {
      const response = await campaign.http.get<GraphPage<GraphComment>>(`${prefix}/${MEDIA}/comments?limit=2&access_token=${TOKEN}`);
      expect(response.status).toBe(200);
      expect(Object.keys(response.data.data[0] ?? {}).sort()).toEqual(['id', 'text', 'timestamp']);
    }
  });

  it('pages backwards with paging.previous', async () => {
    const first = await campaign.http.get<GraphPage<GraphComment>>(`/v21.0/${MEDIA}/comments?limit=5&access_token=${TOKEN}`);
    const second = await campaign.http.get<GraphPage<GraphComment>>(first.data.paging?.next ?? '');
    expect(second.data.paging?.previous).toBeDefined();
    const back = await campaign.http.get<GraphPage<GraphComment>>(second.data.paging?.previous ?? '');
    expect(back.data.data.map((c) => c.id)).toEqual(first.data.data.map((c) => c.id));
  });

  it('lists replies of a comment, oldest first, with their parent', async () => {
    const reply = standing('reply', (r) => r.mediaId === MEDIA)[0];
    if (reply === undefined || reply.kind !== 'reply') throw new Error('the plan has no reply on this media');
    const expected = standing('reply', (r) => r.kind === 'reply' && r.parentCommentId === reply.parentCommentId);
    const response = await campaign.http.get<GraphPage<GraphComment>>(`/v21.0/${reply.parentCommentId}/replies?fields=id,text,parent_id&access_token=${TOKEN}`);
    expect(response.data.data.map((r) => r.id)).toEqual(expected.map((r) => r.commentId));
    expect(response.data.data.every((r) => r.parent_id === reply.parentCommentId)).toBe(true);
  });

  it('shows only what has happened by the platform clock', async () => {
    const middle = new Date('2027-03-04T12:00:00+03:00');
    campaign.setNow(middle);
    const { ids } = await allComments(MEDIA, 'id');
    expect([...ids].sort()).toEqual(standing('comment', (c) => c.mediaId === MEDIA && c.at <= middle).map((c) => c.commentId).sort());
  });

  it('forgets a deleted comment on the next poll, replies included', async () => {
    const [victim] = standing('comment', (c) => c.mediaId === MEDIA);
    if (victim === undefined) throw new Error('no comment to delete');
    expect(campaign.emulator.deleteComment(victim.commentId)).toBe(true);
    expect(campaign.emulator.deleteComment(victim.commentId)).toBe(false);
    const { ids } = await allComments(MEDIA, 'id');
    expect(ids).not.toContain(victim.commentId);
    const replies = await campaign.http.get<GraphErrorBody>(`/v21.0/${victim.commentId}/replies?access_token=${TOKEN}`);
    expect(replies.status).toBe(400);
    expect(replies.data.error).toMatchObject({ code: 100, error_subcode: 33, type: 'OAuthException' });
  });

  it('lists the account media and answers /me for the token, with a Bearer header too', async () => {
    const media = await campaign.http.get<GraphPage<{ id: string; comments_count: number; caption: string }>>(
      `/v21.0/${IG_ACCOUNT}/media?fields=id,caption,comments_count&access_token=${TOKEN}`,
    );
    expect(media.data.data.map((m) => m.id)).toEqual(['17900000000000002', '17900000000000001']);
    expect(media.data.data[1]?.comments_count).toBe(standing('comment', (c) => c.mediaId === MEDIA).length + standing('reply', (r) => r.mediaId === MEDIA).length);
    const me = await campaign.http.get('/v21.0/me?fields=id,username', { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(me.data).toEqual({ id: IG_ACCOUNT, username: 'qahwa.corner' });
  });
});

describe('Instagram Graph emulator: usage, throttling and tokens', () => {
  const usageOf = (header: unknown): Record<string, unknown> => {
    const parsed = JSON.parse(String(header)) as Record<string, Record<string, unknown>[]>;
    return parsed[IG_ACCOUNT]?.[0] ?? {};
  };

  it('reports Business Use Case usage on every answer', async () => {
    campaign.emulator.setBudget(IG_ACCOUNT, 20);
    await campaign.http.get(`/v21.0/${IG_ACCOUNT}/media?access_token=${TOKEN}`);
    const response = await campaign.http.get(`/v21.0/${MEDIA}/comments?access_token=${TOKEN}`);
    expect(usageOf(response.headers['x-business-use-case-usage'])).toEqual({
      type: 'instagram',
      call_count: 10,
      total_cputime: 4,
      total_time: 6,
      estimated_time_to_regain_access: 0,
    });
  });

  it('refuses calls past the budget with code 80002 and a regain time, then lets them through again', async () => {
    campaign.emulator.setBudget(IG_ACCOUNT, 3);
    for (let i = 0; i < 3; i += 1) expect((await campaign.http.get(`/v21.0/${MEDIA}/comments?access_token=${TOKEN}`)).status).toBe(200);
    const refused = await campaign.http.get<GraphErrorBody>(`/v21.0/${MEDIA}/comments?access_token=${TOKEN}`);
    expect(refused.status).toBe(400);
    expect(refused.data.error).toMatchObject({ code: 80002, type: 'OAuthException', is_transient: true, fbtrace_id: expect.any(String) });
    expect(usageOf(refused.headers['x-business-use-case-usage'])).toMatchObject({ call_count: 100, estimated_time_to_regain_access: 60 });
    campaign.setNow(new Date(CAMPAIGN_END.getTime() + 61 * 60_000));
    expect((await campaign.http.get(`/v21.0/${MEDIA}/comments?access_token=${TOKEN}`)).status).toBe(200);
  });

  it('holds a forced throttle for its duration with the chosen code', async () => {
    campaign.emulator.throttle(IG_ACCOUNT, 150, { code: 17 });
    const refused = await campaign.http.get<GraphErrorBody>(`/v21.0/${IG_ACCOUNT}/media?access_token=${TOKEN}`);
    expect(refused.status).toBe(403);
    expect(refused.data.error.code).toBe(17);
    expect(usageOf(refused.headers['x-business-use-case-usage'])).toMatchObject({ estimated_time_to_regain_access: 3 });
    campaign.setNow(new Date(CAMPAIGN_END.getTime() + 151_000));
    expect((await campaign.http.get(`/v21.0/${IG_ACCOUNT}/media?access_token=${TOKEN}`)).status).toBe(200);
  });

  it('answers 190 for an expired or unknown token, 104 without one, 100/33 for an account the token cannot read', async () => {
    const get = (query: string): Promise<{ status: number; data: GraphErrorBody }> => campaign.http.get<GraphErrorBody>(`/v21.0/${MEDIA}/comments${query}`);
    expect((await get('')).data.error.code).toBe(104);
    expect((await get('?access_token=nope')).data.error).toMatchObject({ code: 190 });
    campaign.emulator.expireToken(TOKEN);
    const expired = await get(`?access_token=${TOKEN}`);
    expect(expired.status).toBe(400);
    expect(expired.data.error).toMatchObject({ code: 190, error_subcode: 463, type: 'OAuthException' });
    expect(expired.data.error.message).toMatch(/Session has expired/);
    campaign.emulator.grantToken('other-token', [OTHER_IG_ACCOUNT]);
    expect((await get('?access_token=other-token')).data.error).toMatchObject({ code: 100, error_subcode: 33 });
  });

  it('counts requests per endpoint and account', async () => {
    await campaign.http.get(`/v21.0/${MEDIA}/comments?access_token=${TOKEN}`);
    await campaign.http.get(`/v21.0/${MEDIA}/comments?access_token=${TOKEN}&limit=3`);
    await campaign.http.get(`/v21.0/${IG_ACCOUNT}/media?access_token=${TOKEN}`);
    expect(campaign.emulator.requestCount({ endpoint: 'instagram.comments', accountId: IG_ACCOUNT })).toBe(2);
    expect(campaign.emulator.requestCount({ accountId: IG_ACCOUNT })).toBe(3);
    expect(campaign.emulator.requestCounts()).toContainEqual({ endpoint: 'instagram.media', accountId: IG_ACCOUNT, count: 1 });
  });
});

describe('Instagram Graph emulator: hashtags and webhook subscriptions', () => {
  it('finds followers\' hashtag posts of the last 24 hours, without their authors', async () => {
    const search = await campaign.http.get<{ data: { id: string }[] }>(`/v21.0/ig_hashtag_search?user_id=${IG_ACCOUNT}&q=${encodeURIComponent('قهوة_نقطة')}&access_token=${TOKEN}`);
    const hashtagId = search.data.data[0]?.id ?? '';
    expect(hashtagId).toMatch(/^17843\d{12}$/);
    const recent = await campaign.http.get<GraphPage<Record<string, unknown>>>(
      `/v21.0/${hashtagId}/recent_media?user_id=${IG_ACCOUNT}&fields=id,caption,timestamp,username,owner&limit=50&access_token=${TOKEN}`,
    );
    const dayBefore = new Date(CAMPAIGN_END.getTime() - 86_400_000);
    const expected = campaign.plan.engagements.filter((e) => e.kind === 'hashtag_post' && e.hashtag === 'قهوة_نقطة' && e.at >= dayBefore);
    expect(expected.length).toBeGreaterThan(0);
    expect(recent.data.data.map((m) => m.id).sort()).toEqual(expected.map((e) => e.mediaId).sort());
    expect(recent.data.data.every((m) => !('username' in m) && !('owner' in m) && String(m.caption).includes('#قهوة_نقطة'))).toBe(true);
  });

  it('allows 30 unique hashtags per account in 7 days; the 31st is refused, repeats are free', async () => {
    const search = (q: string): Promise<{ status: number; data: GraphErrorBody & { data?: unknown } }> =>
      campaign.http.get(`/v21.0/ig_hashtag_search?user_id=${IG_ACCOUNT}&q=${q}&access_token=${TOKEN}`);
    for (let i = 1; i <= 30; i += 1) expect((await search(`tag${i}`)).status).toBe(200);
    const refused = await search('tag31');
    expect(refused.status).toBe(400);
    expect(refused.data.error).toMatchObject({ code: 24, type: 'OAuthException' });
    expect((await search('tag7')).status).toBe(200);
    campaign.setNow(new Date(CAMPAIGN_END.getTime() + 7 * 86_400_000 + 1000));
    expect((await search('tag31')).status).toBe(200);
  });

  it('subscribes an account to webhook fields and shows the subscription', async () => {
    const read = async (): Promise<unknown> => (await campaign.http.get(`/v21.0/${IG_ACCOUNT}/subscribed_apps?access_token=${TOKEN}`)).data;
    expect(await read()).toEqual({ data: [] });
    const subscribe = await campaign.http.post(`/v21.0/${IG_ACCOUNT}/subscribed_apps?subscribed_fields=comments,mentions&access_token=${TOKEN}`);
    expect(subscribe.data).toEqual({ success: true });
    expect(await read()).toEqual({ data: [{ subscribed_fields: ['comments', 'mentions'] }] });
    expect(campaign.emulator.subscribedFields(IG_ACCOUNT)).toEqual(['comments', 'mentions']);
    const wrong = await campaign.http.post<GraphErrorBody>(`/v21.0/me/subscribed_apps?subscribed_fields=likes&access_token=${TOKEN}`);
    expect(wrong.data.error.code).toBe(100);
  });
});
