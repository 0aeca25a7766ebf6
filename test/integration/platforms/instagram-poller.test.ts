import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pollAccount } from '../../../src/platforms/accounts/account-poll.js';
import { commentWebhook, postInstagramWebhook } from '../../helpers/instagram.js';
import { eventually } from '../../helpers/test-nuqta.js';
import { brandPlan, campaignEntries, commentSpecs, follower, IG_ACCOUNT, plannedComment, settledEntries, startBrandWorld, type BrandWorld } from './brand-world.js';

const MEDIA = '17900000000000201';
const OTHER_MEDIA = '17900000000000202';
const ref = { platform: 'instagram', accountId: IG_ACCOUNT } as const;
const noura = follower('instagram');
const at = new Date(Date.now() - 60_000);
const HASHTAG_POST = '17900000000009001';
const base = brandPlan(at, { instagram: [MEDIA, OTHER_MEDIA] }, [
  { platform: 'instagram', id: '18000000000000001', mediaId: MEDIA, minutesAgo: 30, author: noura, text: 'القهوة عندكم رهيبة' },
  ...commentSpecs('instagram', MEDIA, '1800000000000010', 3, 20),
  { platform: 'instagram', id: '18000000000000201', mediaId: MEDIA, minutesAgo: 10, parentId: '18000000000000101', text: 'صح كلامك' },
  // The brand answering a follower earns the brand nothing.
  { platform: 'instagram', id: '18000000000000301', mediaId: OTHER_MEDIA, minutesAgo: 8, author: { id: IG_ACCOUNT, username: 'qahwa.corner', displayName: 'Qahwa Corner' } },
]);
// A follower's own post with the campaign hashtag: found by hashtag search, which never names its author.
const plan = {
  ...base,
  engagements: [...base.engagements, {
    kind: 'hashtag_post' as const, platform: 'instagram' as const, at: new Date(at.getTime() - 3_600_000), followerIndex: 0, accountId: IG_ACCOUNT,
    mediaId: HASHTAG_POST, hashtag: 'qahwacorner', caption: 'قهوة الصباح #qahwacorner', author: follower('instagram'),
  }],
};

let world: BrandWorld;

beforeAll(async () => {
  world = await startBrandWorld('ig_poller', plan);
  await world.connect('instagram');
});
afterAll(async () => {
  await world?.cleanup();
});

async function eventKeys(): Promise<string[]> {
  const events = await world.app.nuqta.db.collection<{ eventKey: string }>('events').find({}, { projection: { eventKey: 1 } }).toArray();
  return events.map((event) => event.eventKey).sort();
}

describe('Instagram poller against the emulated Graph API', () => {
  it('awards a comment once when both the webhook and the poller report it', async () => {
    const body = commentWebhook([{ commentId: '18000000000000001', userId: noura.id, username: noura.username, text: 'القهوة عندكم رهيبة', mediaId: MEDIA }]);
    expect((await postInstagramWebhook(world.app.url, body)).status).toBe(200);
    await settledEntries(world.app, 1);

    const report = await pollAccount(world.deps(), ref);
    expect(report).toMatchObject({ outcome: 'polled', media: 2 });
    const entries = await settledEntries(world.app, 4, (entry) => entry.ruleId === 'comment');
    const keys = entries.map((entry) => entry.eventKey).sort();
    expect(keys).toEqual([
      'instagram:comment:18000000000000001',
      'instagram:comment:18000000000000101',
      'instagram:comment:18000000000000102',
      'instagram:comment:18000000000000103',
    ]);
    const nouraEntries = await world.app.nuqta.ledger.entriesAfter('qahwa-corner', `instagram:${noura.id}`, 0);
    expect(nouraEntries.map((entry) => [entry.eventKey, entry.ruleId, entry.points])).toEqual([['instagram:comment:18000000000000001', 'comment', 5]]);
  });

  it('reads replies with the webhook eventKeys and never credits the brand itself', async () => {
    const keys = await eventually(async () => {
      const all = await eventKeys();
      return all.includes('instagram:reply:18000000000000201') ? all : undefined;
    });
    expect(keys.filter((key) => key.includes('18000000000000301'))).toEqual([]);
    expect(keys.filter((key) => key.startsWith('instagram:'))).toHaveLength(5);
  });

  it('records hashtag posts as candidates without crediting anyone, within the 30-hashtag allowance', async () => {
    expect(await world.app.nuqta.pollState.hashtagCandidate(ref, HASHTAG_POST)).toMatchObject({ hashtag: 'qahwacorner', caption: 'قهوة الصباح #qahwacorner' });
    expect(await world.app.nuqta.events.get(`instagram:hashtag_post:${HASHTAG_POST}`)).toBeNull();
    const account = await world.app.nuqta.accounts.get(ref);
    expect(account?.hashtagSearches.map((search) => search.name).sort()).toEqual(['qahwacorner', 'قهوة_نقطة']);
    expect(world.emulator.requestCount({ endpoint: 'instagram.hashtag_search' })).toBe(2);
  });

  it('does not read a media again while its comment count stands still', async () => {
    const before = world.emulator.requestCount({ accountId: IG_ACCOUNT });
    expect(await pollAccount(world.deps(), ref)).toMatchObject({ outcome: 'polled', events: 0 });
    // The media list only: no comment page, no hashtag search (hashtags are read hourly).
    expect(world.emulator.requestCount({ accountId: IG_ACCOUNT }) - before).toBe(1);
  });

  it('reads a new comment between two polls, and reverses the award of a comment deleted since', async () => {
    world.advance(60_000);
    world.emulator.addEngagements([plannedComment(world.now(), { platform: 'instagram', id: '18000000000000401', mediaId: OTHER_MEDIA, minutesAgo: 0 })]);
    expect(world.emulator.deleteComment('18000000000000102')).toBe(true);
    const report = await pollAccount(world.deps(), ref);
    expect(report).toMatchObject({ outcome: 'polled', events: 2 });

    const reversal = await settledEntries(world.app, 1, (entry) => entry.kind === 'reverse');
    expect(reversal.map((entry) => [entry.eventKey, entry.points, entry.refersTo])).toEqual([
      ['instagram:comment_deleted:18000000000000102', -5, { eventKey: 'instagram:comment:18000000000000102', ruleId: 'comment' }],
    ]);
    const awarded = (await campaignEntries(world.app)).filter((entry) => entry.ruleId === 'comment').map((entry) => entry.eventKey);
    expect(awarded).toContain('instagram:comment:18000000000000401');
    expect(new Set(awarded).size).toBe(awarded.length);
  });
});
