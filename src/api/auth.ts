/**
 * Who may do what. A request carries an API key (`Authorization: Bearer
 * <key>` or `X-Api-Key`); the key has a role and, when scoped, the campaigns
 * it may act on. Admin may do what every role may; a scoped key acting on a
 * campaign outside its scope gets 403 NUQTA_FORBIDDEN, as does a scoped key
 * on what spans every campaign (the global block list, metrics).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import type { ApiKey, ApiRole } from '../config/api-keys.js';
import type { LoadedCampaign } from '../config/campaign-loader.js';
import { NuqtaError } from '../errors.js';
import type { RowReader } from './board-rows.js';
import { MemberLinks } from './member-link.js';
import { PublicIds } from './public-id.js';

/** The API key of a request: `Authorization: Bearer <key>` or `X-Api-Key: <key>`. */
function presentedKey(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (header?.startsWith('Bearer ')) return header.slice('Bearer '.length).trim();
  const apiKey = request.headers['x-api-key'];
  return typeof apiKey === 'string' ? apiKey : undefined;
}

function sameKey(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/**
 * Who may call a route, declared on every route as `config.access`: anyone
 * (`public`: a campaign's own privacy is checked by the route), a platform's
 * signature (`signed`), or a key of one of these roles (checked before the
 * request is read, so a caller without one learns nothing from validation).
 */
export type RouteAccess = 'public' | 'signed' | readonly ApiRole[];

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: RouteAccess;
  }
}

/** Whether the key may act on the campaign: an unscoped key on every one, a scoped key on its own. */
export function covers(key: ApiKey, campaignId: string): boolean {
  return key.campaigns === undefined || key.campaigns.includes(campaignId);
}

export class ApiAccess {
  /** Members' ids as boards show them to whoever may not read members. */
  readonly publicIds: PublicIds;
  /** Followers' signed links to their own page. */
  readonly links: MemberLinks;

  constructor(
    private readonly keys: readonly ApiKey[],
    private readonly secret: Buffer,
  ) {
    this.publicIds = new PublicIds(secret);
    this.links = new MemberLinks(secret, this.publicIds);
  }

  /** The key the request presents, when it is one of ours. */
  keyOf(request: FastifyRequest): ApiKey | undefined {
    const presented = presentedKey(request);
    return presented === undefined ? undefined : this.keys.find((candidate) => sameKey(candidate.key, presented));
  }

  /**
   * Throws unless the request's key has one of `roles` (admin has them all)
   * and, given a campaign, may act on it; `'all'` asks for an unscoped key.
   */
  require(request: FastifyRequest, roles: readonly ApiRole[], campaign?: string | 'all'): ApiKey {
    const key = this.keyOf(request);
    if (key === undefined) {
      throw new NuqtaError('NUQTA_UNAUTHORIZED', presentedKey(request) === undefined ? 'an API key is required (Authorization: Bearer <key>)' : 'the API key is not valid');
    }
    if (key.role !== 'admin' && !roles.includes(key.role)) throw new NuqtaError('NUQTA_FORBIDDEN', `this needs a key with role ${roles.join(' or ')}`);
    if (campaign === 'all' && key.campaigns !== undefined) throw new NuqtaError('NUQTA_FORBIDDEN', 'this spans every campaign; it needs a key without a campaign scope');
    if (campaign !== undefined && campaign !== 'all' && !covers(key, campaign)) {
      throw new NuqtaError('NUQTA_FORBIDDEN', `this key is not for campaign "${campaign}"`);
    }
    return key;
  }

  /** As `require`, for audit trails: `role:fingerprint`, a keyed hash of the key (never the key), so two reviewers with their own keys stay apart. */
  actor(request: FastifyRequest, roles: readonly ApiRole[], campaign?: string | 'all'): string {
    return this.actorOf(this.require(request, roles, campaign));
  }

  actorOf(key: ApiKey): string {
    return `${key.role}:${createHmac('sha256', this.secret).update(key.key).digest('hex').slice(0, 16)}`;
  }

  /** Leaderboards are public when the campaign says so; otherwise they need a reader or reviewer key for the campaign. */
  assertCanRead(request: FastifyRequest, { campaign }: LoadedCampaign): void {
    if (!campaign.leaderboards.public) this.require(request, ['reader', 'reviewer'], campaign.id);
  }

  /** Whether the request carries a key that may read the campaign's private parts (members beyond the board, explanations). */
  mayReadMembers(request: FastifyRequest, campaignId: string): boolean {
    return this.holds(request, ['reader', 'reviewer'], campaignId);
  }

  /** How board rows show members to this request. */
  rowReader(request: FastifyRequest, campaignId: string): RowReader {
    return { publicIds: this.publicIds, seesMemberIds: this.mayReadMembers(request, campaignId) };
  }

  /** Whether the request carries a reviewer or admin key for the campaign: fraud details are theirs alone. */
  maySeeFraud(request: FastifyRequest, campaignId: string): boolean {
    return this.holds(request, ['reviewer'], campaignId);
  }

  /** Whether the request's key has one of `roles` (or admin) for the campaign; `require` without the throw. */
  private holds(request: FastifyRequest, roles: readonly ApiRole[], campaignId: string): boolean {
    const key = this.keyOf(request);
    return key !== undefined && (key.role === 'admin' || roles.includes(key.role)) && covers(key, campaignId);
  }
}
