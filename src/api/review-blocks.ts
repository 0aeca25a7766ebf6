/**
 * The block list: a reviewer blocks a member in a campaign of their key, an
 * unscoped admin in every campaign. Unblocking reconsiders the member's open
 * flags that only the block held.
 */
import { randomBytes } from 'node:crypto';
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Nuqta } from '../app.js';
import { campaignIdSchema } from '../config/campaign-schema.js';
import { memberIdSchema } from '../domain/event.js';
import { reconsiderAfterUnblock } from '../review/unblock.js';
import type { ApiAccess } from './auth.js';
import { blockSchema, blockView } from './review-views.js';
import { errorSchema } from './schemas.js';

const blockBody = z.object({ memberId: memberIdSchema, campaignId: campaignIdSchema.optional(), note: z.string().max(2000).optional() }).strict();
const blockReply = z.object({ block: blockSchema, created: z.boolean() });

export function blockRoutes(nuqta: Nuqta, access: ApiAccess): FastifyPluginAsync {
  return async (plugin) => {
    const app = plugin.withTypeProvider<ZodTypeProvider>();
    const tags = ['review'];

    app.get('/v1/review/blocks', {
      config: { access: ['reviewer'] },
      schema: {
        tags, summary: 'The block list (role reviewer): blocks of the key\'s campaigns and those of every campaign',
        querystring: z.object({ campaign: campaignIdSchema.optional() }),
        response: { 200: z.object({ blocks: z.array(blockSchema) }), 400: errorSchema, 401: errorSchema, 403: errorSchema },
      },
    }, async (request) => {
      const { campaign } = request.query;
      const key = access.require(request, ['reviewer'], campaign);
      const campaignIds = campaign === undefined ? key.campaigns ?? 'all' : [campaign];
      return { blocks: (await nuqta.blocks.list(campaignIds, true)).map(blockView) };
    });

    app.post('/v1/review/blocks', {
      config: { access: ['reviewer'] },
      schema: {
        tags, summary: 'Block a member in a campaign (role reviewer), or in every campaign (no campaignId: an admin key without a scope)',
        body: blockBody,
        response: { 200: blockReply, 201: blockReply, 400: errorSchema, 401: errorSchema, 403: errorSchema },
      },
    }, async (request, reply) => {
      const { memberId, campaignId, note } = request.body;
      const by = campaignId === undefined ? access.actor(request, ['admin'], 'all') : access.actor(request, ['reviewer'], campaignId);
      if (campaignId !== undefined) nuqta.campaigns.get(campaignId);
      const at = new Date();
      const noted = note === undefined ? {} : { note };
      const where = campaignId === undefined ? {} : { campaignId };
      const { block, created } = await nuqta.blocks.block({ memberId, ...where, by, at, ...noted });
      if (created) await nuqta.reviews.record({ id: `block|${randomBytes(9).toString('hex')}`, kind: 'block', memberId, ...where, by, at, ...noted });
      return reply.code(created ? 201 : 200).send({ block: blockView(block), created });
    });

    app.delete('/v1/review/blocks/:memberId', {
      config: { access: ['reviewer'] },
      schema: {
        tags,
        summary: 'Unblock a member in a campaign (?campaign=, role reviewer) or everywhere (admin); their open flags that only the block held are approved by the system',
        params: z.object({ memberId: memberIdSchema }),
        querystring: z.object({ campaign: campaignIdSchema.optional() }),
        response: { 200: z.object({ memberId: z.string(), unblocked: z.boolean(), reconsidered: z.array(z.string()) }), 400: errorSchema, 401: errorSchema, 403: errorSchema },
      },
    }, async (request) => {
      const { memberId } = request.params;
      const campaignId = request.query.campaign;
      const by = campaignId === undefined ? access.actor(request, ['admin'], 'all') : access.actor(request, ['reviewer'], campaignId);
      const unblocked = await nuqta.blocks.unblock({ campaignId, memberId });
      if (!unblocked) return { memberId, unblocked, reconsidered: [] };
      const where = campaignId === undefined ? {} : { campaignId };
      await nuqta.reviews.record({ id: `unblock|${randomBytes(9).toString('hex')}`, kind: 'unblock', memberId, ...where, by, at: new Date() });
      return { memberId, unblocked, reconsidered: await reconsiderAfterUnblock(nuqta, { campaignId, memberId }) };
    });
  };
}
