import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Nuqta } from '../app.js';
import { redeemReward } from '../scoring/redemption.js';
import { requireRole } from './auth.js';
import { errorSchema, localizedSchema, memberParams, reasonSchema } from './schemas.js';

const redemptionHeaders = z.object({
  'idempotency-key': z
    .string({ required_error: 'the Idempotency-Key header is required: one key per redemption, reused when retrying it' })
    .regex(/^[\x21-\x7e]{1,200}$/, 'must be 1 to 200 visible ASCII characters'),
});

const redemptionSchema = z.object({
  campaignId: z.string(),
  memberId: z.string(),
  idempotencyKey: z.string(),
  reward: z.object({ id: z.string(), name: localizedSchema, cost: z.number().int() }),
  entry: z.object({ seq: z.number().int(), eventKey: z.string(), points: z.number().int(), reason: reasonSchema, createdAt: z.string() }),
  /** The member's balance right after this redemption. */
  balance: z.number().int(),
});

/**
 * Redemptions, made by a brand's own app on the member's behalf (role ingest
 * or admin). The Idempotency-Key header makes a retry safe: the same key gets
 * the first answer, whatever it was.
 */
export function redemptionRoutes(nuqta: Nuqta): FastifyPluginAsync {
  return async (plugin) => {
    const app = plugin.withTypeProvider<ZodTypeProvider>();
    app.post('/v1/campaigns/:id/members/:memberId/redemptions', {
      onRequest: requireRole(nuqta.config.NUQTA_API_KEYS, 'ingest'),
      schema: {
        tags: ['members', 'rewards'],
        summary: 'Redeem a reward for a member (role ingest or admin); 409 NUQTA_INSUFFICIENT_POINTS or NUQTA_OUT_OF_STOCK when it cannot',
        params: memberParams,
        headers: redemptionHeaders,
        body: z.object({ rewardId: z.string().min(1) }).strict(),
        response: { 201: redemptionSchema, 409: errorSchema },
      },
    }, async (request, reply) => {
      const result = await redeemReward(nuqta, {
        loaded: nuqta.campaigns.get(request.params.id),
        memberId: request.params.memberId,
        rewardId: request.body.rewardId,
        idempotencyKey: request.headers['idempotency-key'],
        now: new Date(),
      });
      if (result.replayed) void reply.header('idempotent-replayed', 'true');
      return reply.code(result.status).send(result.body);
    });
  };
}
