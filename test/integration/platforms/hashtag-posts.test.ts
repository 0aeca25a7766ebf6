import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pollAccount } from '../../../src/platforms/accounts/account-poll.js';
import { HASHTAG_POLL_EVERY_MS } from '../../../src/platforms/instagram/poller-hashtags.js';
import { lookUpMention } from '../../../src/platforms/instagram/poller-mentions.js';
import { sendWebhooks } from '../../../src/platforms/emulator/webhook-sender.js';
import type { EngagementAuthor } from '../../../src/platforms/emulator/planned-engagement.js';
import { signTikTokWebhook } from '../../../src/platforms/tiktok/signature.js';
import type { LedgerEntry } from '../../../src/ledger/entry.js';
import { brandPlan, campaignEntries, IG_ACCOUNT, settledEntries, startBrandWorld, TT_BUSINESS, type BrandWorld } from './brand-world.js';
import { eventually, TEST_SECRETS } from '../../helpers/test-nuqta.js';

const at = new Date(Date.now() - 60_000);
const plan = brandPlan(at, { instagram: ['17900000000000701'] }, []);
const instagram = { platform: 'instagram', accountId: IG_ACCOUNT } as const;
const secrets = { baseUrl: '', instagramAppSecret: TEST_SECRETS.IG_APP_SECRET, tiktokClientSecret: TEST_SECRETS.TIKTOK_CLIENT_SECRET };

let world: BrandWorld;

beforeAll(async () => {
  world = await startBrandWorld('hashtag_posts', plan);
  await world.connect('instagram', 'facebook_login');
});
afterAll(async () => {
  await world?.cleanup();
});

/** A follower's post carrying the café's hashtag and @mentioning it in the caption: found by hashtag search and by the mention. */
function taggedPost(mediaId: string, author: EngagementAuthor, hashtag = 'قهوة_نقطة'): { lookup: { accountId: string; mediaId: string } } {
  const caption = `قهوتي الصباحية من @qahwa.corner #${hashtag}`;
  const postedAt = new Date(world.now().getTime() - 10 * 60_000);
  world.emulator.addEngagements([{ kind: 'hashtag_post', platform: 'instagram', at: postedAt, followerIndex: 0, accountId: IG_ACCOUNT, mediaId, hashtag, caption, author }]);
  world.emulator.addMention({ followerIndex: 0, accountId: IG_ACCOUNT, accountUsername: 'qahwa.corner', mediaId, text: caption, author, at: postedAt });
  return { lookup: { accountId: IG_ACCOUNT, mediaId } };
}

async function hashtagAwards(eventKey: string): Promise<LedgerEntry[]> {
  return (await campaignEntries(world.app)).filter((entry) => entry.eventKey === eventKey && entry.ruleId === 'coffee_photo');
}

/** Waits for the ingest queue to drain, then for `eventKey`'s award. */
async function settledAward(eventKey: string): Promise<LedgerEntry[]> {
  await settledEntries(world.app, 1, (entry) => entry.eventKey === eventKey);
  return hashtagAwards(eventKey);
}

async function hashtagPoll(): Promise<number> {
  world.advance(HASHTAG_POLL_EVERY_MS + 60_000);
  const report = await pollAccount(world.deps(), instagram);
  expect(report.outcome).toBe('polled');
  return report.events;
}

