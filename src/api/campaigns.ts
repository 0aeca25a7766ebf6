import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Nuqta } from '../app.js';
import type { LoadedCampaign } from '../config/campaign-loader.js';
import { assertCanRead, roleOf } from './auth.js';
import { boardOf, boardRows, boardRowSchema, windowQuery } from './board-rows.js';
import { campaignKpis } from './campaign-kpis.js';
import { campaignParams } from './schemas.js';

const leaderboardQuery = windowQuery.extend({
  limit: z.coerce.number().int().min(1).max(100).optional(),
});

function summary({ campaign }: LoadedCampaign) {
  return {
    id: campaign.id,
    name: campaign.name,
    timezone: campaign.timezone,
    startsAt: campaign.starts_at.toISOString(),
    endsAt: campaign.ends_at.toISOString(),
    hashtags: campaign.hashtags,
  };
}

export function campaignRoutes(nuqta: Nuqta): FastifyPluginAsync {
  return async (plugin) => {
    const app = plugin.withTypeProvider<ZodTypeProvider>();

    app.get('/v1/campaigns', { schema: { tags: ['campaigns'], summary: 'Campaigns this nuqta runs' } }, async () => ({
      campaigns: nuqta.campaigns.all.map(summary),
    }));

    app.get('/v1/campaigns/:id', { schema: { tags: ['campaigns'], params: campaignParams, summary: 'A campaign; KPIs with an admin key' } }, async (request) => {
      const loaded = nuqta.campaigns.get(request.params.id);
      const { campaign } = loaded;
      const isAdmin = roleOf(nuqta.config.NUQTA_API_KEYS, request) === 'admin';
      return {
        ...summary(loaded),
        revision: loaded.revision,
        rules: campaign.rules.map((rule) => ({ id: rule.id, on: rule.on, points: rule.points, acceptUnverified: rule.accept_unverified })),
        rewards: campaign.rewards.map((reward) => ({ id: reward.id, name: reward.name, cost: reward.cost, value: reward.value ?? null })),
        tiers: campaign.tiers,
        leaderboards: campaign.leaderboards,
        ...(isAdmin ? { kpis: await campaignKpis(nuqta, campaign.id) } : {}),
      };
    });

    app.get('/v1/campaigns/:id/leaderboard', {
      schema: {
        tags: ['leaderboards'], params: campaignParams, querystring: leaderboardQuery,
        response: { 200: z.object({ campaignId: z.string(), window: z.string(), board: z.string(), entries: z.array(boardRowSchema) }) },
      },
    }, async (request) => {
      const loaded = nuqta.campaigns.get(request.params.id);
      assertCanRead(nuqta.config.NUQTA_API_KEYS, request, loaded);
      const { campaign } = loaded;
      const board = boardOf(loaded, request.query.window, request.query.at ?? new Date());
      const ranked = await nuqta.leaderboard.top(campaign.id, board, request.query.limit ?? campaign.leaderboards.top);
      return { campaignId: campaign.id, window: request.query.window, board, entries: boardRows(loaded, ranked) };
    });
  };
}
