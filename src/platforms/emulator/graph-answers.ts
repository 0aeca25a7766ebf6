/**
 * How the emulated Graph API answers each endpoint once a request is routed,
 * authorised and charged (graph-routes.ts): objects, paged lists, hashtag
 * search and webhook subscriptions.
 */
import type { FastifyRequest } from 'fastify';
import type { EmulatedWorld } from './emulated-world.js';
import { commentObject, DEFAULT_FIELDS, mediaObject, userObject } from './graph-objects.js';
import { fieldsOf, graphErrors, limitOf, pagedBody, pick, type GraphError, type GraphQuery } from './graph-http.js';
import { readMentions, type MentionField } from './graph-mentions.js';
import type { HashtagSearches } from './hashtag-searches.js';
import { cursorPage, type ListOrder } from './paging.js';
import type { RequestCounter } from './request-counter.js';
import type { TokenRegistry } from './tokens.js';
import type { UsageMeter } from './usage-meter.js';

export interface GraphDependencies {
  world: EmulatedWorld;
  tokens: TokenRegistry;
  meter: UsageMeter;
  counter: RequestCounter;
  hashtags: HashtagSearches;
  clock: () => Date;
}

/** Webhook fields an Instagram account can subscribe the app to. */
const SUBSCRIBABLE_FIELDS = new Set([
  'comments',
  'live_comments',
  'mentions',
  'messages',
  'message_reactions',
  'messaging_postbacks',
  'messaging_seen',
  'story_insights',
]);
const DAY_MS = 86_400_000;

export interface Call {
  request: FastifyRequest;
  method: 'GET' | 'POST';
  query: GraphQuery;
  now: Date;
  ownerId: string;
}

export type Answer = { ok: true; body: Record<string, unknown> } | { ok: false; error: GraphError };

export const ok = (body: Record<string, unknown>): Answer => ({ ok: true, body });
export const fail = (error: GraphError): Answer => ({ ok: false, error });


export function nodeObject(nodeId: string, call: Call, deps: GraphDependencies): Answer | undefined {
  const { world } = deps;
  const account = world.account(nodeId);
  if (account !== undefined) return ok(pick(userObject(account, world, call.now), fieldsOf(call.query, DEFAULT_FIELDS.user)));
  const media = world.mediaById(nodeId);
  if (media !== undefined) return ok(pick(mediaObject(media, world, call.now), fieldsOf(call.query, DEFAULT_FIELDS.media)));
  const comment = world.comment(nodeId, call.now);
  return comment === undefined ? undefined : ok(pick(commentObject(comment), fieldsOf(call.query, DEFAULT_FIELDS.comment)));
}

/** The account's own fields asked for, with the comments or posts that mention it. */
export function userWithMentions(nodeId: string, field: MentionField, call: Call, deps: GraphDependencies): Answer {
  const { world } = deps;
  const account = world.account(nodeId);
  // Only IG users have mention fields; the brand's own media and comments do not.
  if (account === undefined) return fail(graphErrors.nonexistingField(field, world.mediaById(nodeId) === undefined ? 'IGComment' : 'IGMedia'));
  const mentions = readMentions(call.query.fields, account.id, world, call.now);
  if (!mentions.ok) return fail(mentions.error);
  return ok({ ...pick(userObject(account, world, call.now), fieldsOf(call.query, DEFAULT_FIELDS.user)), ...mentions.fields });
}

export function mediaList(call: Call, deps: GraphDependencies): Answer {
  const media = deps.world.mediaOf(call.ownerId, call.now);
  const fields = fieldsOf(call.query, DEFAULT_FIELDS.media);
  return paged(call, media, 'newest_first', { fallback: 25, max: 100 }, (m) => pick(mediaObject(m, deps.world, call.now), fields));
}

export function commentList(mediaId: string, call: Call, deps: GraphDependencies): Answer {
  const comments = deps.world.commentsOn(mediaId, call.now);
  const fields = fieldsOf(call.query, DEFAULT_FIELDS.comment);
  return paged(call, comments, 'newest_first', { fallback: 50, max: 100 }, (c) => pick(commentObject(c), fields));
}

export function replyList(commentId: string, call: Call, deps: GraphDependencies): Answer {
  const replies = deps.world.repliesTo(commentId, call.now);
  const fields = fieldsOf(call.query, DEFAULT_FIELDS.comment);
  return paged(call, replies, 'oldest_first', { fallback: 50, max: 100 }, (c) => pick(commentObject(c), fields));
}

export function hashtagSearch(call: Call, deps: GraphDependencies): Answer {
  const q = call.query.q?.trim();
  if (q === undefined || q === '') return fail(graphErrors.invalidParameter('The parameter q is required'));
  const result = deps.hashtags.search(call.ownerId, q);
  return result.ok ? ok({ data: [{ id: result.id }] }) : fail(graphErrors.hashtagLimit(result.limit));
}

/** The last 24 hours only, and never the author's name. */
export function recentMedia(name: string, call: Call, deps: GraphDependencies): Answer {
  const media = deps.world.hashtagMedia(name, new Date(call.now.getTime() - DAY_MS), call.now);
  // mediaObject leaves username and owner out for followers' posts, even when asked for.
  const fields = fieldsOf(call.query, DEFAULT_FIELDS.media);
  return paged(call, media, 'newest_first', { fallback: 25, max: 50 }, (m) => pick(mediaObject(m, deps.world, call.now), fields));
}

/** `POST` subscribes the account to webhook fields; `GET` shows what it is subscribed to. */
export function subscribedApps(call: Call, deps: GraphDependencies): Answer {
  const account = deps.world.account(call.ownerId);
  if (account === undefined) return fail(graphErrors.unsupportedRequest(call.method, call.ownerId));
  if (call.method === 'GET') {
    return ok({ data: account.subscribedFields.size === 0 ? [] : [{ subscribed_fields: [...account.subscribedFields] }] });
  }
  const fields = (call.query.subscribed_fields ?? '').split(',').map((f) => f.trim()).filter((f) => f !== '');
  if (fields.length === 0) return fail(graphErrors.invalidParameter('The parameter subscribed_fields is required.'));
  const unknown = fields.find((f) => !SUBSCRIBABLE_FIELDS.has(f));
  if (unknown !== undefined) {
    const allowed = [...SUBSCRIBABLE_FIELDS].join(', ');
    return fail(graphErrors.invalidParameter(`Param subscribed_fields must be one of {${allowed}} - got "${unknown}".`));
  }
  for (const field of fields) account.subscribedFields.add(field);
  return ok({ success: true });
}

function paged<T extends { at: Date; id: string }>(
  call: Call,
  items: readonly T[],
  order: ListOrder,
  limits: { fallback: number; max: number },
  render: (item: T) => Record<string, unknown>,
): Answer {
  const limit = limitOf(call.query, limits.fallback, limits.max);
  if (limit === undefined) return fail(graphErrors.invalidParameter('limit must be a positive integer'));
  const page = cursorPage(items, order, { limit, after: call.query.after, before: call.query.before });
  if (page === undefined) return fail(graphErrors.invalidParameter('Invalid cursor'));
  return ok(pagedBody(call.request, page, page.items.map(render)));
}
