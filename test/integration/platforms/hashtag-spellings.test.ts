import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { campaignSchema } from '../../../src/config/campaign-schema.js';
import { pollAccount } from '../../../src/platforms/accounts/account-poll.js';
import { brandPlan, IG_ACCOUNT, startBrandWorld, type BrandWorld } from './brand-world.js';

/** One word three ways (taa marbuta or haa, a tatweel), and one with each hamza form of alif. */
const SPELLINGS = ['#قهوة_نقطة', 'قهوه_نقطه', 'قهـــوة_نقطة', 'أهلا_رمضان', 'إهلا_رمضان', 'آهلا_رمضان'];

describe('campaign hashtags keep the spelling people use for search and a folded form for matching', () => {
  it('parses each spelling once as written and folds them into one tag per word', () => {
    const campaign = campaignSchema.parse({
      id: 'spellings',
      name: { ar: 'تهجئات', en: 'Spellings' },
      timezone: 'Asia/Riyadh',
      starts_at: '2027-03-01T00:00:00+03:00',
      ends_at: '2027-03-31T23:59:59+03:00',
      accounts: { instagram: [IG_ACCOUNT] },
      hashtags: [...SPELLINGS, 'قهوة_نقطة'],
      rules: [{ id: 'photo', on: 'hashtag_post', points: 20 }],
    });
    expect(campaign.hashtags).toEqual(['قهوه_نقطه', 'اهلا_رمضان']);
    expect(campaign.hashtag_spellings).toEqual(['قهوة_نقطة', 'قهوه_نقطه', 'قهـــوة_نقطة', 'أهلا_رمضان', 'إهلا_رمضان', 'آهلا_رمضان']);
  });
});

describe('the hashtag poller searches every spelling', () => {
  const at = new Date(Date.now() - 60_000);
  let world: BrandWorld;
  let campaigns: string;

  beforeAll(async () => {
    campaigns = await mkdtemp(join(tmpdir(), 'nuqta-spellings-'));
    const cafe = await readFile('config/campaigns/cafe.yaml', 'utf8');
    await writeFile(join(campaigns, 'cafe.yaml'), cafe.replace(/^hashtags: .*$/m, `hashtags: [${SPELLINGS.map((tag) => JSON.stringify(tag)).join(', ')}]`));
    world = await startBrandWorld('hashtag_spellings', brandPlan(at, { instagram: ['17900000000000801'] }, []), { env: { NUQTA_CAMPAIGNS: campaigns } });
    await world.connect('instagram', 'facebook_login');
  });
  afterAll(async () => {
    await world?.cleanup();
    await rm(campaigns, { recursive: true, force: true });
  });

  it('finds posts under each spelling the platform tells apart, and keeps the spelling it found them by', async () => {
    const posted = new Date(world.now().getTime() - 30 * 60_000);
    const post = (mediaId: string, hashtag: string) => ({
      kind: 'hashtag_post' as const, platform: 'instagram' as const, at: posted, followerIndex: 0, accountId: IG_ACCOUNT, mediaId, hashtag,
      caption: `#${hashtag}`, author: { id: `1784100${mediaId.slice(-6)}0000`, username: `poster_${mediaId.slice(-3)}`, displayName: 'Poster' },
    });
    world.emulator.addEngagements([post('18000000000000811', 'قهوة_نقطة'), post('18000000000000812', 'قهوه_نقطه'), post('18000000000000813', 'آهلا_رمضان')]);
    expect(await pollAccount(world.deps(), { platform: 'instagram', accountId: IG_ACCOUNT })).toMatchObject({ outcome: 'polled' });
    // One search per spelling: searching the two folded forms would miss every post spelled another way.
    expect(world.emulator.requestCount({ endpoint: 'instagram.hashtag_search', accountId: IG_ACCOUNT })).toBe(SPELLINGS.length);
    const account = await world.app.nuqta.accounts.get({ platform: 'instagram', accountId: IG_ACCOUNT });
    expect(account?.hashtagSearches.map((search) => search.name).sort()).toEqual(SPELLINGS.map((tag) => tag.replace('#', '')).sort());
    const ref = { platform: 'instagram', accountId: IG_ACCOUNT } as const;
    const found = await Promise.all(['18000000000000811', '18000000000000812', '18000000000000813'].map((id) => world.app.nuqta.pollState.hashtagCandidate(ref, id)));
    expect(found.map((candidate) => candidate?.hashtag)).toEqual(['قهوة_نقطة', 'قهوه_نقطه', 'آهلا_رمضان']);
  });
});
