/**
 * The TikTok API for Business calls nuqta makes for one business account:
 * `/business/get/`, `/business/video/list/`, `/business/comment/list/` and
 * `/business/comment/reply/list/`, under `TIKTOK_BUSINESS_URL` (the real host
 * or the emulator). Failures mostly arrive with HTTP 200 as
 * `{ code, message, request_id, data }` with `code != 0`: 40100 is a rate
 * limit, like a plain HTTP 429; the 401xx token codes need a reconnect.
 */
import { z } from 'zod';
import type { CallBudget } from '../accounts/call-budget.js';
import { PlatformCallError, type CallFailure, type HttpAnswer, type PlatformHttp } from '../accounts/platform-call.js';
import { tiktokIdSchema, tiktokUserIdSchema } from './webhook-content.js';
import { platformEpochSchema } from '../epoch.js';

export const TIKTOK_RATE_LIMITED = 40100;
/** Token missing, expired, invalid or revoked, or the account no longer authorizes the app. */
const TOKEN_CODES: ReadonlySet<number> = new Set([40001, 40101, 40102, 40103, 40104, 40105]);
/** TikTok counts per minute; without a Retry-After, wait out one window. */
const DEFAULT_BACKOFF_MS = 60_000;

const envelopeSchema = z.object({ code: z.number().int(), message: z.string().default(''), data: z.unknown().optional() });

export const tiktokVideoSchema = z.object({
  item_id: tiktokIdSchema,
  create_time: platformEpochSchema,
  comments: z.number().int().nonnegative().optional(),
  caption: z.string().optional(),
});
export type TikTokVideo = z.infer<typeof tiktokVideoSchema>;

export const tiktokCommentSchema = z.object({
  comment_id: tiktokIdSchema,
  video_id: tiktokIdSchema,
  unique_identifier: tiktokUserIdSchema.optional(),
  username: z.string().optional(),
  create_time: platformEpochSchema,
  text: z.string().optional(),
  replies: z.number().int().nonnegative().optional(),
  owner: z.boolean().optional(),
});
export type TikTokComment = z.infer<typeof tiktokCommentSchema>;

const videoListSchema = z.object({ videos: z.array(tiktokVideoSchema).default([]), cursor: z.number().optional(), has_more: z.boolean().default(false) });
const commentListSchema = z.object({ comments: z.array(tiktokCommentSchema).default([]), cursor: z.number().optional(), has_more: z.boolean().default(false) });
const profileSchema = z.object({ username: z.string().optional(), display_name: z.string().optional() });

export interface TikTokPage<T> {
  items: T[];
  next: string | undefined;
}

export interface BusinessClientOptions {
  /** `TIKTOK_BUSINESS_URL/open_api/TIKTOK_BUSINESS_VERSION`. */
  baseUrl: string;
  businessId: string;
  token: string;
  http: PlatformHttp;
  budget: CallBudget;
  clock: () => Date;
}

export function businessBaseUrl(url: string, version: string): string {
  return `${url}/open_api/${version}`;
}

export class BusinessClient {
  constructor(private readonly options: BusinessClientOptions) {}

  get businessId(): string {
    return this.options.businessId;
  }

  async profile(): Promise<z.infer<typeof profileSchema>> {
    return this.read('business/get/', {}, profileSchema);
  }

  /** Newest first; the cursor is a time in milliseconds. */
  async videosPage(cursor: string | undefined): Promise<TikTokPage<TikTokVideo>> {
    const params = { fields: JSON.stringify(['item_id', 'create_time', 'comments', 'caption']), max_count: '20', ...(cursor === undefined ? {} : { cursor }) };
    const data = await this.read('business/video/list/', params, videoListSchema);
    return { items: data.videos, next: data.has_more && data.cursor !== undefined ? String(data.cursor) : undefined };
  }

  /** Top-level comments, newest first; the cursor is an offset. */
  async commentsPage(videoId: string, cursor: string | undefined): Promise<TikTokPage<TikTokComment>> {
    const params = { video_id: videoId, max_count: '30', ...(cursor === undefined ? {} : { cursor }) };
    return this.commentPage('business/comment/list/', params);
  }

  async repliesPage(videoId: string, commentId: string, cursor: string | undefined): Promise<TikTokPage<TikTokComment>> {
    const params = { video_id: videoId, comment_id: commentId, max_count: '30', ...(cursor === undefined ? {} : { cursor }) };
    return this.commentPage('business/comment/reply/list/', params);
  }

  private async commentPage(path: string, params: Record<string, string>): Promise<TikTokPage<TikTokComment>> {
    const data = await this.read(path, params, commentListSchema);
    return { items: data.comments, next: data.has_more && data.cursor !== undefined ? String(data.cursor) : undefined };
  }

  private async read<T extends z.ZodTypeAny>(path: string, params: Record<string, string>, schema: T): Promise<z.infer<T>> {
    const { http, budget, token, baseUrl, businessId, clock } = this.options;
    budget.assertRoom();
    const where = `GET /${path}`;
    const answer = await http.request('tiktok', { method: 'GET', url: `${baseUrl}/${path}`, params: { business_id: businessId, ...params }, headers: { 'access-token': token } });
    const error = callErrorOf(answer, where, clock());
    if (error !== undefined) {
      budget.halt(error);
      throw error;
    }
    const envelope = envelopeSchema.parse(answer.body);
    const parsed = schema.safeParse(envelope.data ?? {});
    if (parsed.success) return parsed.data;
    throw new PlatformCallError('tiktok', { kind: 'failed', code: 'unexpected_body' }, `${where}: unexpected answer (${parsed.error.issues[0]?.message ?? 'shape'})`);
  }
}

/** Undefined for a success (`code: 0`). */
function callErrorOf(answer: HttpAnswer, where: string, now: Date): PlatformCallError | undefined {
  const fail = (failure: CallFailure, message: string): PlatformCallError => new PlatformCallError('tiktok', failure, `${where}: ${message}`);
  if (answer.status === 429) {
    const seconds = Number(answer.headers['retry-after']);
    const waitMs = Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : DEFAULT_BACKOFF_MS;
    return fail({ kind: 'throttled', code: 'http_429', until: new Date(now.getTime() + waitMs) }, 'HTTP 429 Too Many Requests');
  }
  if (answer.status === 401) return fail({ kind: 'auth', code: 'http_401' }, 'HTTP 401');
  if (answer.status < 200 || answer.status >= 300) return fail({ kind: 'failed', code: `http_${answer.status}` }, `HTTP ${answer.status}`);
  const envelope = envelopeSchema.safeParse(answer.body);
  if (!envelope.success) return fail({ kind: 'failed', code: 'unexpected_body' }, 'the answer is not a TikTok envelope');
  const { code, message } = envelope.data;
  if (code === 0) return undefined;
  const text = `${message} (TikTok code ${code})`;
  if (code === TIKTOK_RATE_LIMITED) return fail({ kind: 'throttled', code: String(code), until: new Date(now.getTime() + DEFAULT_BACKOFF_MS) }, text);
  if (TOKEN_CODES.has(code)) return fail({ kind: 'auth', code: String(code) }, text);
  // 400xx: this request's parameters (a video gone, a bad cursor); the rest of the poll goes on.
  if (code >= 40000 && code < 41000) return fail({ kind: 'refused', code: String(code) }, text);
  return fail({ kind: 'failed', code: String(code) }, text);
}
