/**
 * The Instagram Graph API endpoints nuqta's pollers, mention lookups and
 * account checks use, under any `/vNN.N` prefix (or none): every request is counted, checked for
 * a token that may read the account, charged to the account's budget, and
 * answered with `X-Business-Use-Case-Usage`.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { EmulatedWorld } from './emulated-world.js';
import { commentObject, DEFAULT_FIELDS, mediaObject, userObject } from './graph-objects.js';
import {
  fieldsOf,
  graphErrors,
  limitOf,
  pagedBody,
  pick,
  sendGraphError,
  tokenOf,
  type GraphError,
  type GraphQuery,
} from './graph-http.js';
import { mentionEndpoint, mentionFieldOf, readMentions, type MentionField } from './graph-mentions.js';
import type { HashtagSearches } from './hashtag-searches.js';
import { cursorPage, type ListOrder } from './paging.js';
import type { EmulatedEndpoint, RequestCounter } from './request-counter.js';
import type { TokenCheck, TokenRegistry } from './tokens.js';
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

interface Call {
  request: FastifyRequest;
  method: 'GET' | 'POST';
  query: GraphQuery;
  now: Date;
  ownerId: string;
}

type Answer = { ok: true; body: Record<string, unknown> } | { ok: false; error: GraphError };

const ok = (body: Record<string, unknown>): Answer => ({ ok: true, body });
const fail = (error: GraphError): Answer => ({ ok: false, error });

/** What a path names: which endpoint, whose account it reads, and how to answer. */
interface Target {
  endpoint: EmulatedEndpoint;
  nodeId: string;
  ownerId: string | undefined;
  /** The answer when no owner could be told, if better than "unsupported request". */
  withoutOwner?: GraphError;
  answer: (call: Call) => Answer;
}

export function registerGraphRoutes(app: FastifyInstance, deps: GraphDependencies): void {
  const handler = (request: FastifyRequest, reply: FastifyReply): FastifyReply => handle(request, reply, deps);
  app.get('/*', handler);
  app.post('/*', handler);
}

function handle(request: FastifyRequest, reply: FastifyReply, deps: GraphDependencies): FastifyReply {
  const now = deps.clock();
  const method = request.method === 'POST' ? 'POST' : 'GET';
  const query = queryOf(request);
  const path = request.url.split('?')[0] ?? '';
  const segments = path.split('/').filter((s) => s !== '');
  if (/^v\d+\.\d+$/.test(segments[0] ?? '')) segments.shift();

  const token = deps.tokens.check(tokenOf(request, query));
  const target = targetOf(segments, method, query, token, deps);
  if (target === undefined) return sendGraphError(reply, graphErrors.unknownPath(path));
  deps.counter.add(target.endpoint, target.ownerId ?? '');
  if (token.status === 'missing') return sendGraphError(reply, graphErrors.missingToken());
  if (token.status === 'unknown') return sendGraphError(reply, graphErrors.unknownToken());
  if (token.status === 'expired') return sendGraphError(reply, graphErrors.expiredToken(token.expiredAt, now));
  const ownerId = target.ownerId;
  if (ownerId === undefined && target.withoutOwner !== undefined) return sendGraphError(reply, target.withoutOwner);
  if (ownerId === undefined || !token.accountIds.has(ownerId)) {
    return sendGraphError(reply, graphErrors.unsupportedRequest(method, target.nodeId));
  }

  const verdict = deps.meter.charge('instagram', ownerId);
  reply.header('x-business-use-case-usage', JSON.stringify({ [ownerId]: [verdict.usage] }));
  if (!verdict.allowed) return sendGraphError(reply, graphErrors.throttled(verdict.code));
  const answer = target.answer({ request, method, query, now, ownerId });
  return answer.ok ? reply.send(answer.body) : sendGraphError(reply, answer.error);
}

function targetOf(
  segments: string[],
  method: 'GET' | 'POST',
  query: GraphQuery,
  token: TokenCheck,
  deps: GraphDependencies,
): Target | undefined {
  const { world } = deps;
  const [node, edge, ...rest] = segments;
  if (node === undefined || rest.length > 0) return undefined;
  const me = token.status === 'valid' ? [...token.accountIds].find((id) => world.account(id)?.platform === 'instagram') : undefined;
  const nodeOwner = node === 'me' ? me : ownerOf(node, deps);
  const unsupported = (): Answer => fail(graphErrors.unsupportedRequest(method, node));
  // Hashtag endpoints act on behalf of the account named in `user_id`.
  const onBehalfOf = { ownerId: query.user_id, withoutOwner: graphErrors.invalidParameter('The parameter user_id is required') };

  if (node === 'ig_hashtag_search' && edge === undefined) {
    return { endpoint: 'instagram.hashtag_search', nodeId: node, ...onBehalfOf, answer: (call) => hashtagSearch(call, deps) };
  }
  if (edge === 'recent_media') {
    const name = deps.hashtags.nameOf(node);
    const answer = (call: Call): Answer => (name === undefined ? unsupported() : recentMedia(name, call, deps));
    return { endpoint: 'instagram.recent_media', nodeId: node, ...onBehalfOf, answer };
  }
  if (edge === 'subscribed_apps') {
    return { endpoint: 'instagram.subscribed_apps', nodeId: node, ownerId: nodeOwner, answer: (call) => subscribedApps(call, deps) };
  }
  const read = (endpoint: EmulatedEndpoint, answer: (call: Call) => Answer): Target => ({
    endpoint,
    nodeId: node,
    ownerId: nodeOwner,
    answer: (call) => (call.method === 'GET' ? answer(call) : unsupported()),
  });
  switch (edge) {
    case undefined: {
      const nodeId = (call: Call): string => (node === 'me' ? call.ownerId : node);
      const mentionField = mentionFieldOf(query.fields);
      if (mentionField !== undefined) return read(mentionEndpoint(mentionField), (call) => userWithMentions(nodeId(call), mentionField, call, deps));
      return read(node === 'me' ? 'instagram.me' : 'instagram.node', (call) => nodeObject(nodeId(call), call, deps) ?? unsupported());
    }
    case 'media':
      return read('instagram.media', (call) => (node !== 'me' && world.account(node) === undefined ? unsupported() : mediaList(call, deps)));
    case 'comments':
      return read('instagram.comments', (call) => {
        return world.mediaById(node)?.byFollower === false ? commentList(node, call, deps) : unsupported();
      });
    case 'replies':
      return read('instagram.replies', (call) => {
        return world.comment(node, call.now) === undefined ? unsupported() : replyList(node, call, deps);
      });
    default:
      return undefined;
  }
}

