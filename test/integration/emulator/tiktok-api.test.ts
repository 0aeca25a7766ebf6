import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { PlannedComment, PlannedReply } from '../../../src/platforms/emulator/planned-engagement.js';
import { CAMPAIGN_END, startEmulatedCampaign, TOKEN, TT_BUSINESS, type EmulatedCampaign } from './emulated-campaign.js';

interface Envelope<T> {
  code: number;
  message: string;
  request_id: string;
  data: T;
}
interface TikTokComment {
  comment_id: string;
  video_id: string;
  user_id: string;
  unique_identifier: string;
  create_time: number;
  text: string;
  username: string;
  display_name: string;
  parent_comment_id?: string;
  reply_list?: TikTokComment[];
}
interface CommentPage {
  comments: TikTokComment[];
  cursor: number;
  has_more: boolean;
}

const VIDEO = '7300000000000000001';
let campaign: EmulatedCampaign;

beforeEach(async () => {
  campaign = await startEmulatedCampaign();
});
afterEach(async () => {
  await campaign.emulator.close();
});

/** `token: null` sends no Access-Token header. */
function get<T>(path: string, params: Record<string, string | number>, token: string | null = TOKEN): Promise<{ status: number; data: Envelope<T>; headers: Record<string, unknown> }> {
  return campaign.http.get<Envelope<T>>(`/open_api/v1.3/business/${path}`, {
    params: { business_id: TT_BUSINESS, ...params },
    headers: token === null ? {} : { 'Access-Token': token },
  });
}

function standing(kind: 'comment' | 'reply'): (PlannedComment | PlannedReply)[] {
  const deleted = new Set(campaign.plan.engagements.flatMap((e) => (e.kind === 'comment_deleted' ? [e.commentId] : [])));
  return campaign.plan.engagements.filter(
    (e): e is PlannedComment | PlannedReply => e.kind === kind && e.platform === 'tiktok' && e.mediaId === VIDEO && !deleted.has(e.commentId),
  );
}

async function allComments(): Promise<TikTokComment[]> {
  const comments: TikTokComment[] = [];
  let cursor = 0;
  for (;;) {
    const page = await get<CommentPage>('comment/list/', { video_id: VIDEO, cursor, max_count: 30 });
    expect(page.data.code).toBe(0);
    comments.push(...page.data.data.comments);
    if (!page.data.data.has_more) return comments;
    cursor = page.data.data.cursor;
  }
}

describe('TikTok Business emulator: videos and comments', () => {
  it('lists the account videos newest first, paged by a time cursor, with the fields asked for', async () => {
    const first = await get<{ videos: Record<string, unknown>[]; cursor: number; has_more: boolean }>('video/list/', {
      fields: JSON.stringify(['item_id', 'create_time', 'caption']),
      max_count: 1,
    });
    expect(first.data).toMatchObject({ code: 0, message: 'OK', data: { has_more: true } });
    expect(Object.keys(first.data.data.videos[0] ?? {}).sort()).toEqual(['caption', 'create_time', 'item_id']);
    expect(first.data.data.videos[0]?.item_id).toBe('7300000000000000002');
    const second = await get<{ videos: Record<string, unknown>[]; has_more: boolean }>('video/list/', { cursor: first.data.data.cursor, max_count: 1 });
    expect(second.data.data).toEqual({ videos: [{ item_id: VIDEO }], cursor: expect.any(Number), has_more: false });
  });

  it('pages through every standing top-level comment with cursor and has_more', async () => {
    const expected = standing('comment');
    expect(expected.length).toBeGreaterThan(30);
    const comments = await allComments();
    expect(comments.map((c) => c.comment_id).sort()).toEqual(expected.map((c) => c.commentId).sort());
    const sample = comments[0];
    const planned = expected.find((c) => c.commentId === sample?.comment_id);
    expect(sample).toMatchObject({
      video_id: VIDEO,
      user_id: planned?.author.id,
      unique_identifier: planned?.author.uniqueIdentifier,
      create_time: Math.floor((planned?.at.getTime() ?? 0) / 1000),
      text: planned?.text,
      username: planned?.author.username,
      display_name: planned?.author.displayName,
    });
    expect(sample?.parent_comment_id).toBeUndefined();
  });

  it('lists replies with their parent, alone or inside the comment list', async () => {
    const reply = standing('reply')[0];
    if (reply === undefined || reply.kind !== 'reply') throw new Error('the plan has no TikTok reply on this video');
    const replies = await get<CommentPage>('comment/reply/list/', { video_id: VIDEO, comment_id: reply.parentCommentId });
    expect(replies.data.data.comments.map((r) => r.comment_id)).toContain(reply.commentId);
    expect(replies.data.data.comments.every((r) => r.parent_comment_id === reply.parentCommentId)).toBe(true);
    const withReplies = await get<CommentPage>('comment/list/', { video_id: VIDEO, include_replies: 'true', max_count: 30 });
    expect(withReplies.data.data.comments.some((c) => (c.reply_list?.length ?? 0) > 0)).toBe(true);
  });

  it('no longer lists a deleted comment', async () => {
    const [victim] = standing('comment');
    if (victim === undefined) throw new Error('no comment to delete');
    campaign.emulator.deleteComment(victim.commentId);
    expect((await allComments()).map((c) => c.comment_id)).not.toContain(victim.commentId);
  });
});

describe('TikTok Business emulator: errors', () => {
  it('answers HTTP 200 with a non-zero code, a message and a request id', async () => {
    const missing = await get('comment/list/', { video_id: VIDEO }, null);
    expect(missing.status).toBe(200);
    expect(missing.data).toMatchObject({ code: 40104, data: {} });
    expect(missing.data.request_id).toMatch(/^\d{14}[0-9A-F]{18}$/);
    expect((await get('comment/list/', { video_id: VIDEO }, 'nope')).data.code).toBe(40105);
    expect((await get('comment/list/', { video_id: VIDEO, max_count: 31 })).data.code).toBe(40002);
    expect((await get('comment/list/', { video_id: '7399999999999999999' })).data.code).toBe(40002);
    expect((await get('comment/list/', { video_id: VIDEO, business_id: 'bc-someone-else' })).data.code).toBe(40001);
    campaign.emulator.expireToken(TOKEN);
    expect((await get('comment/list/', { video_id: VIDEO })).data.code).toBe(40102);
  });

  it('answers 40100 past the per-minute budget, and recovers a minute later', async () => {
    campaign.emulator.setBudget(TT_BUSINESS, 2);
    expect((await get('video/list/', {})).data.code).toBe(0);
    expect((await get('video/list/', {})).data.code).toBe(0);
    const limited = await get('video/list/', {});
    expect(limited.status).toBe(200);
    expect(limited.data.code).toBe(40100);
    campaign.setNow(new Date(CAMPAIGN_END.getTime() + 61_000));
    expect((await get('video/list/', {})).data.code).toBe(0);
  });

  it('can throttle as a plain HTTP 429 with Retry-After', async () => {
    campaign.emulator.throttle(TT_BUSINESS, 30, { tiktokStyle: 'http429' });
    const limited = await get('comment/list/', { video_id: VIDEO });
    expect(limited.status).toBe(429);
    expect(limited.headers['retry-after']).toBe('30');
    expect(campaign.emulator.requestCount({ endpoint: 'tiktok.comment_list', accountId: TT_BUSINESS })).toBe(1);
  });
});
