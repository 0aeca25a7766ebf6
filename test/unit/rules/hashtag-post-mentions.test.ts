import { describe, expect, it } from 'vitest';
import { CampaignRegistry } from '../../../src/config/campaign-registry.js';
import type { Campaign } from '../../../src/config/campaign-schema.js';
import type { EngagementEvent } from '../../../src/domain/event.js';
import { emptyState } from '../../../src/ledger/member-state.js';
import { stateSpecOf } from '../../../src/ledger/state-spec.js';
import { campaignHashtagsFor, hashtagPostOf } from '../../../src/platforms/hashtag-posts.js';
import { scoreEvent } from '../../../src/scoring/rules/score-event.js';
import { campaignOf, eventOf } from './fixtures.js';

const rules = [
  { id: 'tagged', on: 'mention', points: 10 },
  { id: 'photo', on: 'hashtag_post', points: 30, when: { hashtag: true } },
];
const AT = '2027-03-05T10:00:00+03:00';

function codesFor(event: EngagementEvent, campaign: Campaign): string[] {
  const result = scoreEvent({ event, campaign, state: emptyState(stateSpecOf(campaign)) });
  return [...result.entries.map((entry) => `${entry.ruleId}:${entry.reason.code}`), ...result.nonAwards.map((n) => n.reason.code)];
}

describe('a caption mention that carries a campaign hashtag', () => {
  const mention = eventOf('mention', AT, { id: '18000000000000001', mediaId: '18000000000000001', text: 'قهوتي من @nuqta.cafe #قهوة_نقطة' });
  const registry = (campaign: Campaign): CampaignRegistry => new CampaignRegistry([{ campaign, file: 'cafe.yaml', revision: '1', source: '' }]);

  it('stands for one hashtag post, its id the media id', () => {
    const campaign = campaignOf({ rules });
    const post = hashtagPostOf(mention, campaignHashtagsFor(registry(campaign), 'instagram', '17841400000000001'));
    expect(post).toMatchObject({ kind: 'hashtag_post', eventKey: 'instagram:hashtag_post:18000000000000001', actor: mention.actor, hashtags: ['قهوه_نقطه'] });
    expect(post === undefined ? [] : codesFor(post, campaign)).toEqual(['photo:EARNED']);
  });

  it('earns the mention rules too by default, and not with hashtag_posts.also_mention: false', () => {
    expect(codesFor(mention, campaignOf({ rules }))).toEqual(['tagged:EARNED']);
    expect(codesFor(mention, campaignOf({ rules, hashtag_posts: { also_mention: false } }))).toEqual(['EARNED_AS_HASHTAG_POST']);
    // A caption mention without a campaign hashtag is a mention as before.
    const plain = eventOf('mention', AT, { mediaId: '18000000000000002', text: 'صباح الخير @nuqta.cafe' });
    expect(codesFor(plain, campaignOf({ rules, hashtag_posts: { also_mention: false } }))).toEqual(['tagged:EARNED']);
  });

  it('takes the hashtag from a candidate found for the same media when the caption has none', () => {
    const campaign = campaignOf({ rules });
    const bare = eventOf('mention', AT, { mediaId: '18000000000000003', text: 'مع @nuqta.cafe' });
    const hashtags = campaignHashtagsFor(registry(campaign), 'instagram', '17841400000000001');
    expect(hashtagPostOf(bare, hashtags)).toBeUndefined();
    expect(hashtagPostOf(bare, hashtags, ['NuqtaCafe'])).toMatchObject({ hashtags: ['nuqtacafe'] });
  });
});
