import type { EventInput } from './api/events.js';
import type { Campaign } from './config/campaign-schema.js';
import type { ActivityPlan } from './platforms/emulator/planned-engagement.js';
import { createRandom } from './platforms/emulator/random.js';

/**
 * What a brand's own source adds to the platform webhooks: hashtag posts the
 * members linked to their account (the platform attests the post, the member
 * the link) and likes, which no platform attributes to a person (unverified).
 */
export function brandFeedEvents(plan: ActivityPlan, campaign: Campaign, seed: number): EventInput[] {
  const linkedPosts: EventInput[] = plan.engagements.flatMap((engagement) =>
    engagement.kind === 'hashtag_post'
      ? [{
          platform: 'instagram' as const,
          kind: 'hashtag_post' as const,
          actor: { platformUserId: engagement.author.id, username: engagement.author.username },
          target: { accountId: engagement.accountId, mediaId: engagement.mediaId },
          text: engagement.caption,
          hashtags: [engagement.hashtag],
          occurredAt: engagement.at,
          platformEventId: engagement.mediaId,
          verified: true,
        }]
      : []);
  if (!campaign.rules.some((rule) => rule.on === 'like')) return linkedPosts;
  const random = createRandom(seed).fork('likes');
  const likes: EventInput[] = [];
  for (const engagement of plan.engagements) {
    if (engagement.kind !== 'comment' || engagement.platform !== 'instagram' || !random.chance(0.6)) continue;
    likes.push({
      platform: 'instagram',
      kind: 'like',
      actor: { platformUserId: engagement.author.id, username: engagement.author.username },
      target: { accountId: engagement.accountId, mediaId: engagement.mediaId },
      occurredAt: engagement.at,
      platformEventId: `${engagement.mediaId}-${engagement.author.id}`,
      verified: false,
    });
  }
  return [...linkedPosts, ...likes];
}
