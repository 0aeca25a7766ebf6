/**
 * The Instagram Graph API calls nuqta makes for one connected account. The
 * host follows the account's login (graph.facebook.com for Facebook Login,
 * graph.instagram.com for Instagram Login), both from configuration, so the
 * emulator and the real platform differ only by base URL. The token travels
 * in the Authorization header, never in a URL, and paging uses `after`
 * cursors rather than `paging.next` links (which repeat the query).
 */
import { z } from 'zod';
import type { NuqtaConfig } from '../../config/env.js';
import type { LoginType } from '../accounts/account.js';
import { usageFromHeaders, type CallBudget, type Usage } from '../accounts/call-budget.js';
import { PlatformCallError, type CallFailure, type HttpAnswer, type PlatformHttp } from '../accounts/platform-call.js';

/** Graph throttling codes: application, user, page, API-specific and Instagram business use case limits. */
export const GRAPH_THROTTLE_CODES: ReadonlySet<number> = new Set([4, 17, 32, 613, 80002]);
/** When a throttled answer gives no regain time. */
const DEFAULT_THROTTLE_MS = 5 * 60_000;

export type GraphHosts = Pick<NuqtaConfig, 'IG_GRAPH_URL' | 'IG_LOGIN_GRAPH_URL' | 'IG_GRAPH_VERSION'>;

export function graphBaseUrl(hosts: GraphHosts, login: LoginType): string {
  const host = login === 'instagram_login' ? hosts.IG_LOGIN_GRAPH_URL : hosts.IG_GRAPH_URL;
  return `${host}/${hosts.IG_GRAPH_VERSION}`;
}

const graphErrorSchema = z.object({
  error: z.object({ message: z.string().default(''), code: z.number().int(), error_subcode: z.number().int().optional() }),
});

const pagingSchema = z.object({ cursors: z.object({ after: z.string().optional() }).optional(), next: z.string().optional() }).optional();

function pageSchema<T extends z.ZodTypeAny>(item: T) {
  return z.object({ data: z.array(item), paging: pagingSchema });
}

const graphTimeSchema = z.string().transform((text, ctx) => {
  const date = new Date(text);
  if (Number.isNaN(date.getTime())) {
    ctx.addIssue({ code: z.ZodIssueCode.custom, message: 'not a Graph timestamp' });
    return z.NEVER;
  }
  return date;
});

export const graphMediaSchema = z.object({
  id: z.string().min(1),
  timestamp: graphTimeSchema.optional(),
  comments_count: z.number().int().nonnegative().optional(),
  caption: z.string().optional(),
  permalink: z.string().optional(),
});
export type GraphMedia = z.infer<typeof graphMediaSchema>;

export const graphCommentSchema = z.object({
  id: z.string().min(1),
  text: z.string().optional(),
  timestamp: graphTimeSchema,
  from: z.object({ id: z.string().min(1), username: z.string().optional() }).optional(),
  username: z.string().optional(),
  parent_id: z.string().optional(),
});
export type GraphComment = z.infer<typeof graphCommentSchema>;

const meSchema = z.object({ id: z.string().min(1), user_id: z.string().optional(), username: z.string().optional() });
const subscribedAppsSchema = z.object({ data: z.array(z.object({ subscribed_fields: z.array(z.string()).optional() })) });
const hashtagSearchSchema = z.object({ data: z.array(z.object({ id: z.string().min(1) })) });
const mentionedCommentSchema = z.object({ mentioned_comment: graphCommentSchema.extend({ media: z.object({ id: z.string() }).optional() }) });
const mentionedMediaSchema = z.object({
  mentioned_media: graphMediaSchema.extend({ username: z.string().optional(), owner: z.object({ id: z.string().min(1) }).optional() }),
});

export interface GraphPage<T> {
  items: T[];
  /** The `after` cursor of the next page; undefined on the last one. */
  next: string | undefined;
}

export interface GraphClientOptions {
  baseUrl: string;
  accountId: string;
  token: string;
  http: PlatformHttp;
  budget: CallBudget;
  clock: () => Date;
}

const COMMENT_FIELDS = 'id,text,timestamp,from,username,parent_id';

export class GraphClient {
  constructor(private readonly options: GraphClientOptions) {}

  get accountId(): string {
    return this.options.accountId;
  }

  async me(): Promise<z.infer<typeof meSchema>> {
    return this.read('GET', 'me', { fields: 'id,user_id,username' }, meSchema);
  }

  async subscribedFields(): Promise<string[]> {
    const body = await this.read('GET', `${this.accountId}/subscribed_apps`, {}, subscribedAppsSchema);
    return [...new Set(body.data.flatMap((app) => app.subscribed_fields ?? []))];
  }

  async subscribe(fields: readonly string[]): Promise<void> {
    await this.read('POST', `${this.accountId}/subscribed_apps`, { subscribed_fields: fields.join(',') }, z.unknown());
  }

