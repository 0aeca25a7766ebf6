import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Nuqta } from '../app.js';
import { NuqtaError } from '../errors.js';
import type { LoadedCampaign } from '../config/campaign-loader.js';
import { displayNameOf } from '../leaderboard/display-name.js';
import type { RankedMember } from '../leaderboard/leaderboard-index.js';
import { boardId, parseWindow } from '../leaderboard/windows.js';
import { assertRole, roleOf } from './auth.js';
import { campaignKpis } from './campaign-kpis.js';

const campaignParams = z.object({ id: z.string().min(1) });
const memberParams = campaignParams.extend({ memberId: z.string().min(1) });
const localized = z.object({ en: z.string(), ar: z.string() });
const displayName = localized.extend({ pseudonym: z.boolean() });
const leaderboardQuery = z.object({
  window: z.string().regex(/^(all|week|month|challenge:[a-z0-9_-]+)$/, 'must be all, week, month or challenge:<id>').default('all'),
  /** Any instant inside the week or month wanted; default now. */
  at: z.coerce.date().optional(),
  limit: z.coerce.number().int().min(1).max(100).optional(),
});
const leaderboardRow = z.object({ rank: z.number().int(), memberId: z.string(), displayName, points: z.number().int() });

/** Leaderboards and member views are public when the campaign says so; otherwise they need a key. */
function assertCanRead(nuqta: Nuqta, request: FastifyRequest, loaded: LoadedCampaign): void {
  if (!loaded.campaign.leaderboards.public) assertRole(nuqta.config.NUQTA_API_KEYS, request, ['reader', 'reviewer']);
}

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
  async function rows(loaded: LoadedCampaign, ranked: readonly RankedMember[]) {
    const { campaign } = loaded;
    const members = new Map((await nuqta.members.getMany(campaign.id, ranked.map((r) => r.memberId))).map((m) => [m.memberId, m]));
    return ranked.map((row) => {
      const member = members.get(row.memberId);
      return {
        ...row,
        displayName: displayNameOf({ campaignId: campaign.id, memberId: row.memberId, username: member?.username, hideName: member?.hideName ?? false, anonymize: campaign.leaderboards.anonymize }),
      };
    });
  }

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
        response: { 200: z.object({ campaignId: z.string(), window: z.string(), board: z.string(), entries: z.array(leaderboardRow) }) },
      },
    }, async (request) => {
      const loaded = nuqta.campaigns.get(request.params.id);
      assertCanRead(nuqta, request, loaded);
      const { campaign } = loaded;
      const window = request.query.window === 'all' ? { kind: 'all' as const } : parseWindow(request.query.window, campaign);
      if (!window) throw new NuqtaError('NUQTA_NOT_FOUND', `campaign "${campaign.id}" has no ${request.query.window} leaderboard`);
      const board = boardId(window, request.query.at ?? new Date(), campaign.timezone);
      const ranked = await nuqta.leaderboard.top(campaign.id, board, request.query.limit ?? campaign.leaderboards.top);
      return { campaignId: campaign.id, window: request.query.window, board, entries: await rows(loaded, ranked) };
    });

    app.get('/v1/campaigns/:id/members/:memberId', { schema: { tags: ['members'], params: memberParams } }, async (request) => {
      const loaded = nuqta.campaigns.get(request.params.id);
      assertCanRead(nuqta, request, loaded);
      const { campaign } = loaded;
      const member = await nuqta.members.get(campaign.id, request.params.memberId);
      if (!member) throw new NuqtaError('NUQTA_MEMBER_NOT_FOUND', `no member "${request.params.memberId}" in campaign "${campaign.id}"`);
      const rank = await nuqta.leaderboard.rankOf(campaign.id, 'all', member.memberId);
      return {
        campaignId: campaign.id,
        memberId: member.memberId,
        displayName: displayNameOf({ campaignId: campaign.id, memberId: member.memberId, username: member.username, hideName: member.hideName, anonymize: campaign.leaderboards.anonymize }),
        balance: member.balance,
        earned: member.earned,
        rank: rank?.rank ?? null,
      };
    });
  };
}