describe('a post that carries the campaign hashtag and tags the brand earns its hashtag rule once', () => {
  it('hashtag poller first, then the mentions webhook (twice), then the mention poller and the hashtag poller again', async () => {
    const author = { id: '17841006666660001', username: 'morning.cup', displayName: 'Morning Cup' };
    const post = taggedPost('18000000000000701', author);
    // The search finds the post but cannot say whose it is: a candidate, no event.
    expect(await hashtagPoll()).toBe(0);
    expect(await world.app.nuqta.pollState.hashtagCandidate(instagram, post.lookup.mediaId)).toMatchObject({ hashtag: 'قهوة_نقطة' });

    const mention = world.emulator.addMention({ followerIndex: 0, accountId: IG_ACCOUNT, accountUsername: 'qahwa.corner', mediaId: post.lookup.mediaId, text: `قهوتي الصباحية من @qahwa.corner #قهوة_نقطة`, author });
    for (let i = 0; i < 2; i += 1) expect(await sendWebhooks([mention], { ...secrets, baseUrl: world.app.url })).toMatchObject({ accepted: 1 });
    const key = `instagram:hashtag_post:${post.lookup.mediaId}`;
    const event = await eventually(() => world.app.nuqta.events.get(key).then((found) => found ?? undefined));
    expect(event).toMatchObject({ kind: 'hashtag_post', verified: true, actor: { platformUserId: 'morning.cup', username: 'morning.cup' }, target: { accountId: IG_ACCOUNT, mediaId: post.lookup.mediaId } });
    expect(await settledAward(key)).toMatchObject([{ memberId: 'instagram:morning.cup', points: 20, status: 'posted' }]);

    expect(await lookUpMention(world.deps(), post.lookup)).toBe('enqueued');
    expect(await hashtagPoll()).toBe(0);
    await settledEntries(world.app, 1, (entry) => entry.eventKey === key);
    expect(await hashtagAwards(key)).toHaveLength(1);
  });

  it('mention poller first, then the hashtag poller, then both again', async () => {
    const author = { id: '17841006666660002', username: 'evening.latte', displayName: 'Evening Latte' };
    const post = taggedPost('18000000000000702', author, 'qahwacorner');
    expect(await lookUpMention(world.deps(), post.lookup)).toBe('enqueued');
    const key = `instagram:hashtag_post:${post.lookup.mediaId}`;
    expect(await settledAward(key)).toHaveLength(1);
    // The candidate is new and its mention is stored: the poller links them again, to the same event.
    await eventually(() => world.app.nuqta.events.get(`instagram:mention:${post.lookup.mediaId}`).then((found) => found ?? undefined));
    expect(await hashtagPoll()).toBe(1);
    expect(await lookUpMention(world.deps(), post.lookup)).toBe('enqueued');
    expect(await hashtagPoll()).toBe(0);
    await settledEntries(world.app, 1, (entry) => entry.eventKey === key);
    expect(await hashtagAwards(key)).toHaveLength(1);
  });

  it('a post linked only through its candidate: the mention caption lacks the hashtag, the search found it', async () => {
    const author = { id: '17841006666660003', username: 'noon.mocha', displayName: 'Noon Mocha' };
    const mediaId = '18000000000000703';
    const postedAt = new Date(world.now().getTime() - 10 * 60_000);
    world.emulator.addEngagements([{ kind: 'hashtag_post', platform: 'instagram', at: postedAt, followerIndex: 0, accountId: IG_ACCOUNT, mediaId, hashtag: 'qahwacorner', caption: '#qahwacorner', author }]);
    world.emulator.addMention({ followerIndex: 0, accountId: IG_ACCOUNT, accountUsername: 'qahwa.corner', mediaId, text: 'مع @qahwa.corner', author, at: postedAt });
    expect(await hashtagPoll()).toBe(0);
    expect(await lookUpMention(world.deps(), { accountId: IG_ACCOUNT, mediaId })).toBe('enqueued');
    expect(await settledAward(`instagram:hashtag_post:${mediaId}`)).toHaveLength(1);
  });

  it('a mention in a comment is not the post of its commenter, and a caption without a campaign hashtag is a mention only', async () => {
    const author = { id: '17841006666660004', username: 'just.saying', displayName: 'Just Saying' };
    const postedAt = new Date(world.now().getTime() - 5 * 60_000);
    world.emulator.addMention({ followerIndex: 0, accountId: IG_ACCOUNT, accountUsername: 'qahwa.corner', mediaId: '18000000000000704', commentId: '17990000000000704', text: '@qahwa.corner #قهوة_نقطة', author, at: postedAt });
    world.emulator.addMention({ followerIndex: 0, accountId: IG_ACCOUNT, accountUsername: 'qahwa.corner', mediaId: '18000000000000705', text: 'صباح الخير @qahwa.corner #صباح', author, at: postedAt });
    expect(await lookUpMention(world.deps(), { accountId: IG_ACCOUNT, mediaId: '18000000000000704', commentId: '17990000000000704' })).toBe('enqueued');
    expect(await lookUpMention(world.deps(), { accountId: IG_ACCOUNT, mediaId: '18000000000000705' })).toBe('enqueued');
    await eventually(() => world.app.nuqta.events.get('instagram:mention:18000000000000705').then((found) => found ?? undefined));
    expect(await world.app.nuqta.events.get('instagram:hashtag_post:18000000000000704')).toBeNull();
    expect(await world.app.nuqta.events.get('instagram:hashtag_post:18000000000000705')).toBeNull();
  });
});