  /** The account's media, newest first. */
  async mediaPage(after: string | undefined): Promise<GraphPage<GraphMedia>> {
    return this.page(`${this.accountId}/media`, { fields: 'id,timestamp,comments_count', limit: '50' }, after, graphMediaSchema);
  }

  /** Top-level comments, newest first. */
  async commentsPage(mediaId: string, after: string | undefined): Promise<GraphPage<GraphComment>> {
    return this.page(`${mediaId}/comments`, { fields: COMMENT_FIELDS, limit: '50' }, after, graphCommentSchema);
  }

  async repliesPage(commentId: string, after: string | undefined): Promise<GraphPage<GraphComment>> {
    return this.page(`${commentId}/replies`, { fields: COMMENT_FIELDS, limit: '50' }, after, graphCommentSchema);
  }

  /** A comment that @mentions the account, with its author when the API names one. */
  async mentionedComment(commentId: string): Promise<z.infer<typeof mentionedCommentSchema>['mentioned_comment']> {
    const fields = `mentioned_comment.comment_id(${commentId}){${COMMENT_FIELDS},media{id}}`;
    return (await this.read('GET', this.accountId, { fields }, mentionedCommentSchema)).mentioned_comment;
  }

  /** A post whose caption @mentions the account. */
  async mentionedMedia(mediaId: string): Promise<z.infer<typeof mentionedMediaSchema>['mentioned_media']> {
    const fields = `mentioned_media.media_id(${mediaId}){id,caption,timestamp,username,owner}`;
    return (await this.read('GET', this.accountId, { fields }, mentionedMediaSchema)).mentioned_media;
  }

  /** Counts against the account's 30 unique hashtags per 7 days unless searched within them already. */
  async hashtagId(name: string): Promise<string | undefined> {
    const body = await this.read('GET', 'ig_hashtag_search', { user_id: this.accountId, q: name }, hashtagSearchSchema);
    return body.data[0]?.id;
  }

  /** Posts with the hashtag from the last 24 hours; they never name their author. */
  async recentMediaPage(hashtagId: string, after: string | undefined): Promise<GraphPage<GraphMedia>> {
    const params = { user_id: this.accountId, fields: 'id,caption,permalink,timestamp', limit: '50' };
    return this.page(`${hashtagId}/recent_media`, params, after, graphMediaSchema);
  }

  private async page<T extends z.ZodTypeAny>(path: string, params: Record<string, string>, after: string | undefined, item: T): Promise<GraphPage<z.infer<T>>> {
    const body = await this.read('GET', path, { ...params, ...(after === undefined ? {} : { after }) }, pageSchema(item));
    const next = body.paging?.next === undefined ? undefined : body.paging.cursors?.after;
    return { items: body.data, next };
  }

  private async read<T extends z.ZodTypeAny>(method: 'GET' | 'POST', path: string, params: Record<string, string>, schema: T): Promise<z.infer<T>> {
    const { http, budget, token, baseUrl } = this.options;
    budget.assertRoom();
    const where = `${method} /${path}`;
    const answer = await http.request('instagram', { method, url: `${baseUrl}/${path}`, params, headers: { authorization: `Bearer ${token}` } });
    const usage = usageFromHeaders(answer.headers);
    budget.observe(usage);
    if (answer.status >= 200 && answer.status < 300) {
      const parsed = schema.safeParse(answer.body);
      if (parsed.success) return parsed.data;
      throw new PlatformCallError('instagram', { kind: 'failed', code: 'unexpected_body' }, `${where}: unexpected answer (${parsed.error.issues[0]?.message ?? 'shape'})`);
    }
    const error = graphCallError(answer, usage, this.options.clock(), where);
    budget.halt(error);
    throw error;
  }
}

/** A Graph error answer as the failure kind the pollers act on. */
export function graphCallError(answer: HttpAnswer, usage: Usage | undefined, now: Date, where: string): PlatformCallError {
  const parsed = graphErrorSchema.safeParse(answer.body);
  const code = parsed.success ? parsed.data.error.code : undefined;
  const subcode = parsed.success ? parsed.data.error.error_subcode : undefined;
  const message = parsed.success ? parsed.data.error.message : `HTTP ${answer.status}`;
  const codeText = code === undefined ? `http_${answer.status}` : String(code);
  let failure: CallFailure;
  if (code !== undefined && GRAPH_THROTTLE_CODES.has(code)) {
    const regainMs = usage !== undefined && usage.regainMinutes > 0 ? usage.regainMinutes * 60_000 : DEFAULT_THROTTLE_MS;
    failure = { kind: 'throttled', code: codeText, until: new Date(now.getTime() + regainMs) };
  } else if (code === 190 || code === 102 || code === 10 || (code !== undefined && code >= 200 && code < 300)) {
    failure = { kind: 'auth', code: subcode === undefined ? codeText : `${codeText}/${subcode}` };
  } else if (answer.status >= 500 || code === undefined) {
    failure = { kind: 'failed', code: codeText };
  } else {
    failure = { kind: 'refused', code: codeText };
  }
  return new PlatformCallError('instagram', failure, `${where}: ${message} (Graph code ${codeText})`);
}
