/**
 * Vouchers: a brand uploads a reward's pool (role admin), the shop marks a
 * code used at the till (role ingest), a member's wallet lists what they were
 * issued (role reader), and a cancelled voucher gives its points back (role
 * redeem), decided in the member's queue partition like a redemption.
 */
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Nuqta } from '../app.js';
import { NuqtaError } from '../errors.js';
import { voucherCodesOf } from '../ledger/voucher-pool-file.js';
import type { Voucher } from '../ledger/vouchers.js';
import { VOUCHER_CANCEL_TASK } from '../scoring/voucher-cancel.js';
import type { ApiAccess } from './auth.js';
import { campaignParams, errorSchema, memberParams } from './schemas.js';

const voucherSchema = z.object({
  code: z.string(),
  rewardId: z.string(),
  status: z.enum(['available', 'issued', 'used', 'cancelling', 'cancelled']),
  issuedAt: z.string().nullable(),
  expiresAt: z.string().nullable(),
  usedAt: z.string().nullable(),
  cancelledAt: z.string().nullable(),
});

const codeParams = campaignParams.extend({ code: z.string().regex(/^[A-Za-z0-9-]{4,64}$/, 'is not a voucher code') });
const rewardParams = campaignParams.extend({ rewardId: z.string().min(1).max(64) });
const cancellationSchema = z.object({ campaignId: z.string(), memberId: z.string(), code: z.string(), status: z.literal('cancelled'), refunded: z.number().int(), balance: z.number().int() });
/** What the member task answers (src/scoring/voucher-cancel.ts), checked on its way back from the queue. */
const cancelResultSchema = z.discriminatedUnion('status', [
  z.object({ status: z.literal(200), body: cancellationSchema }),
  z.object({ status: z.literal(409), body: errorSchema }),
]);
const DECISION_TIMEOUT_MS = 15_000;

function voucherView(voucher: Voucher): z.infer<typeof voucherSchema> {
  const at = (date: Date | undefined): string | null => date?.toISOString() ?? null;
  return {
    code: voucher.code, rewardId: voucher.rewardId, status: voucher.status,
    issuedAt: at(voucher.issuedAt), expiresAt: at(voucher.expiresAt), usedAt: at(voucher.usedAt), cancelledAt: at(voucher.cancelledAt),
  };
}

export function voucherRoutes(nuqta: Nuqta, access: ApiAccess): FastifyPluginAsync {
  const tags = ['rewards'];
  return async (plugin) => {
    plugin.addContentTypeParser(['text/csv', 'text/plain'], { parseAs: 'string' }, (_request, body, done) => done(null, body));
    const app = plugin.withTypeProvider<ZodTypeProvider>();

    app.post('/v1/campaigns/:id/rewards/:rewardId/vouchers', {
      config: { access: ['admin'] },
      schema: {
        tags, params: rewardParams, body: z.string().describe('CSV with a code column, or one code per line (Content-Type: text/csv)'),
        summary: 'Add codes to a reward\u2019s voucher pool (role admin); a file with a bad line adds nothing',
        response: { 200: z.object({ added: z.number().int(), repeated: z.number().int(), available: z.number().int() }) },
      },
    }, async (request) => {
      access.require(request, ['admin'], request.params.id);
      const { campaign } = nuqta.campaigns.get(request.params.id);
      const reward = campaign.rewards.find((candidate) => candidate.id === request.params.rewardId);
      if (!reward) throw new NuqtaError('NUQTA_NOT_FOUND', `campaign "${campaign.id}" has no reward "${request.params.rewardId}"`);
      if (reward.voucher?.pool !== true) throw new NuqtaError('NUQTA_BAD_REQUEST', `reward "${reward.id}" issues no pool vouchers (its campaign file says voucher: { pool: true } for that)`);
      const codes = voucherCodesOf(request.body, 'body');
      const result = await nuqta.vouchers.upload(campaign.id, reward.id, codes, new Date());
      nuqta.logger.info({ campaignId: campaign.id, rewardId: reward.id, added: result.added }, 'voucher pool uploaded');
      return result;
    });

    app.get('/v1/campaigns/:id/members/:memberId/wallet', {
      config: { access: ['reader', 'reviewer'] },
      schema: { tags, params: memberParams, summary: 'The vouchers a member was issued, newest first (role reader)', response: { 200: z.object({ vouchers: z.array(voucherSchema) }) } },
    }, async (request) => {
      access.require(request, ['reader', 'reviewer'], request.params.id);
      nuqta.campaigns.get(request.params.id);
      return { vouchers: (await nuqta.vouchers.wallet(request.params.id, request.params.memberId)).map(voucherView) };
    });

    app.post('/v1/campaigns/:id/vouchers/:code/use', {
      config: { access: ['ingest'] },
      schema: { tags, params: codeParams, summary: 'Mark a voucher used at the till (role ingest); 409 when used, cancelled or expired', response: { 200: voucherSchema, 409: errorSchema } },
    }, async (request) => {
      access.require(request, ['ingest'], request.params.id);
      const { id, code } = request.params;
      const now = new Date();
      const before = await nuqta.vouchers.transition(id, code, ['issued'], 'used', now);
      if (before === 'unknown' || before === 'available') throw new NuqtaError('NUQTA_NOT_FOUND', `no issued voucher "${code}" in campaign "${id}"`);
      if (before !== 'issued') throw new NuqtaError('NUQTA_CONFLICT', `voucher ${code} is ${before}`, { status: before });
      await nuqta.vouchers.recordStatus(id, code, 'used', now);
      const voucher = await nuqta.vouchers.get(id, code);
      if (!voucher) throw new NuqtaError('NUQTA_NOT_FOUND', `no voucher "${code}" in campaign "${id}"`);
      return voucherView(voucher);
    });

    app.post('/v1/campaigns/:id/vouchers/:code/cancel', {
      config: { access: ['redeem'] },
      schema: { tags, params: codeParams, summary: 'Cancel an issued voucher and give its points back (role redeem); a repeat gets the same answer', response: { 200: cancellationSchema, 409: errorSchema } },
    }, async (request, reply) => {
      access.require(request, ['redeem'], request.params.id);
      const { id, code } = request.params;
      const voucher = await nuqta.vouchers.get(id, code);
      if (!voucher?.memberId) throw new NuqtaError('NUQTA_NOT_FOUND', `no issued voucher "${code}" in campaign "${id}"`);
      const answer = cancelResultSchema.parse(await nuqta.queue.runMemberTask(
        { kind: VOUCHER_CANCEL_TASK, campaignId: id, memberId: voucher.memberId, payload: { code } }, `voucher-cancel-${id}-${code}`, DECISION_TIMEOUT_MS,
      ));
      return answer.status === 200 ? reply.code(200).send(answer.body) : reply.code(409).send(answer.body);
    });
  };
}
