import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Nuqta } from '../app.js';
import { NuqtaError } from '../errors.js';
import { requestErasure } from '../privacy/erase-member.js';
import { ERASURE_STEPS, type Erasure } from '../privacy/erasure-store.js';
import { exportMember } from '../privacy/export-member.js';
import type { ApiAccess } from './auth.js';
import { memberIdSchema } from '../domain/event.js';
import { errorSchema } from './schemas.js';

/** How long an erasure request waits for the member's partition to run it before answering 202. */
const ERASURE_WAIT_MS = 10_000;
const POLL_MS = 100;

const memberParams = z.object({ memberId: memberIdSchema });
const erasureSchema = z.object({
  erasureId: z.string(),
  status: z.enum(['queued', 'done']),
  requestedAt: z.string(),
  completedAt: z.string().nullable(),
  /** What the erasure changed, by store; all zero when there was nothing left to erase. */
  counts: z.object(Object.fromEntries(ERASURE_STEPS.map((step) => [step, z.number().int()]))).nullable(),
});
const records = z.array(z.record(z.unknown()));
const exportSchema = z.object({
  memberId: z.string(),
  exportedAt: z.string(),
  events: records,
  campaigns: records,
  flags: records,
  reviews: records,
  blocks: z.array(z.record(z.unknown())),
  redemptions: records,
  recentActivity: records,
  vouchers: records,
  referralCodes: records,
  referralOrders: records,
});

function erasureView(erasure: Erasure): z.infer<typeof erasureSchema> {
  return {
    erasureId: erasure.id,
    status: erasure.status,
    requestedAt: erasure.requestedAt.toISOString(),
    completedAt: erasure.completedAt?.toISOString() ?? null,
    counts: erasure.counts ?? null,
  };
}

/**
 * A person's rights over their data (role admin): erase everything personal
 * (the points stay, under an anonymous member), or export everything held.
 */
export function privacyRoutes(nuqta: Nuqta, access: ApiAccess): FastifyPluginAsync {
  return async (plugin) => {
    const app = plugin.withTypeProvider<ZodTypeProvider>();
    const tags = ['privacy'];

    // Request logs would carry the member id in the URL: these routes log only what they choose to.
    const quiet = { logLevel: 'warn' } as const;

    app.delete('/v1/members/:memberId', {
      config: { access: ['admin'] },
      ...quiet,
      schema: {
        tags, summary: 'Erase a member\u2019s personal data in every campaign (role admin); 202 while it is still queued',
        params: memberParams, response: { 200: erasureSchema, 202: erasureSchema, 400: errorSchema },
      },
    }, async (request, reply) => {
      access.require(request, ['admin'], 'all');
      const requested = await requestErasure(nuqta, request.params.memberId);
      nuqta.logger.info({ erasureId: requested.id }, 'member erasure requested');
      const deadline = Date.now() + ERASURE_WAIT_MS;
      let erasure = requested;
      while (erasure.status === 'queued' && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, POLL_MS));
        erasure = (await nuqta.erasures.get(requested.id)) ?? erasure;
      }
      return reply.code(erasure.status === 'done' ? 200 : 202).send(erasureView(erasure));
    });

    app.get('/v1/erasures/:erasureId', {
      config: { access: ['admin'] },
      schema: { tags, summary: 'How an erasure request stands (role admin)', params: z.object({ erasureId: z.string().min(1).max(100) }), response: { 200: erasureSchema, 404: errorSchema } },
    }, async (request) => {
      access.require(request, ['admin'], 'all');
      const erasure = await nuqta.erasures.get(request.params.erasureId);
      if (!erasure) throw new NuqtaError('NUQTA_NOT_FOUND', `no erasure "${request.params.erasureId}"`);
      return erasureView(erasure);
    });

    app.get('/v1/members/:memberId/export', {
      config: { access: ['admin'] },
      ...quiet,
      schema: { tags, summary: 'Everything held about a member, in every campaign (role admin)', params: memberParams, response: { 200: exportSchema } },
    }, async (request) => {
      access.require(request, ['admin'], 'all');
      // JSON turns the dates into ISO strings, as everywhere else in the API.
      return JSON.parse(JSON.stringify(await exportMember(nuqta, request.params.memberId, new Date()))) as z.infer<typeof exportSchema>;
    });
  };
}
