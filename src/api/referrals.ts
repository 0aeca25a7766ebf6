/**
 * Referral and influencer codes (role admin): a brand makes codes for
 * influencers, gets each member's own code to share, lists them with their
 * uses and deep links, and reads the attribution report. Orders redeem codes
 * through `POST /v1/events` (kind `purchase`, role ingest).
 */
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Nuqta } from '../app.js';
import type { Campaign } from '../config/campaign-schema.js';
import { memberIdSchema, referralCodeSchema } from '../domain/event.js';
import { NuqtaError } from '../errors.js';
import { referralReport } from '../scoring/order-points.js';
import { linkOf, programOf, type ReferralCode } from '../referrals/codes.js';
import type { ApiAccess } from './auth.js';
import { namedMember } from './member-link-routes.js';
import { campaignParams, errorSchema, memberParams } from './schemas.js';

const tags = ['referrals'];
const instant = z.string().datetime({ offset: true, message: 'must be an ISO 8601 date and time with a zone, such as 2027-03-01T00:00:00+03:00' }).transform((value) => new Date(value));
const influencerSchema = z.object({ name: z.string().trim().min(1).max(100), handle: z.string().regex(/^@[A-Za-z0-9._]{1,64}$/, 'must be a handle such as @noura.style').optional() }).strict();

const codeBody = z.object({
  code: referralCodeSchema,
  program: z.string().min(1).max(64),
  /** Member codes: the member who shares it. */
  memberId: memberIdSchema.optional(),
  influencer: influencerSchema.optional(),
  validFrom: instant.optional(),
  validUntil: instant.optional(),
  maxUses: z.number().int().positive().optional(),
  maxUsesPerMember: z.number().int().positive().optional(),
}).strict();

const codeView = z.object({
  code: z.string(),
  program: z.string(),
  codes: z.enum(['member', 'influencer']),
  ownerId: z.string().nullable(),
  influencer: influencerSchema.nullable(),
  validFrom: z.string().nullable(),
  validUntil: z.string().nullable(),
  maxUses: z.number().int().nullable(),
  maxUsesPerMember: z.number().int(),
  uses: z.number().int(),
  link: z.string().nullable(),
  createdAt: z.string(),
});
type CodeView = z.infer<typeof codeView>;

const codeParams = campaignParams.extend({ code: referralCodeSchema });
const attribution = {
  uses: z.number().int(),
  buyers: z.number().int(),
  firstTimeBuyers: z.number().int(),
  revenue: z.array(z.object({ currency: z.string(), amount: z.number() })),
  points: z.object({ issued: z.number().int(), held: z.number().int() }),
  refused: z.record(z.number().int()),
  refunded: z.number().int(),
};
const reportSchema = z.object({
  campaignId: z.string(),
  codes: z.array(z.object({ code: z.string(), program: z.string(), ownerId: z.string().optional(), influencer: influencerSchema.optional(), ...attribution })),
  influencers: z.array(z.object({ influencer: influencerSchema, codes: z.array(z.string()), ...attribution })),
  total: z.object(attribution),
});

function viewOf(campaign: Campaign, code: ReferralCode, uses: number): CodeView {
  const program = campaign.referrals.find((candidate) => candidate.id === code.program);
  return {
    code: code.code, program: code.program, codes: program?.codes ?? (code.ownerId === undefined ? 'influencer' : 'member'),
    ownerId: code.ownerId ?? null, influencer: code.influencer ?? null,
    validFrom: code.validFrom?.toISOString() ?? null, validUntil: code.validUntil?.toISOString() ?? null,
    maxUses: code.maxUses ?? null, maxUsesPerMember: code.maxUsesPerMember, uses,
    link: (program && linkOf(program, code.code)) ?? null, createdAt: code.createdAt.toISOString(),
  };
}