/** The Instagram account an object belongs to; undefined for what the brand cannot read. */
function ownerOf(nodeId: string, deps: GraphDependencies): string | undefined {
  const account = deps.world.account(nodeId);
  if (account !== undefined) return account.platform === 'instagram' ? account.id : undefined;
  const media = deps.world.mediaById(nodeId);
  if (media !== undefined) return media.byFollower || media.platform !== 'instagram' ? undefined : media.accountId;
  return deps.world.comment(nodeId, deps.clock())?.accountId;
}

function nodeObject(nodeId: string, call: Call, deps: GraphDependencies): Answer | undefined {
  const { world } = deps;
  const account = world.account(nodeId);
  if (account !== undefined) return ok(pick(userObject(account, world, call.now), fieldsOf(call.query, DEFAULT_FIELDS.user)));
  const media = world.mediaById(nodeId);
  if (media !== undefined) return ok(pick(mediaObject(media, world, call.now), fieldsOf(call.query, DEFAULT_FIELDS.media)));
  const comment = world.comment(nodeId, call.now);
  return comment === undefined ? undefined : ok(pick(commentObject(comment), fieldsOf(call.query, DEFAULT_FIELDS.comment)));
}

/** The account's own fields asked for, with the comments or posts that mention it. */
function userWithMentions(nodeId: string, field: MentionField, call: Call, deps: GraphDependencies): Answer {
  const { world } = deps;
  const account = world.account(nodeId);
  // Only IG users have mention fields; the brand's own media and comments do not.
  if (account === undefined) return fail(graphErrors.nonexistingField(field, world.mediaById(nodeId) === undefined ? 'IGComment' : 'IGMedia'));
  const mentions = readMentions(call.query.fields, account.id, world, call.now);
  if (!mentions.ok) return fail(mentions.error);
  return ok({ ...pick(userObject(account, world, call.now), fieldsOf(call.query, DEFAULT_FIELDS.user)), ...mentions.fields });
}

function mediaList(call: Call, deps: GraphDependencies): Answer {
  const media = deps.world.mediaOf(call.ownerId, call.now);
  const fields = fieldsOf(call.query, DEFAULT_FIELDS.media);
  return paged(call, media, 'newest_first', { fallback: 25, max: 100 }, (m) => pick(mediaObject(m, deps.world, call.now), fields));
}

function commentList(mediaId: string, call: Call, deps: GraphDependencies): Answer {
  const comments = deps.world.commentsOn(mediaId, call.now);
  const fields = fieldsOf(call.query, DEFAULT_FIELDS.comment);
  return paged(call, comments, 'newest_first', { fallback: 50, max: 100 }, (c) => pick(commentObject(c), fields));
}

function replyList(commentId: string, call: Call, deps: GraphDependencies): Answer {
  const replies = deps.world.repliesTo(commentId, call.now);
  const fields = fieldsOf(call.query, DEFAULT_FIELDS.comment);
  return paged(call, replies, 'oldest_first', { fallback: 50, max: 100 }, (c) => pick(commentObject(c), fields));
}

function hashtagSearch(call: Call, deps: GraphDependencies): Answer {
  const q = call.query.q?.trim();
  if (q === undefined || q === '') return fail(graphErrors.invalidParameter('The parameter q is required'));
  const result = deps.hashtags.search(call.ownerId, q);
  return result.ok ? ok({ data: [{ id: result.id }] }) : fail(graphErrors.hashtagLimit(result.limit));
}

/** The last 24 hours only, and never the author's name. */
function recentMedia(name: string, call: Call, deps: GraphDependencies): Answer {
  const media = deps.world.hashtagMedia(name, new Date(call.now.getTime() - DAY_MS), call.now);
  // mediaObject leaves username and owner out for followers' posts, even when asked for.
  const fields = fieldsOf(call.query, DEFAULT_FIELDS.media);
  return paged(call, media, 'newest_first', { fallback: 25, max: 50 }, (m) => pick(mediaObject(m, deps.world, call.now), fields));
}

/** `POST` subscribes the account to webhook fields; `GET` shows what it is subscribed to. */
function subscribedApps(call: Call, deps: GraphDependencies): Answer {
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

/** Query string, plus a form or JSON body on POST (Graph takes parameters either way). */
function queryOf(request: FastifyRequest): GraphQuery {
  const merged: GraphQuery = {};
  for (const source of [request.query, request.body]) {
    if (source === null || typeof source !== 'object') continue;
    for (const [key, value] of Object.entries(source)) if (typeof value === 'string') merged[key] = value;
  }
  return merged;
}
