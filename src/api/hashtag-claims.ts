/**
 * `POST /v1/campaigns/:id/members/:memberId/hashtag-claims`: a follower
 * claims a post carrying the campaign's hashtag by its link, relayed by the
 * brand's app (role ingest, for the campaign). A claim nuqta can tie to the
 * post's author earns as the post itself; any other is unverified
 * (src/platforms/hashtag-claims.ts). Accepted once durably queued.
 */
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Nuqta } from '../app.js';
import { memberIdSchema, platformSchema } from '../domain/event.js';
import { claimedHashtagPost } from '../platforms/hashtag-claims.js';
import type { ApiAccess } from './auth.js';
import { campaignParams, errorSchema } from './schemas.js';

const claimSchema = z.object({ url: z.string().url().max(500) }).strict();
const claimedSchema = z.object({ eventKey: z.string(), verified: z.boolean(), mediaId: z.string().optional() });

export function hashtagClaimRoutes(nuqta: Nuqta, access: ApiAccess): FastifyPluginAsync {
  return async (plugin) => {
    const app = plugin.withTypeProvider<ZodTypeProvider>();
    app.post('/v1/campaigns/:id/members/:memberId/hashtag-claims', {
      config: { access: ['ingest'] },
      schema: {
        tags: ['events', 'members'],
        summary: 'A member claims a post with the campaign hashtag by its link (role ingest, for the campaign); verified when nuqta knows the member posted it',
        params: campaignParams.extend({ memberId: memberIdSchema }),
        body: claimSchema,
        response: { 202: claimedSchema, 400: errorSchema },
      },
    }, async (request, reply) => {
      access.require(request, ['ingest'], request.params.id);
      const { campaign } = nuqta.campaigns.get(request.params.id);
      const [platform = '', ...rest] = request.params.memberId.split(':');
      const event = await claimedHashtagPost(
        { candidateByPermalink: (permalink) => nuqta.pollState.candidateByPermalink(permalink), events: nuqta.events },
        { campaign, platform: platformSchema.parse(platform), platformUserId: rest.join(':'), url: request.body.url, now: new Date() },
      );
      nuqta.metrics.eventsReceived.inc({ source: 'api', platform: event.platform });
      await nuqta.queue.enqueue([event]);
      nuqta.metrics.eventsAccepted.inc({ source: 'api', platform: event.platform });
      return reply.code(202).send({ eventKey: event.eventKey, verified: event.verified, ...(event.target.mediaId === undefined ? {} : { mediaId: event.target.mediaId }) });
    });
  };
}