export function referralRoutes(nuqta: Nuqta, access: ApiAccess): FastifyPluginAsync {
  const view = async (campaign: Campaign, code: ReferralCode): Promise<CodeView> =>
    viewOf(campaign, code, (await nuqta.referralCounters.usesOf(campaign.id, [code.code])).get(code.code) ?? 0);

  return async (plugin) => {
    const app = plugin.withTypeProvider<ZodTypeProvider>();

    app.post('/v1/campaigns/:id/referral-codes', {
      config: { access: ['admin'] },
      schema: {
        tags, params: campaignParams, body: codeBody,
        summary: 'Make a code for an influencer or a member (role admin); the same code asked for again is returned as it is',
        response: { 200: codeView, 201: codeView, 404: errorSchema, 409: errorSchema },
      },
    }, async (request, reply) => {
      access.require(request, ['admin'], request.params.id);
      const { campaign } = nuqta.campaigns.get(request.params.id);
      const { memberId, ...body } = request.body;
      if (memberId !== undefined) await namedMember(nuqta, access.publicIds, campaign.id, memberId);
      const { code, created } = await nuqta.referralCodes.create(campaign, { ...body, ownerId: memberId }, new Date());
      if (created) nuqta.logger.info({ campaignId: campaign.id, code: code.code, program: code.program }, 'referral code made');
      return reply.code(created ? 201 : 200).send(await view(campaign, code));
    });

    app.get('/v1/campaigns/:id/referral-codes', {
      config: { access: ['admin'] },
      schema: { tags, params: campaignParams, summary: 'The campaign\u2019s referral and influencer codes with their uses and links (role admin)', response: { 200: z.object({ codes: z.array(codeView) }) } },
    }, async (request) => {
      access.require(request, ['admin'], request.params.id);
      const { campaign } = nuqta.campaigns.get(request.params.id);
      const codes = await nuqta.referralCodes.list(campaign.id);
      const uses = await nuqta.referralCounters.usesOf(campaign.id, codes.map((code) => code.code));
      return { codes: codes.map((code) => viewOf(campaign, code, uses.get(code.code) ?? 0)) };
    });

    app.get('/v1/campaigns/:id/referral-codes/:code', {
      config: { access: ['admin'] },
      schema: { tags, params: codeParams, summary: 'One code with its uses and link (role admin)', response: { 200: codeView, 404: errorSchema } },
    }, async (request) => {
      access.require(request, ['admin'], request.params.id);
      const { campaign } = nuqta.campaigns.get(request.params.id);
      const code = await nuqta.referralCodes.get(campaign.id, request.params.code);
      if (!code) throw new NuqtaError('NUQTA_NOT_FOUND', `campaign "${campaign.id}" has no code ${request.params.code}`);
      return view(campaign, code);
    });

    app.post('/v1/campaigns/:id/referral-codes/:code/end', {
      config: { access: ['admin'] },
      schema: {
        tags, params: codeParams,
        summary: 'Stop a code working now (role admin): orders from now on earn nothing with it; what it earned stays',
        response: { 200: codeView, 404: errorSchema },
      },
    }, async (request) => {
      access.require(request, ['admin'], request.params.id);
      const { campaign } = nuqta.campaigns.get(request.params.id);
      const code = await nuqta.referralCodes.end(campaign.id, request.params.code, new Date());
      if (!code) throw new NuqtaError('NUQTA_NOT_FOUND', `campaign "${campaign.id}" has no code ${request.params.code}`);
      nuqta.logger.info({ campaignId: campaign.id, code: code.code }, 'referral code ended');
      return view(campaign, code);
    });

    app.post('/v1/campaigns/:id/members/:memberId/referral-code', {
      config: { access: ['admin'] },
      schema: {
        tags, params: memberParams,
        body: z.object({ program: z.string().min(1).max(64).optional() }).strict().nullish(),
        summary: 'The member\u2019s own code to share (role admin): made once, then always the same',
        response: { 200: codeView, 201: codeView, 404: errorSchema },
      },
    }, async (request, reply) => {
      access.require(request, ['admin'], request.params.id);
      const { campaign } = nuqta.campaigns.get(request.params.id);
      const programs = campaign.referrals.filter((program) => program.codes === 'member');
      const programId = request.body?.program ?? (programs.length === 1 ? programs[0]?.id : undefined);
      if (programId === undefined) {
        throw new NuqtaError('NUQTA_BAD_REQUEST', programs.length === 0 ? `campaign "${campaign.id}" has no referral program for member codes` : `campaign "${campaign.id}" has several member programs: name one (program)`);
      }
      programOf(campaign, programId);
      const member = await namedMember(nuqta, access.publicIds, campaign.id, request.params.memberId);
      const { code, created } = await nuqta.referralCodes.forMember(campaign, programId, member, new Date());
      return reply.code(created ? 201 : 200).send(await view(campaign, code));
    });

    app.get('/v1/campaigns/:id/referrals/report', {
      config: { access: ['admin'] },
      schema: {
        tags, params: campaignParams,
        summary: 'Attribution per code and influencer: uses, buyers, first-time buyers, revenue, points issued and held (role admin)',
        response: { 200: reportSchema },
      },
    }, async (request) => {
      access.require(request, ['admin'], request.params.id);
      const { campaign } = nuqta.campaigns.get(request.params.id);
      return { campaignId: campaign.id, ...(await referralReport(nuqta, campaign.id)) };
    });
  };
}
