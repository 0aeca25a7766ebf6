import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectAccount } from '../../../src/platforms/accounts/connect.js';
import { PlatformHttp } from '../../../src/platforms/accounts/platform-call.js';
import { sendWebhooks } from '../../../src/platforms/emulator/webhook-sender.js';
import { STORE_ACCOUNT } from '../../helpers/instagram.js';
import { eventually, TEST_SECRETS, scrapeMetrics } from '../../helpers/test-nuqta.js';
import { brandPlan, commentSpecs, IG_ACCOUNT, settledEntries, startBrandWorld, TOKEN, TT_BUSINESS, type BrandWorld } from './brand-world.js';

const MEDIA = '17900000000000201';
const COMMENTS = 12;
const plan = brandPlan(new Date(Date.now() - 60_000), { instagram: [MEDIA] }, commentSpecs('instagram', MEDIA, '188000000000000', COMMENTS, 5));

let world: BrandWorld;

beforeAll(async () => {
  // The store account is read for its mentions only, through Facebook Login.
  world = await startBrandWorld('poll_worker', plan, { tokens: { [TOKEN]: [IG_ACCOUNT, TT_BUSINESS, STORE_ACCOUNT] }, env: { NUQTA_POLL_INTERVAL_SECONDS: '1' } });
});
afterAll(async () => {
  await world?.cleanup();
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
    const at = new Date(Math.floor(world.now().getTime() / 1000) * 1000 - 5 * 60_000);
    const store = { followerIndex: 0, accountId: STORE_ACCOUNT, accountUsername: 'thawb.style', at };
    const inComment = world.emulator.addMention({
      ...store,
      mediaId: '17918195224117851',
      commentId: '17894227972186120',
      text: '@thawb.style أحلى ثوب للعيد',
      author: { id: '17841005555550000', username: 'eid_fan', displayName: 'Eid Fan' },
    });
    // A caption mention: the API gives the poster's username only, no id; the member is named by it.
    const inCaption = world.emulator.addMention({
      ...store,
      mediaId: '17918195224117852',
      text: 'ثوبي الجديد من @thawb.style',
      author: { id: '17841005555550001', username: 'caption_fan', displayName: 'Caption Fan' },
    });
    const sent = await sendWebhooks([inComment, inCaption], {
      baseUrl: world.app.url,
      instagramAppSecret: TEST_SECRETS.IG_APP_SECRET,
      tiktokClientSecret: TEST_SECRETS.TIKTOK_CLIENT_SECRET,
    });
    expect(sent).toMatchObject({ deliveries: 1, accepted: 1, engagements: 2 });

    const mention = await eventually(() => world.app.nuqta.events.get('instagram:mention:17894227972186120').then((event) => event ?? undefined));
    expect(mention).toMatchObject({
      kind: 'mention',
      source: 'poll',
      verified: true,
      actor: { platformUserId: '17841005555550000', username: 'eid_fan' },
      target: { accountId: STORE_ACCOUNT, mediaId: '17918195224117851', commentId: '17894227972186120' },
      occurredAt: at,
    });
    const captioned = await eventually(() => world.app.nuqta.events.get('instagram:mention:17918195224117852').then((event) => event ?? undefined));
    expect(captioned).toMatchObject({ kind: 'mention', actor: { platformUserId: 'caption_fan', username: 'caption_fan' }, target: { mediaId: '17918195224117852' } });
    expect(captioned.target.commentId).toBeUndefined();
    expect(await scrapeMetrics(world.app.url)).toMatch(/nuqta_events_accepted_total\{source="poll",platform="instagram"\}/);
    expect(world.emulator.requestCount({ endpoint: 'instagram.mentioned_comment', accountId: STORE_ACCOUNT })).toBeGreaterThanOrEqual(1);
    expect(world.emulator.requestCount({ endpoint: 'instagram.mentioned_media', accountId: STORE_ACCOUNT })).toBeGreaterThanOrEqual(1);
  });
});
