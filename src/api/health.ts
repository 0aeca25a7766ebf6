import type { FastifyPluginAsync } from 'fastify';
import type { Nuqta } from '../app.js';
import type { ApiAccess } from './auth.js';
import { accountsReadiness, gaugeStoppedAccounts } from '../platforms/accounts/account-alerts.js';
import { gaugeReviewQueue } from '../review/queue-gauges.js';

type Check = 'up' | 'down';

export function healthRoutes(nuqta: Nuqta, access: ApiAccess): FastifyPluginAsync {
  return async (app) => {
    app.get('/healthz', { config: { access: 'public' }, schema: { hide: true } }, async () => ({ status: 'ok' }));

    app.get('/readyz', { config: { access: 'public' }, schema: { hide: true } }, async (_request, reply) => {
      const [redis, mongodb, accounts] = await Promise.all([
        nuqta.redis.ping().then((): Check => 'up', (): Check => 'down'),
        nuqta.db.command({ ping: 1 }).then((): Check => 'up', (): Check => 'down'),
        // Paused accounts are listed for operators; they do not make nuqta unready.
        accountsReadiness(nuqta.accounts, new Date()),
      ]);
      const checks = { redis, mongodb };
      const down = Object.entries(checks).filter(([, state]) => state === 'down').map(([name]) => name);
      return reply.code(down.length === 0 ? 200 : 503).send({ status: down.length === 0 ? 'ready' : 'not_ready', checks, down, ...(accounts === undefined ? {} : { accounts }) });
    });

    // Per-campaign figures of every campaign: an unscoped metrics (or admin) key.
    app.get('/metrics', { config: { access: ['metrics'] }, schema: { hide: true } }, async (request, reply) => {
      access.require(request, ['metrics'], 'all');
      const depth = await nuqta.queue.depth().catch(() => undefined);
      for (const [state, count] of Object.entries(depth ?? {})) nuqta.metrics.queueDepth.set({ state }, count);
      await gaugeStoppedAccounts(nuqta.metrics, nuqta.accounts);
      await gaugeReviewQueue(nuqta.metrics, nuqta.flags, nuqta.campaigns.all.map((loaded) => loaded.campaign.id), new Date());
      return reply.type(nuqta.metrics.registry.contentType).send(await nuqta.metrics.registry.metrics());
    });
  };
}
