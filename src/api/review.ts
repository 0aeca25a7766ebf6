import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Nuqta } from '../app.js';
import { NuqtaError } from '../errors.js';
import { queueDecision } from '../review/decide-flag.js';
import { evidenceFor } from '../review/evidence.js';
import { FLAG_STATUSES, REVIEW_DECISIONS, type Flag, type ReviewDecision, flagStatusAfter } from '../review/flags.js';
import { fraudSignalCodeSchema } from '../scoring/fraud/index.js';
import type { ApiKey } from '../config/api-keys.js';
import { campaignIdSchema } from '../config/campaign-schema.js';
import { memberIdSchema } from '../domain/event.js';
import { covers, type ApiAccess } from './auth.js';
import { decodeCursor, encodeCursor, evidenceSchema, evidenceView, flagSchema, flagView } from './review-views.js';
import { errorSchema } from './schemas.js';

const WAVE_ID = /^[0-9a-f]{24}$/;

/** How long a decision request waits for the member's partition to apply it before answering 202. */
const DECISION_WAIT_MS = 10_000;
const POLL_MS = 100;

const flagListQuery = z.object({
  campaign: campaignIdSchema.optional(),
  /** `held` reads as `open` (the held awards waiting for a reviewer); `all` lists every status. */
  status: z.enum([...FLAG_STATUSES, 'held', 'all']).default('open'),
  reason: fraudSignalCodeSchema.optional(),
  member: memberIdSchema.optional(),
  /** The flags of one stock-text wave (a flag's `wave.id`). */
  wave: z.string().regex(WAVE_ID).optional(),
  /** The `nextCursor` of the previous page. */
  cursor: z.string().max(500).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});
/** A flag is `campaign|eventKey`. */
const flagIdSchema = z.string().regex(/^[a-z0-9][a-z0-9_-]{0,63}\|(instagram|tiktok):[a-z_]+:[\x21-\x7e]{1,256}$/, 'must be a flag id: campaign|eventKey');
const flagParams = z.object({ id: flagIdSchema });
const waveParams = z.object({ id: z.string().regex(WAVE_ID, 'must be a wave id (a flag’s wave.id)') });
/** How many open flags of one wave one decision request settles; a bigger wave takes another request. */
const WAVE_DECISION_LIMIT = 500;
const decisionBody = z.object({ decision: z.enum(REVIEW_DECISIONS), note: z.string().max(2000).optional() }).strict();
const bulkBody = z.object({ decisions: z.array(decisionBody.extend({ flagId: flagIdSchema })).min(1).max(100) }).strict();
const decisionReply = z.object({ status: z.enum(['decided', 'queued']), flag: flagSchema });
const bulkOutcome = z.enum(['decided', 'queued', 'conflict', 'not_found', 'forbidden']);

type Outcome = z.infer<typeof bulkOutcome>;

export function reviewRoutes(nuqta: Nuqta, access: ApiAccess): FastifyPluginAsync {
  /** Queues the decision on an open flag and waits for it; a decided flag answers at once. */
  async function decide(flagId: string, decision: ReviewDecision, note: string | undefined, key: ApiKey): Promise<{ outcome: Outcome; flag: Flag | null }> {
    const flag = await nuqta.flags.get(flagId);
    if (!flag) return { outcome: 'not_found', flag: null };
    if (!covers(key, flag.campaignId)) return { outcome: 'forbidden', flag: null };
    if (flag.status !== 'open') return { outcome: outcomeOf(flag, decision), flag };
    await queueDecision(nuqta.queue, flag, { flagId, decision, by: access.actorOf(key), ...(note === undefined ? {} : { note }) });
    return { outcome: 'queued', flag };
  }

  /** The flag, for a reviewer key of its campaign. */
  async function flagFor(request: FastifyRequest, flagId: string): Promise<{ flag: Flag; key: ApiKey }> {
    access.require(request, ['reviewer']);
    const flag = await nuqta.flags.get(flagId);
    if (!flag) throw new NuqtaError('NUQTA_NOT_FOUND', `no review flag "${flagId}"`);
    return { flag, key: access.require(request, ['reviewer'], flag.campaignId) };
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
      const { campaign, status, reason, member, wave, cursor, limit } = request.query;
      const key = access.require(request, ['reviewer'], campaign);
      if (campaign !== undefined) nuqta.campaigns.get(campaign);
      const campaignIds = campaign === undefined ? key.campaigns : [campaign];
      const flags = await nuqta.flags.list({
        ...(campaignIds === undefined ? {} : { campaignIds }),
        ...(status === 'all' ? {} : { status: status === 'held' ? 'open' : status }),
        ...(reason === undefined ? {} : { reason }),
        ...(member === undefined ? {} : { memberId: member }),
        ...(wave === undefined ? {} : { waveId: wave }),
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
      const { flag } = await flagFor(request, request.params.id);
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
      const { key } = await flagFor(request, request.params.id);
      const { decision, note } = request.body;
      const [result] = await settled([await decide(request.params.id, decision, note, key)], [decision]);
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
      const key = access.require(request, ['reviewer']);
      const { decisions } = request.body;
      const queued: { outcome: Outcome; flag: Flag | null }[] = [];
      for (const item of decisions) queued.push(await decide(item.flagId, item.decision, item.note, key));
      const results = await settled(queued, decisions.map((item) => item.decision));
      return { results: results.map((result, index) => ({ flagId: decisions[index]?.flagId ?? '', outcome: result.outcome, flag: result.flag && flagView(result.flag) })) };
    });

    app.post('/v1/review/waves/:id/decision', {
      config: { access: ['reviewer'] },
      schema: {
        tags, summary: 'Approve or reject every open flag of one stock-text wave in one action (role reviewer); each flag gets its own outcome',
        params: waveParams, body: decisionBody,
        response: {
          200: z.object({ waveId: z.string(), results: z.array(z.object({ flagId: z.string(), outcome: bulkOutcome, flag: flagSchema.nullable() })) }),
          404: errorSchema,
        },
      },
    }, async (request) => {
      const key = access.require(request, ['reviewer']);
      const waveId = request.params.id;
      const { decision, note } = request.body;
      const flags = await nuqta.flags.list({ waveId, status: 'open', ...(key.campaigns === undefined ? {} : { campaignIds: key.campaigns }), limit: WAVE_DECISION_LIMIT });
      if (flags.length === 0) throw new NuqtaError('NUQTA_NOT_FOUND', `no open review flag in wave "${waveId}"`);
      const queued: { outcome: Outcome; flag: Flag | null }[] = [];
      for (const flag of flags) queued.push(await decide(flag.id, decision, note, key));
      const results = await settled(queued, flags.map(() => decision));
      return { waveId, results: results.map((result, index) => ({ flagId: flags[index]?.id ?? '', outcome: result.outcome, flag: result.flag && flagView(result.flag) })) };
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
