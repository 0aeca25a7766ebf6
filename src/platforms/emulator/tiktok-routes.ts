/**
 * The TikTok API for Business endpoints nuqta's TikTok poller uses, under
 * `/open_api/v1.N/business/…`. Like the real API, failures answer HTTP 200
 * with `code != 0` (40100 when rate limited), except a plain HTTP 429 when
 * the emulator is told to throttle that way.
 */
import { randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { EmulatedComment, EmulatedMedia, EmulatedWorld } from './emulated-world.js';
import type { EmulatedEndpoint, RequestCounter } from './request-counter.js';
import type { TokenRegistry } from './tokens.js';
import type { UsageMeter } from './usage-meter.js';

export interface TikTokDependencies {
  world: EmulatedWorld;
  tokens: TokenRegistry;
  meter: UsageMeter;
  counter: RequestCounter;
  clock: () => Date;
}

type Query = Record<string, string | undefined>;
type Answer = { ok: true; data: Record<string, unknown> } | { ok: false; code: number; message: string };

const ok = (data: Record<string, unknown>): Answer => ({ ok: true, data });
const fail = (code: number, message: string): Answer => ({ ok: false, code, message });
const invalid = (message: string): Answer => fail(40002, message);

interface Call {
  query: Query;
  businessId: string;
  now: Date;
}

export function registerTikTokRoutes(app: FastifyInstance, deps: TikTokDependencies): void {
  const route = (path: string, endpoint: EmulatedEndpoint, answer: (call: Call) => Answer): void => {
    app.get(`/open_api/:version/business/${path}`, (request, reply) => handle(request, reply, endpoint, answer, deps));
  };
  route('get/', 'tiktok.business', (call) => businessProfile(call, deps));
  route('video/list/', 'tiktok.video_list', (call) => videoList(call, deps));
  route('comment/list/', 'tiktok.comment_list', (call) => commentList(call, deps));
  route('comment/reply/list/', 'tiktok.reply_list', (call) => replyList(call, deps));
}

function handle(
  request: FastifyRequest,
  reply: FastifyReply,
  endpoint: EmulatedEndpoint,
  answer: (call: Call) => Answer,
  deps: TikTokDependencies,
): FastifyReply {
  const query = stringsOf(request.query);
  const businessId = query.business_id;
  deps.counter.add(endpoint, businessId ?? '');
  const header = request.headers['access-token'];
  const token = deps.tokens.check(typeof header === 'string' ? header : undefined);
  const send = (result: Answer): FastifyReply => reply.send(envelope(result, deps.clock()));

  if (token.status === 'missing') return send(fail(40104, 'Access token is null. Pass it in the Access-Token header.'));
  if (token.status === 'unknown') return send(fail(40105, 'Access token is incorrect or has been revoked.'));
  if (token.status === 'expired') return send(fail(40102, 'Access token has expired.'));
  if (businessId === undefined || businessId === '') return send(invalid('business_id: Missing data for required field.'));
  if (!token.accountIds.has(businessId) || deps.world.account(businessId)?.platform !== 'tiktok') {
    return send(fail(40001, 'No permission to operate this TikTok account. Re-authorize it.'));
  }
  const verdict = deps.meter.charge('tiktok', businessId);
  if (!verdict.allowed) {
    const retryAfter = String(Math.max(1, Math.ceil(verdict.regainMs / 1000)));
    if (verdict.tiktokStyle === 'http429') {
      return reply.code(429).header('retry-after', retryAfter).type('text/plain').send('Too Many Requests');
    }
    return send(fail(40100, 'Too many requests. Please retry in some time.'));
  }
  return send(answer({ query, businessId, now: deps.clock() }));
}

function envelope(result: Answer, now: Date): Record<string, unknown> {
  // Request ids look like `20270305182210` + 18 hex digits.
  const request_id = `${now.toISOString().replace(/\D/g, '').slice(0, 14)}${randomBytes(9).toString('hex').toUpperCase()}`;
  if (result.ok) return { code: 0, message: 'OK', request_id, data: result.data };
  return { code: result.code, message: result.message, request_id, data: {} };
}

function businessProfile(call: Call, deps: TikTokDependencies): Answer {
  const account = deps.world.account(call.businessId);
  const videos = deps.world.mediaOf(call.businessId, call.now);
  return ok({ username: account?.username, display_name: account?.username, videos_count: videos.length });
}

/** `cursor` is a time in ms: videos published before it, newest first (max_count ≤ 20). */
function videoList(call: Call, deps: TikTokDependencies): Answer {
  const maxCount = countOf(call.query.max_count, 10, 20);
  if (maxCount === undefined) return invalid('max_count must be between 1 and 20.');
  const fields = fieldListOf(call.query.fields);
  if (fields === undefined) return invalid('fields must be a JSON array of strings.');
  const cursor = call.query.cursor === undefined ? call.now.getTime() : Number(call.query.cursor);
  if (!Number.isInteger(cursor) || cursor < 0) return invalid('cursor must be a timestamp in milliseconds.');
  const older = deps.world.mediaOf(call.businessId, call.now).filter((v) => v.at.getTime() < cursor);
  const page = older.slice(0, maxCount);
  const last = page[page.length - 1];
  return ok({
    videos: page.map((video) => selected(videoObject(video, deps), fields)),
    cursor: last === undefined ? cursor : last.at.getTime(),
    has_more: older.length > page.length,
  });
}

function videoObject(video: EmulatedMedia, deps: TikTokDependencies): Record<string, unknown> {
  const username = deps.world.account(video.accountId)?.username ?? '';
  const comments = deps.world.commentsOn(video.id, deps.clock());
  return {
    item_id: video.id,
    create_time: Math.floor(video.at.getTime() / 1000),
    caption: video.caption,
    share_url: `https://www.tiktok.com/@${username}/video/${video.id}`,
    embed_url: `https://www.tiktok.com/embed/v2/${video.id}`,
    likes: video.likeCount,
    comments: comments.length,
    shares: Math.floor(video.likeCount / 9),
    favorites: Math.floor(video.likeCount / 5),
  };
}

/** Top-level comments, newest first unless sorted otherwise; `cursor` is an offset (max_count ≤ 30). */
function commentList(call: Call, deps: TikTokDependencies): Answer {
  const video = ownVideo(call, deps);
  if (video === undefined) return invalid('video_id is invalid or does not belong to this account.');
  const comments = sortedAs(deps.world.commentsOn(video.id, call.now), call.query, 'desc');
  return offsetPage(call, comments, (comment) => {
    const replies = deps.world.repliesTo(comment.id, call.now);
    return {
      ...commentObject(comment, replies.length),
      ...(call.query.include_replies === 'true' ? { reply_list: replies.slice(0, 3).map((r) => commentObject(r, 0)) } : {}),
    };
  });
}

function replyList(call: Call, deps: TikTokDependencies): Answer {
  const video = ownVideo(call, deps);
  const commentId = call.query.comment_id;
  const parent = commentId === undefined ? undefined : deps.world.comment(commentId, call.now);
  if (video === undefined || parent === undefined || parent.mediaId !== video.id) return invalid('comment_id is invalid or was deleted.');
  const replies = sortedAs(deps.world.repliesTo(parent.id, call.now).reverse(), call.query, 'asc');
  return offsetPage(call, replies, (reply) => commentObject(reply, 0));
}

function ownVideo(call: Call, deps: TikTokDependencies): EmulatedMedia | undefined {
  const video = call.query.video_id === undefined ? undefined : deps.world.mediaById(call.query.video_id);
  return video !== undefined && video.platform === 'tiktok' && video.accountId === call.businessId ? video : undefined;
}

function commentObject(comment: EmulatedComment, replies: number): Record<string, unknown> {
  return {
    comment_id: comment.id,
    video_id: comment.mediaId,
    user_id: comment.author.id,
    unique_identifier: comment.author.uniqueIdentifier,
    create_time: Math.floor(comment.at.getTime() / 1000),
    text: comment.text,
    likes: comment.likeCount,
    replies,
    owner: false,
    liked: false,
    pinned: false,
    status: 'PUBLIC',
    username: comment.author.username,
    display_name: comment.author.displayName,
    ...(comment.parentId === undefined ? {} : { parent_comment_id: comment.parentId }),
  };
}

/** `items` comes newest first; `sort_field=create_time` with `sort_type` asc/desc reorders, anything else keeps `fallback`. */
function sortedAs(newestFirst: EmulatedComment[], query: Query, fallback: 'asc' | 'desc'): EmulatedComment[] {
  const byTime = query.sort_field === 'create_time' && (query.sort_type === 'asc' || query.sort_type === 'desc');
  const direction = byTime ? query.sort_type : fallback;
  return direction === 'desc' ? newestFirst : [...newestFirst].reverse();
}

function offsetPage(call: Call, items: readonly EmulatedComment[], render: (item: EmulatedComment) => Record<string, unknown>): Answer {
  const maxCount = countOf(call.query.max_count, 20, 30);
  if (maxCount === undefined) return invalid('max_count must be between 1 and 30.');
  const cursor = call.query.cursor === undefined ? 0 : Number(call.query.cursor);
  if (!Number.isInteger(cursor) || cursor < 0) return invalid('cursor must be a non-negative integer.');
  const page = items.slice(cursor, cursor + maxCount);
  return ok({ comments: page.map(render), cursor: cursor + page.length, has_more: cursor + page.length < items.length });
}

function countOf(text: string | undefined, fallback: number, max: number): number | undefined {
  if (text === undefined) return fallback;
  const count = Number(text);
  return Number.isInteger(count) && count >= 1 && count <= max ? count : undefined;
}

/** `fields=["item_id","caption"]`; `item_id` always comes back. */
function fieldListOf(text: string | undefined): Set<string> | undefined {
  if (text === undefined) return new Set(['item_id']);
  try {
    const parsed: unknown = JSON.parse(text);
    if (!Array.isArray(parsed) || !parsed.every((f): f is string => typeof f === 'string')) return undefined;
    return new Set(['item_id', ...parsed]);
  } catch {
    return undefined;
  }
}

function selected(object: Record<string, unknown>, fields: ReadonlySet<string>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(object).filter(([key]) => fields.has(key)));
}

function stringsOf(query: unknown): Query {
  const out: Query = {};
  if (query === null || typeof query !== 'object') return out;
  for (const [key, value] of Object.entries(query)) if (typeof value === 'string') out[key] = value;
  return out;
}
