/**
 * Reaching a member without their platform id: "find me" by handle on a
 * public board (the rank and the rows around, what the board shows anyway),
 * and follower links minted for a brand's own systems (admin key for the
 * campaign) that open the member's page at `/me/<token>`.
 */
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Nuqta } from '../app.js';
import type { LoadedCampaign } from '../config/campaign-loader.js';
import { NuqtaError } from '../errors.js';
import type { MemberIdentity } from '../ledger/member-directory.js';
import type { ApiAccess } from './auth.js';
import { DEFAULT_LINK_DAYS, linkExpiry, MAX_LINK_DAYS, type MemberLinks } from './member-link.js';
import { rankQuery, rankSchema, standingOf } from './members.js';
import type { PublicIds } from './public-id.js';
import { publicReadLimit } from './rate-limits.js';
import { campaignParams, errorSchema, memberParams } from './schemas.js';

/** A handle as a follower types it: `@name` or `name`, any case (platform usernames are lower case). */
export const handleSchema = z.string().trim().max(64)
  .transform((value) => value.replace(/^@/, '').toLowerCase())
  .pipe(z.string().regex(/^[a-z0-9._]{1,40}$/, 'must be a handle such as @sara.q'));

/** Optional: without a body the link works for DEFAULT_LINK_DAYS. */
const linkBody = z.object({ days: z.number().int().min(1).max(MAX_LINK_DAYS).optional() }).strict().nullish();
const linkReply = z.object({ campaignId: z.string(), publicId: z.string(), token: z.string(), url: z.string(), expiresAt: z.string() });

/** The member with this handle in the campaign; a member who hid their name cannot be found by it. */
export async function memberByHandle(nuqta: Pick<Nuqta, 'directory'>, campaignId: string, handle: string): Promise<MemberIdentity | undefined> {
  const found = await nuqta.directory.byUsername(campaignId, handle);
  return found.find((member) => !member.hideName);
}

/** The member a route names (member id or public id) as the campaign's directory knows them; NUQTA_MEMBER_NOT_FOUND otherwise. */
export async function namedMember(nuqta: Pick<Nuqta, 'directory'>, publicIds: PublicIds, campaignId: string, ref: string): Promise<MemberIdentity> {
  const memberId = publicIds.resolve(campaignId, ref);
  const member = memberId === undefined ? null : await nuqta.directory.get(campaignId, memberId);
  if (!member) throw new NuqtaError('NUQTA_MEMBER_NOT_FOUND', `no member "${ref}" in campaign "${campaignId}"`);
  return member;
}

/** Where followers reach the pages: NUQTA_PUBLIC_URL, or the address the request came to. */
export function publicBase(nuqta: Pick<Nuqta, 'config'>, request?: FastifyRequest): string {
  return nuqta.config.NUQTA_PUBLIC_URL ?? (request ? `${request.protocol}://${request.host}` : `http://${nuqta.config.HOST}:${nuqta.config.PORT}`);
}

/** A follower link: the page's URL for the member, valid for `days`. */
export function followerLink(links: MemberLinks, base: string, campaignId: string, memberId: string, days: number, now: Date): { token: string; url: string; expiresAt: Date } {
  const expiresAt = linkExpiry(now, days);
  const token = links.mint(campaignId, memberId, expiresAt);
  return { token, url: `${base}/me/${token}`, expiresAt };
}

export function memberLinkRoutes(nuqta: Nuqta, access: ApiAccess): FastifyPluginAsync {
  return async (plugin) => {
    const app = plugin.withTypeProvider<ZodTypeProvider>();

    app.get('/v1/campaigns/:id/handles/:handle/rank', {
      config: { ...publicReadLimit(nuqta), access: 'public' },
      schema: {
        tags: ['members', 'leaderboards'],
        summary: '"Find me": the rank of the member with this handle on a board and the members just above and below',
        params: campaignParams.extend({ handle: handleSchema }),
        querystring: rankQuery,
        response: { 200: rankSchema, 404: errorSchema },
      },
    }, async (request) => {
      const loaded: LoadedCampaign = nuqta.campaigns.get(request.params.id);
      access.assertCanRead(request, loaded);
      const member = await memberByHandle(nuqta, loaded.campaign.id, request.params.handle);
      if (!member) throw new NuqtaError('NUQTA_MEMBER_NOT_FOUND', `nobody with the handle @${request.params.handle} takes part in campaign "${loaded.campaign.id}"`);
      return standingOf(nuqta, access, request, loaded, member.memberId, request.query);
    });

    app.post('/v1/campaigns/:id/members/:memberId/link', {
      config: { access: ['admin'] },
      schema: {
        tags: ['members'],
        summary: 'A signed link to the member\'s own page (/me/<token>) for the brand to send: balance, tier, next reward, history',
        params: memberParams,
        body: linkBody,
        response: { 201: linkReply, 404: errorSchema },
      },
    }, async (request, reply) => {
      access.require(request, ['admin'], request.params.id);
      const { campaign } = nuqta.campaigns.get(request.params.id);
      const member = await namedMember(nuqta, access.publicIds, campaign.id, request.params.memberId);
      const link = followerLink(access.links, publicBase(nuqta, request), campaign.id, member.memberId, request.body?.days ?? DEFAULT_LINK_DAYS, new Date());
      return reply.code(201).send({
        campaignId: campaign.id,
        publicId: access.publicIds.idOf(campaign.id, member.memberId),
        token: link.token,
        url: link.url,
        expiresAt: link.expiresAt.toISOString(),
      });
    });
  };
}
