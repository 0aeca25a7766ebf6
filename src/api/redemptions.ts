import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Nuqta } from '../app.js';
import { NuqtaError } from '../errors.js';
import { redemptionTaskId, redemptionTaskOf, replayedAnswer } from '../scoring/redemption.js';
import type { ApiAccess } from './auth.js';
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
  /** The code a voucher reward issued (also in the member's wallet). */
  voucher: z.object({ code: z.string(), expiresAt: z.string().nullable() }).optional(),
});

/** What the member task answers (src/scoring/redemption.ts), checked on its way back from the queue. */
const resultSchema = z.discriminatedUnion('status', [
  z.object({ status: z.literal(201), body: redemptionSchema, replayed: z.boolean() }),
  z.object({ status: z.literal(409), body: errorSchema, replayed: z.boolean() }),
]);

/** How long a request waits for the member's partition to decide. */
const DECISION_TIMEOUT_MS = 15_000;

/**
 * Redemptions, made by a brand's own app or till on the member's behalf (a
 * `redeem` key for the campaign). The request is decided in the member's
 * queue partition, after their earlier events, and the answer comes back
 * here. The Idempotency-Key header makes a retry safe: the same key gets the
 * first answer, whatever it was.
 */
export function redemptionRoutes(nuqta: Nuqta, access: ApiAccess): FastifyPluginAsync {
  return async (plugin) => {
    const app = plugin.withTypeProvider<ZodTypeProvider>();
    app.post('/v1/campaigns/:id/members/:memberId/redemptions', {
      config: { access: ['redeem'] },
      schema: {
        tags: ['members', 'rewards'],
        summary: 'Redeem a reward for a member (role redeem, for the campaign); 409 NUQTA_INSUFFICIENT_POINTS or NUQTA_OUT_OF_STOCK when it cannot',
        params: memberParams,
        headers: redemptionHeaders,
        body: z.object({ rewardId: z.string().min(1) }).strict(),
        response: { 201: redemptionSchema, 409: errorSchema },
      },
    }, async (request, reply) => {
      access.require(request, ['redeem'], request.params.id);
      const { campaign } = nuqta.campaigns.get(request.params.id);
      const redemption = { campaignId: campaign.id, memberId: request.params.memberId, rewardId: request.body.rewardId, idempotencyKey: request.headers['idempotency-key'] };
      const answered = await nuqta.redemptions.get(campaign.id, redemption.memberId, redemption.idempotencyKey);
      let result: z.infer<typeof resultSchema>;
      if (answered) {
        result = resultSchema.parse(replayedAnswer(answered, redemption.rewardId));
      } else {
        if (!campaign.rewards.some((reward) => reward.id === redemption.rewardId)) throw new NuqtaError('NUQTA_NOT_FOUND', `campaign "${campaign.id}" has no reward "${redemption.rewardId}"`);
        result = resultSchema.parse(await nuqta.queue.runMemberTask(redemptionTaskOf(redemption), redemptionTaskId(redemption), DECISION_TIMEOUT_MS));
      }
      if (result.replayed) void reply.header('idempotent-replayed', 'true');
      return result.status === 201 ? reply.code(201).send(result.body) : reply.code(409).send(result.body);
    });
  };
}