describe('a follower claims a post by its link', () => {
  async function claim(memberId: string, url: string): Promise<{ status: number; body: Record<string, unknown> }> {
    const response = await fetch(`${world.app.url}/v1/campaigns/qahwa-corner/members/${encodeURIComponent(memberId)}/hashtag-claims`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${TEST_SECRETS.ingestKey}` },
      body: JSON.stringify({ url }),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  }

  it('earns as the post itself when the platform named the claimant as its poster, and as an unverified claim otherwise', async () => {
    const candidate = await world.app.nuqta.pollState.hashtagCandidate(instagram, '18000000000000702');
    const permalink = candidate?.permalink ?? '';
    expect(permalink).toMatch(/^https:\/\/www\.instagram\.com\/p\//);
    const key = 'instagram:hashtag_post:18000000000000702';
    expect(await claim('instagram:evening.latte', `${permalink}?igsh=abc`)).toEqual({ status: 202, body: { eventKey: key, verified: true, mediaId: '18000000000000702' } });

    const other = await claim('instagram:17841007777770001', permalink);
    expect(other).toMatchObject({ status: 202, body: { verified: false, mediaId: '18000000000000702' } });
    const otherKey = String(other.body.eventKey);
    expect(otherKey).toMatch(/^instagram:hashtag_post:claim-/);
    // Claiming again is the same claim.
    expect((await claim('instagram:17841007777770001', permalink)).body.eventKey).toBe(otherKey);
    const stored = await eventually(() => world.app.nuqta.events.get(otherKey).then((found) => found ?? undefined));
    expect(stored).toMatchObject({ verified: false, actor: { platformUserId: '17841007777770001' }, hashtags: ['qahwacorner'] });
    await settledEntries(world.app, 1, (entry) => entry.eventKey === key);
    // The café's photo rule accepts verified posts only: the unverified claim earns nothing, the post still once.
    expect(await hashtagAwards(key)).toHaveLength(1);
    expect(await hashtagAwards(otherKey)).toHaveLength(0);
  });

  it('refuses what is not a post link, and a link of the other platform', async () => {
    expect(await claim('instagram:evening.latte', 'https://example.com/p/abc')).toMatchObject({ status: 400, body: { error: { code: 'NUQTA_BAD_REQUEST' } } });
    expect(await claim('instagram:evening.latte', 'https://www.tiktok.com/@reem/video/7348000000000000001')).toMatchObject({ status: 400, body: { error: { message: 'the link is a tiktok post, and the member is on instagram' } } });
  });
});

describe('TikTok brand mentions of a video with the campaign hashtag', () => {
  async function postBrandMention(videoId: string, caption: string): Promise<Response> {
    const content = JSON.stringify({
      type_of_event: 'CREATE',
      mention_type: 'VIDEO_MENTION',
      video_id: videoId,
      video_create_time: Math.floor((world.now().getTime() - 3 * 3_600_000) / 1000),
      unique_identifier: 'tt-unique-hashtag-01',
      video_caption: caption,
      comment_id: '0',
    });
    const body = JSON.stringify({ client_key: 'client-key', event: 'brand.mention.event', create_time: Math.floor(Date.now() / 1000), user_openid: TT_BUSINESS, content });
    return fetch(`${world.app.url}/webhooks/tiktok`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'tiktok-signature': signTikTokWebhook(body, TEST_SECRETS.TIKTOK_CLIENT_SECRET, new Date()) },
      body,
    });
  }

  it('earns the hashtag rule once however often the webhook repeats', async () => {
    for (let i = 0; i < 3; i += 1) expect((await postBrandMention('7348000000000000777', 'فطور مع @qahwacorner #قهوة_نقطة')).status).toBe(200);
    const key = 'tiktok:hashtag_post:7348000000000000777';
    expect(await settledAward(key)).toHaveLength(1);
    expect(await world.app.nuqta.events.get(key)).toMatchObject({ actor: { platformUserId: 'tt-unique-hashtag-01' }, source: 'webhook', verified: true });
  });
});
