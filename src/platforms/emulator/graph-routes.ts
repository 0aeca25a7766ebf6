/**
 * The Instagram Graph API endpoints nuqta's pollers, mention lookups and
 * account checks use, under any `/vNN.N` prefix (or none): every request is counted, checked for
 * a token that may read the account, charged to the account's budget, and
 * answered with `X-Business-Use-Case-Usage`.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import {
  commentList,
  fail,
  hashtagSearch,
  mediaList,
  nodeObject,
  recentMedia,
  replyList,
  subscribedApps,
  userWithMentions,
  type Answer,
  type Call,
  type GraphDependencies,
} from './graph-answers.js';
import { graphErrors, sendGraphError, tokenOf, type GraphError, type GraphQuery } from './graph-http.js';
import { mentionEndpoint, mentionFieldOf } from './graph-mentions.js';
import type { EmulatedEndpoint } from './request-counter.js';
import type { TokenCheck } from './tokens.js';


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

/** Query string, plus a form or JSON body on POST (Graph takes parameters either way). */
function queryOf(request: FastifyRequest): GraphQuery {
  const merged: GraphQuery = {};
  for (const source of [request.query, request.body]) {
    if (source === null || typeof source !== 'object') continue;
    for (const [key, value] of Object.entries(source)) if (typeof value === 'string') merged[key] = value;
  }
  return merged;
}
