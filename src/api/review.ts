import { randomBytes } from 'node:crypto';
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Nuqta } from '../app.js';
import { NuqtaError } from '../errors.js';
import { queueDecision } from '../review/decide-flag.js';
import { evidenceFor } from '../review/evidence.js';
import { FLAG_STATUSES, REVIEW_DECISIONS, type Flag, type ReviewDecision, flagStatusAfter } from '../review/flags.js';
import { reconsiderAfterUnblock } from '../review/unblock.js';
import { fraudSignalCodeSchema } from '../scoring/fraud/index.js';
import { inScope, scopeOf, type ApiAccess, type CampaignScope } from './auth.js';
import { campaignIdSchema } from '../config/campaign-schema.js';
import { memberIdSchema } from '../domain/event.js';
import { blockSchema, blockView, decodeCursor, encodeCursor, evidenceSchema, evidenceView, flagSchema, flagView } from './review-views.js';
import { errorSchema } from './schemas.js';

/** How long a decision request waits for the member's partition to apply it before answering 202. */
const DECISION_WAIT_MS = 10_000;
const POLL_MS = 100;

const flagListQuery = z.object({
  campaign: campaignIdSchema.optional(),
  /** `held` reads as `open` (the held awards waiting for a reviewer); `all` lists every status. */
  status: z.enum([...FLAG_STATUSES, 'held', 'all']).default('open'),
  reason: fraudSignalCodeSchema.optional(),
  member: memberIdSchema.optional(),
  /** The `nextCursor` of the previous page. */
  cursor: z.string().max(500).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});
/** A flag is `campaign|eventKey`. */
const flagIdSchema = z.string().regex(/^[a-z0-9][a-z0-9_-]{0,63}\|(instagram|tiktok):[a-z_]+:[\x21-\x7e]{1,256}$/, 'must be a flag id: campaign|eventKey');
const flagParams = z.object({ id: flagIdSchema });
const decisionBody = z.object({ decision: z.enum(REVIEW_DECISIONS), note: z.string().max(2000).optional() }).strict();
const bulkBody = z.object({ decisions: z.array(decisionBody.extend({ flagId: flagIdSchema })).min(1).max(100) }).strict();
const decisionReply = z.object({ status: z.enum(['decided', 'queued']), flag: flagSchema });
const bulkOutcome = z.enum(['decided', 'queued', 'conflict', 'not_found', 'forbidden']);
const blockBody = z.object({ memberId: memberIdSchema, campaignId: campaignIdSchema.optional(), note: z.string().max(2000).optional() }).strict();
const blockReply = z.object({ block: blockSchema, created: z.boolean() });

type Outcome = z.infer<typeof bulkOutcome>;

