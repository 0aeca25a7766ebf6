/**
 * src/api/web owns the pages people open: the public leaderboard, a
 * follower's own page, the review console and the brand's dashboard, Arabic
 * first with an English switch. Pages read the same JSON API as everyone
 * else (or, for /me, the same views on the server); they never score, and
 * every asset (scripts, styles, the Arabic font, the chart library) is
 * served from here, never from the internet.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Nuqta } from '../../app.js';
import { campaignIdSchema } from '../../config/campaign-schema.js';
import { FRAUD_SIGNAL_CODES } from '../../scoring/fraud/index.js';
import type { ApiAccess } from '../auth.js';
import { publicReadLimit } from '../rate-limits.js';
import { dashboardPage, reviewPage } from './console-pages.js';
import { followerPage } from './follower-page.js';
import { leaderboardPage } from './leaderboard-page.js';
import { noticePage, type RenderedPage } from './layout.js';
import { langOf, type Lang } from './locale.js';
import { STRINGS } from './strings.js';

export const ASSETS_PREFIX = '/assets/';

const require = createRequire(import.meta.url);
const packageDir = (name: string): string => dirname(require.resolve(`${name}/package.json`));
/** Our scripts and styles, the font's files, uPlot's module and style: first match wins. */
const ASSET_ROOTS = [
  fileURLToPath(new URL('./assets/', import.meta.url)),
  join(packageDir('@fontsource/noto-sans-arabic'), 'files'),
  join(packageDir('uplot'), 'dist'),
];

const langQuery = z.object({ lang: z.enum(['ar', 'en']).optional() });
const hidden = { hide: true } as const;

/** Pages are never kept by a shared cache: a follower's page is theirs alone, and boards change by the second. */
function sendPage(reply: FastifyReply, page: RenderedPage): FastifyReply {
  return reply.code(page.status).type('text/html; charset=utf-8').header('cache-control', 'no-store').send(page.body);
}

function missingCampaign(lang: Lang, url: string): RenderedPage {
  const words = STRINGS[lang];
  return { status: 404, body: noticePage(lang, url.split('?')[0] ?? '/', words.campaignMissingTitle, words.campaignMissingBody) };
}

export function pageRoutes(nuqta: Nuqta, access: ApiAccess): FastifyPluginAsync {
  return async (plugin) => {
    await plugin.register(fastifyStatic, { root: ASSET_ROOTS, prefix: ASSETS_PREFIX, maxAge: '1h', index: false, list: false });
    const app = plugin.withTypeProvider<ZodTypeProvider>();
    const config = { ...publicReadLimit(nuqta), access: 'public' } as const;

    app.get('/leaderboard/:campaignId', { config, schema: { ...hidden, params: z.object({ campaignId: campaignIdSchema }), querystring: langQuery } }, async (request, reply) => {
      const lang = langOf(request.query);
      const loaded = nuqta.campaigns.find(request.params.campaignId);
      return sendPage(reply, loaded ? leaderboardPage(loaded, lang) : missingCampaign(lang, request.url));
    });

    app.get('/me/:token', { config, schema: { ...hidden, params: z.object({ token: z.string().max(400) }), querystring: langQuery } }, async (request, reply) => {
      return sendPage(reply, await followerPage(nuqta, access, request.params.token, langOf(request.query), new Date()));
    });

    app.get('/review', { config, schema: { ...hidden, querystring: langQuery } }, async (request, reply) =>
      sendPage(reply, { status: 200, body: reviewPage(FRAUD_SIGNAL_CODES, langOf(request.query)) }));

    app.get('/campaigns/:id', { config, schema: { ...hidden, params: z.object({ id: campaignIdSchema }), querystring: langQuery } }, async (request, reply) => {
      const lang = langOf(request.query);
      const loaded = nuqta.campaigns.find(request.params.id);
      return sendPage(reply, loaded ? { status: 200, body: dashboardPage(loaded, lang) } : missingCampaign(lang, request.url));
    });
  };
}
