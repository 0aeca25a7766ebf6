import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Nuqta } from '../app.js';
import type { LoadedCampaign } from '../config/campaign-loader.js';
import { pauseAt } from '../config/campaign-schema.js';
import type { ApiAccess } from './auth.js';
import { boardOf, boardRows, boardRowSchema, windowQuery } from './board-rows.js';
import { BoardCache } from './board-cache.js';
import { campaignKpis } from './campaign-kpis.js';
import { publicReadLimit } from './rate-limits.js';
import { campaignParams, errorSchema, localizedSchema } from './schemas.js';

const leaderboardQuery = windowQuery.extend({
  limit: z.coerce.number().int().min(1).max(100).optional(),
});

const summarySchema = z.object({
  id: z.string(),
  name: localizedSchema,
  timezone: z.string(),
  startsAt: z.string(),
  endsAt: z.string(),
  hashtags: z.array(z.string()),
});

export const kpisSchema = z.object({
  participants: z.number().int(),
  pointsIssued: z.number().int(),
  pointsRedeemed: z.number().int(),
  rewardsRedeemed: z.number().int(),
  pointsExpired: z.number().int(),
  pointsReversed: z.number().int(),
  redemptionRate: z.number(),
  flaggedShare: z.number(),
});

const detailSchema = summarySchema.extend({
  revision: z.string(),
  /** The revision's number in the campaign's history (GET /v1/campaigns/:id/revisions). */
  revisionNumber: z.number().int().nullable(),
  /** Since when the campaign is paused, or null. */
  pausedSince: z.string().nullable(),
  archived: z.boolean(),
  rules: z.array(z.object({ id: z.string(), on: z.string(), points: z.number().int(), acceptUnverified: z.boolean() })),
  rewards: z.array(z.object({ id: z.string(), name: localizedSchema, cost: z.number().int(), value: z.unknown() })),
  tiers: z.array(z.record(z.unknown())),
  leaderboards: z.object({ windows: z.array(z.string()), top: z.number().int(), anonymize: z.boolean(), public: z.boolean() }),
  kpis: kpisSchema.optional(),
});

function summary({ campaign }: LoadedCampaign): z.infer<typeof summarySchema> {
  return {
    id: campaign.id,
    name: campaign.name,
    timezone: campaign.timezone,
    startsAt: campaign.starts_at.toISOString(),
    endsAt: campaign.ends_at.toISOString(),
    hashtags: campaign.hashtags,
  };
}

export function campaignRoutes(nuqta: Nuqta, access: ApiAccess): FastifyPluginAsync {
  const boards = new BoardCache<z.infer<typeof boardRowSchema>[]>();
  const config = { ...publicReadLimit(nuqta), access: 'public' } as const;
  return async (plugin) => {
    const app = plugin.withTypeProvider<ZodTypeProvider>();

    app.get('/v1/campaigns', { config, schema: { tags: ['campaigns'], summary: 'Campaigns with public boards, and those the key may read', response: { 200: z.object({ campaigns: z.array(summarySchema) }) } } }, async (request) => ({
      campaigns: nuqta.campaigns.all.filter(({ campaign }) => campaign.leaderboards.public || access.mayReadMembers(request, campaign.id)).map(summary),
    }));

    app.get('/v1/campaigns/:id', {
      config,
      schema: {
        tags: ['campaigns'], params: campaignParams,
        summary: 'A campaign (as private as its boards); KPIs with an admin key for it',
        response: { 200: detailSchema, 400: errorSchema, 401: errorSchema, 403: errorSchema, 404: errorSchema },
      },
    }, async (request) => {
      const loaded = nuqta.campaigns.get(request.params.id);
      access.assertCanRead(request, loaded);
      const { campaign } = loaded;
      const isAdmin = access.keyOf(request)?.role === 'admin' && access.mayReadMembers(request, campaign.id);
      return {
        ...summary(loaded),
        revision: loaded.revision,
        revisionNumber: loaded.n ?? null,
        pausedSince: pauseAt(campaign, new Date())?.from.toISOString() ?? null,
        archived: nuqta.campaigns.isArchived(campaign.id),
        rules: campaign.rules.map((rule) => ({ id: rule.id, on: rule.on, points: rule.points, acceptUnverified: rule.accept_unverified })),
        rewards: campaign.rewards.map((reward) => ({ id: reward.id, name: reward.name, cost: reward.cost, value: reward.value ?? null })),
        tiers: campaign.tiers,
        leaderboards: campaign.leaderboards,
        ...(isAdmin ? { kpis: await campaignKpis(nuqta, campaign.id) } : {}),
      };
    });

    app.get('/v1/campaigns/:id/leaderboard', {
      config,
      schema: {
        tags: ['leaderboards'], params: campaignParams, querystring: leaderboardQuery,
        response: {
          200: z.object({ campaignId: z.string(), window: z.string(), board: z.string(), entries: z.array(boardRowSchema) }),
          400: errorSchema, 401: errorSchema, 403: errorSchema, 404: errorSchema,
        },
      },
    }, async (request) => {
      const loaded = nuqta.campaigns.get(request.params.id);
      access.assertCanRead(request, loaded);
      const { campaign } = loaded;
      const board = boardOf(loaded, request.query.window, request.query.at ?? new Date());
      const limit = request.query.limit ?? campaign.leaderboards.top;
      const reader = access.rowReader(request, campaign.id);
      const load = async (): Promise<z.infer<typeof boardRowSchema>[]> => boardRows(loaded, await nuqta.leaderboard.top(campaign.id, board, limit), reader);
      // The public crowd shares a page a second old; a key reads the board as it stands.
      const entries = access.keyOf(request) === undefined ? await boards.read(`${campaign.id}|${board}|${limit}`, load) : await load();
      return { campaignId: campaign.id, window: request.query.window, board, entries };
    });
  };
}
