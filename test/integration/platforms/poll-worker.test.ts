import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectAccount } from '../../../src/platforms/accounts/connect.js';
import { PlatformHttp } from '../../../src/platforms/accounts/platform-call.js';
import { instagramSignatureOf } from '../../../src/platforms/instagram/signature.js';
import { postInstagramWebhook, STORE_ACCOUNT } from '../../helpers/instagram.js';
import { eventually, TEST_SECRETS } from '../../helpers/test-nuqta.js';
import { brandPlan, commentSpecs, IG_ACCOUNT, settledEntries, startBrandWorld, TOKEN, type BrandWorld } from './brand-world.js';

const MEDIA = '17900000000000201';
const COMMENTS = 12;
const plan = brandPlan(new Date(Date.now() - 60_000), { instagram: [MEDIA] }, commentSpecs('instagram', MEDIA, '188000000000000', COMMENTS, 5));

/**
 * The emulator does not serve `mentioned_comment` / `mentioned_media`; this
 * stands in for graph.facebook.com for the store account's mention lookups.
 */
async function startMentionsGraph(): Promise<{ app: FastifyInstance; url: string }> {
  const app = Fastify();
  app.get<{ Params: { id: string }; Querystring: { fields?: string } }>('/v21.0/:id', async (request, reply) => {
    const fields = request.query.fields ?? '';
    if (request.headers.authorization !== `Bearer ${TOKEN}`) return reply.code(400).send({ error: { message: 'Invalid OAuth access token', code: 190 } });
    if (fields.startsWith('mentioned_comment.comment_id(17894227972186120)')) {
      return {
        id: request.params.id,
        mentioned_comment: { id: '17894227972186120', text: '@thawb.style أحلى ثوب للعيد', timestamp: '2026-11-20T18:00:00+0000', from: { id: '17841005555550000', username: 'eid_fan' }, media: { id: '17918195224117851' } },
      };
    }
    // A caption mention: the API gives the poster's username only, no id.
    if (fields.startsWith('mentioned_media.media_id(17918195224117852)')) {
      return { id: request.params.id, mentioned_media: { id: '17918195224117852', caption: 'ثوبي الجديد من @thawb.style', timestamp: '2026-11-20T18:05:00+0000', username: 'caption_fan' } };
    }
    return reply.code(400).send({ error: { message: 'Unsupported get request', code: 100, error_subcode: 33 } });
  });
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  return { app, url };
}

let world: BrandWorld;
let graph: { app: FastifyInstance; url: string };

beforeAll(async () => {
  graph = await startMentionsGraph();
  // Instagram Login accounts read the emulator; Facebook Login ones the mentions stand-in.
  world = await startBrandWorld('poll_worker', plan, { env: { NUQTA_POLL_INTERVAL_SECONDS: '1', IG_GRAPH_URL: graph.url } });
});
afterAll(async () => {
  await world?.cleanup();
  await graph?.app.close();
});

describe('poll worker', () => {
  it('polls a newly connected account on its schedule, and re-polls an unchanged one for one call', async () => {
    const { nuqta } = world.app;
    const report = await connectAccount(
      { accounts: nuqta.accounts, polls: nuqta.polls, http: new PlatformHttp(), hosts: nuqta.config, clock: () => new Date() },
      { platform: 'instagram', accountId: IG_ACCOUNT, login: 'instagram_login', token: TOKEN },
    );
    expect(report.subscribedNow).toEqual(['comments']);
    const entries = await settledEntries(world.app, COMMENTS, (entry) => entry.ruleId === 'comment');
    expect(new Set(entries.map((entry) => entry.eventKey)).size).toBe(COMMENTS);
    await eventually(async () => (world.emulator.requestCount({ endpoint: 'instagram.media', accountId: IG_ACCOUNT }) >= 3 ? true : undefined), 15_000, 'three scheduled polls');
    expect(world.emulator.requestCount({ endpoint: 'instagram.comments', accountId: IG_ACCOUNT })).toBe(1);
    expect((await nuqta.accounts.get({ platform: 'instagram', accountId: IG_ACCOUNT }))?.lastPoll).toMatchObject({ outcome: 'polled', events: 0 });
  });

  it('looks up the author of a mention webhook and records the mention with its eventKey', async () => {
    await world.app.nuqta.accounts.save({ platform: 'instagram', accountId: STORE_ACCOUNT, login: 'facebook_login', token: TOKEN }, new Date());
    const body = JSON.stringify({
      object: 'instagram',
      entry: [{ id: STORE_ACCOUNT, time: Math.floor(Date.now() / 1000), changes: [
        { field: 'mentions', value: { comment_id: '17894227972186120', media_id: '17918195224117851' } },
        { field: 'mentions', value: { media_id: '17918195224117852' } },
      ] }],
    });
    expect((await postInstagramWebhook(world.app.url, body, instagramSignatureOf(body, TEST_SECRETS.IG_APP_SECRET))).status).toBe(200);

    const mention = await eventually(() => world.app.nuqta.events.get('instagram:mention:17894227972186120').then((event) => event ?? undefined));
    expect(mention).toMatchObject({
      kind: 'mention',
      source: 'poll',
      verified: true,
      actor: { platformUserId: '17841005555550000', username: 'eid_fan' },
      target: { accountId: STORE_ACCOUNT, mediaId: '17918195224117851', commentId: '17894227972186120' },
      occurredAt: new Date('2026-11-20T18:00:00Z'),
    });
    const metrics = await eventually(async () => {
      const text = await (await fetch(`${world.app.url}/metrics`)).text();
      return /nuqta_payload_skipped_total\{platform="instagram",reason="mention_author_unknown",field="mentions"\} 1/.test(text) ? text : undefined;
    });
    expect(metrics).toMatch(/nuqta_events_accepted_total\{source="poll",platform="instagram"\}/);
    expect(await world.app.nuqta.events.get('instagram:mention:17918195224117852')).toBeNull();
  });
});
