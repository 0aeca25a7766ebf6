/**
 * The brand's dashboard in one read (admin key for the campaign): the KPIs,
 * engagement per hour, top posts, connected accounts' health, and the
 * webhook deliveries this process refused since it started.
 */
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Nuqta } from '../app.js';
import type { ApiAccess } from './auth.js';
import { accountsHealth, foldActivity } from './campaign-activity.js';
import { campaignKpis } from './campaign-kpis.js';
import { kpisSchema } from './campaigns.js';
import { campaignParams, errorSchema } from './schemas.js';

const dashboardSchema = z.object({
  campaignId: z.string(),
  kpis: kpisSchema,
  eventsPerHour: z.object({ hours: z.array(z.number().int()).describe('hour starts, epoch seconds (UTC)'), events: z.array(z.number().int()) }),
  topPosts: z.array(z.object({ mediaId: z.string(), engagements: z.number().int(), comments: z.number().int() })),
  accounts: z.array(z.object({
    platform: z.string(),
    accountId: z.string(),
    connected: z.boolean(),
    status: z.string().nullable(),
    username: z.string().nullable(),
    tokenExpiresAt: z.string().nullable(),
    budgetLeftPercent: z.number().nullable(),
    lastPoll: z.object({ at: z.string(), outcome: z.string(), events: z.number().int() }).nullable(),
    pausedFor: z.string().nullable(),
  })),
  webhookRejects: z.array(z.object({ reason: z.string(), count: z.number().int() })).describe('since this process started'),
});

export function dashboardRoutes(nuqta: Nuqta, access: ApiAccess): FastifyPluginAsync {
  return async (plugin) => {
    const app = plugin.withTypeProvider<ZodTypeProvider>();
    app.get('/v1/campaigns/:id/dashboard', {
      config: { access: ['admin'] },
      schema: {
        tags: ['campaigns'],
        summary: 'The campaign dashboard (role admin): KPIs, engagement per hour, top posts, accounts\' health, webhook rejects',
        params: campaignParams,
        response: { 200: dashboardSchema, 404: errorSchema },
      },
    }, async (request) => {
      access.require(request, ['admin'], request.params.id);
      const { campaign } = nuqta.campaigns.get(request.params.id);
      const [kpis, activity, connected, rejected] = await Promise.all([
        campaignKpis(nuqta, campaign.id),
        foldActivity(nuqta.events.activityOf(campaign)),
        nuqta.accounts.list(),
        nuqta.metrics.eventsRejected.get(),
      ]);
      return {
        campaignId: campaign.id,
        kpis,
        eventsPerHour: { hours: activity.hours, events: activity.events },
        topPosts: activity.topPosts,
        accounts: accountsHealth(campaign, connected),
        webhookRejects: rejected.values
          .filter((value) => value.labels.source === 'webhook')
          .map((value) => ({ reason: String(value.labels.reason ?? 'unknown'), count: value.value })),
      };
    });
  };
}
