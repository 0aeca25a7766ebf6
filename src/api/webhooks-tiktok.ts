import type { FastifyPluginAsync } from 'fastify';
import type { Nuqta } from '../app.js';
import { NuqtaError } from '../errors.js';
import { stopForRemovedAuthorization } from '../platforms/accounts/account-alerts.js';
import { verifyTikTokSignature } from '../platforms/tiktok/signature.js';
import { parseTikTokWebhook } from '../platforms/tiktok/webhook-payload.js';
import { acceptDelivery, keepRawJsonBody, parseJson, rawBodyOf } from './webhook-delivery.js';

/**
 * TikTok's webhook door: developer webhooks (authorization, posting) and the
 * business `comment.update` / `brand.mention.event` families, one signature scheme.
 */
export function tiktokWebhookRoutes(nuqta: Nuqta): FastifyPluginAsync {
  return async (app) => {
    keepRawJsonBody(app);
    app.post('/webhooks/tiktok', { config: { access: 'signed' }, schema: { tags: ['webhooks'], summary: 'TikTok webhooks (TikTok-Signature t=..,s=..)' } }, async (request, reply) => {
      const secret = nuqta.config.TIKTOK_CLIENT_SECRET;
      const raw = rawBodyOf(request);
      const header = request.headers['tiktok-signature'];
      if (secret === undefined) {
        nuqta.metrics.eventsRejected.inc({ source: 'webhook', reason: 'bad_signature' });
        throw new NuqtaError('NUQTA_BAD_SIGNATURE', 'TIKTOK_CLIENT_SECRET is not configured, so no TikTok signature can be checked');
      }
      const check = verifyTikTokSignature(raw, typeof header === 'string' ? header : undefined, secret);
      if (!check.ok) {
        nuqta.metrics.eventsRejected.inc({ source: 'webhook', reason: check.code === 'NUQTA_STALE_SIGNATURE' ? 'stale_signature' : 'bad_signature' });
        throw new NuqtaError(check.code, check.message);
      }
      const body = parseJson(raw);
      if (body === undefined) {
        nuqta.metrics.eventsRejected.inc({ source: 'webhook', reason: 'bad_payload' });
        throw new NuqtaError('NUQTA_BAD_PAYLOAD', 'the body is not JSON');
      }
      const parsed = parseTikTokWebhook(body, new Date());
      for (const notice of parsed.notices) {
        // The account's pollers stop on this notice; until an account is reconnected nothing more arrives from it.
        request.log.warn({ notice }, 'TikTok account notice');
        nuqta.metrics.accountNotices.inc({ platform: 'tiktok', kind: notice.kind });
        await stopForRemovedAuthorization(nuqta, { platform: 'tiktok', accountId: notice.accountId }, `authorization removed: ${notice.reason}`, new Date());
      }
      return reply.send(await acceptDelivery(nuqta, request, 'tiktok', parsed));
    });
  };
}