export function reviewRoutes(nuqta: Nuqta, access: ApiAccess): FastifyPluginAsync {
  /** Queues the decision on an open flag and waits for it; a decided flag answers at once. */
  async function decide(flagId: string, decision: ReviewDecision, note: string | undefined, by: string, scope: CampaignScope): Promise<{ outcome: Outcome; flag: Flag | null }> {
    const flag = await nuqta.flags.get(flagId);
    if (!flag) return { outcome: 'not_found', flag: null };
    if (!inScope(scope, flag.campaignId)) return { outcome: 'forbidden', flag: null };
    if (flag.status !== 'open') return { outcome: outcomeOf(flag, decision), flag };
    await queueDecision(nuqta.queue, flag, { flagId, decision, by, ...(note === undefined ? {} : { note }) });
    return { outcome: 'queued', flag };
  }

  /** The flag, for a reviewer key of its campaign. */
  async function flagFor(request: FastifyRequest, flagId: string): Promise<Flag> {
    access.require(request, ['reviewer']);
    const flag = await nuqta.flags.get(flagId);
    if (!flag) throw new NuqtaError('NUQTA_NOT_FOUND', `no review flag "${flagId}"`);
    access.require(request, ['reviewer'], flag.campaignId);
    return flag;
  }

  async function settled(results: { outcome: Outcome; flag: Flag | null }[], decisions: readonly ReviewDecision[]): Promise<{ outcome: Outcome; flag: Flag | null }[]> {
    const deadline = Date.now() + DECISION_WAIT_MS;
    const current = [...results];
    for (;;) {
      const waiting = current.map((result, index) => ({ result, index })).filter(({ result }) => result.outcome === 'queued');
      if (waiting.length === 0 || Date.now() >= deadline) return current;
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
      for (const { result, index } of waiting) {
        const flag = result.flag && (await nuqta.flags.get(result.flag.id));
        const decision = decisions[index];
        if (flag && flag.status !== 'open' && decision) current[index] = { outcome: outcomeOf(flag, decision), flag };
      }
    }
  }

  return async (plugin) => {
    const app = plugin.withTypeProvider<ZodTypeProvider>();
    const tags = ['review'];

    app.get('/v1/review/flags', {
      config: { access: ['reviewer'] },
      schema: { tags, summary: 'Review flags, oldest first (role reviewer)', querystring: flagListQuery, response: { 200: z.object({ flags: z.array(flagSchema), nextCursor: z.string().nullable() }), 400: errorSchema } },
    }, async (request) => {
      const { campaign, status, reason, member, cursor, limit } = request.query;
      const key = access.require(request, ['reviewer'], campaign);
      if (campaign !== undefined) nuqta.campaigns.get(campaign);
      const campaignIds = campaign === undefined ? key.campaigns : [campaign];
      const flags = await nuqta.flags.list({
        ...(campaignIds === undefined ? {} : { campaignIds }),
        ...(status === 'all' ? {} : { status: status === 'held' ? 'open' : status }),
        ...(reason === undefined ? {} : { reason }),
        ...(member === undefined ? {} : { memberId: member }),
        ...(cursor === undefined ? {} : { after: decodeCursor(cursor) }),
        limit,
      });
      const last = flags.at(-1);
      return { flags: flags.map(flagView), nextCursor: flags.length === limit && last ? encodeCursor(last) : null };
    });

    app.get('/v1/review/flags/:id', {
      config: { access: ['reviewer'] },
      schema: { tags, summary: 'A flag with its evidence (role reviewer)', params: flagParams, response: { 200: z.object({ flag: flagSchema, evidence: evidenceSchema }), 404: errorSchema } },
    }, async (request) => {
      const flag = await flagFor(request, request.params.id);
      const accounts = nuqta.campaigns.find(flag.campaignId)?.campaign.accounts;
      const accountIds = accounts ? [...accounts.instagram, ...accounts.tiktok] : [];
      return { flag: flagView(flag), evidence: evidenceView(await evidenceFor(nuqta, flag, accountIds)) };
    });

    app.post('/v1/review/flags/:id/decision', {
      config: { access: ['reviewer'] },
      schema: {
        tags, summary: 'Approve or reject a flag (role reviewer); repeating a decision is safe, changing one is a 409',
        params: flagParams, body: decisionBody, response: { 200: decisionReply, 202: decisionReply, 404: errorSchema, 409: errorSchema },
      },
    }, async (request, reply) => {
      await flagFor(request, request.params.id);
      const by = access.actor(request, ['reviewer']);
      const { decision, note } = request.body;
      const [result] = await settled([await decide(request.params.id, decision, note, by, 'all')], [decision]);
      if (!result?.flag) throw new NuqtaError('NUQTA_NOT_FOUND', `no review flag "${request.params.id}"`);
      if (result.outcome === 'conflict') throw conflict(result.flag, decision);
      return reply.code(result.outcome === 'queued' ? 202 : 200).send({ status: result.outcome === 'queued' ? 'queued' : 'decided', flag: flagView(result.flag) });
    });

    app.post('/v1/review/decisions', {
      config: { access: ['reviewer'] },
      schema: {
        tags, summary: 'Decide several flags at once (role reviewer); each gets its own outcome',
        body: bulkBody,
        response: { 200: z.object({ results: z.array(z.object({ flagId: z.string(), outcome: bulkOutcome, flag: flagSchema.nullable() })) }) },
      },
    }, async (request) => {
      const by = access.actor(request, ['reviewer']);
      const scope = scopeOf(access.require(request, ['reviewer']));
      const { decisions } = request.body;
      const queued: { outcome: Outcome; flag: Flag | null }[] = [];
      for (const item of decisions) queued.push(await decide(item.flagId, item.decision, item.note, by, scope));
      const results = await settled(queued, decisions.map((item) => item.decision));
      return { results: results.map((result, index) => ({ flagId: decisions[index]?.flagId ?? '', outcome: result.outcome, flag: result.flag && flagView(result.flag) })) };
    });

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

function outcomeOf(flag: Flag, decision: ReviewDecision): Outcome {
  return flag.status === flagStatusAfter(decision) ? 'decided' : 'conflict';
}

function conflict(flag: Flag, decision: ReviewDecision): NuqtaError {
  return new NuqtaError('NUQTA_CONFLICT', `flag "${flag.id}" is already ${flag.status}; it cannot also be ${decision === 'approve' ? 'approved' : 'rejected'}`, {
    status: flag.status,
    decidedBy: flag.decision?.by ?? null,
  });
}
