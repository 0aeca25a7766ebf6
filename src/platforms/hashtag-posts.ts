/**
 * Hashtag posts whose author is known. Hashtag search never names a post's
 * author, but a post that @mentions the brand in its caption does: the
 * platform sends (TikTok `brand.mention.event`) or lets nuqta read (Instagram
 * `mentioned_media`) the caption mention with its poster. When that post
 * carries a hashtag of a campaign that lists the account, in its caption or
 * in a hashtag candidate stored for the same media, it also stands for a
 * `hashtag_post` by the poster.
 *
 * The hashtag post's id is the media id, whichever path finds it (webhook,
 * mention lookup, hashtag poll) and however often: its eventKey
 * `platform:hashtag_post:mediaId` collapses every sighting into one award.
 * A mention in a comment is not linked: the commenter did not write the post.
 */
import type { CampaignRegistry } from '../config/campaign-registry.js';
import { toEngagementEvent, type EngagementEvent, type Platform } from '../domain/event.js';

/** The normalized hashtags of every campaign that lists the account. */
export function campaignHashtagsFor(campaigns: Pick<CampaignRegistry, 'all'>, platform: Platform, accountId: string): Set<string> {
  return new Set(campaigns.all.flatMap(({ campaign }) => (campaign.accounts[platform].includes(accountId) ? campaign.hashtags : [])));
}

/**
 * The hashtag post a caption mention stands for, or undefined when it is not
 * a caption mention or carries no campaign hashtag. `candidateHashtags` come
 * from a hashtag search that found the same media.
 */
export function hashtagPostOf(mention: EngagementEvent, campaignHashtags: ReadonlySet<string>, candidateHashtags: readonly string[] = []): EngagementEvent | undefined {
  const { mediaId, commentId } = mention.target;
  if (mention.kind !== 'mention' || mediaId === undefined || commentId !== undefined) return undefined;
  const post = toEngagementEvent(
    {
      platform: mention.platform,
      kind: 'hashtag_post',
      actor: mention.actor,
      target: { accountId: mention.target.accountId, mediaId },
      text: mention.text,
      occurredAt: mention.occurredAt,
      receivedAt: mention.receivedAt,
      source: mention.source,
      verified: mention.verified,
      platformEventId: mediaId,
    },
    [...mention.hashtags, ...candidateHashtags],
  );
  return post.hashtags.some((tag) => campaignHashtags.has(tag)) ? post : undefined;
}

/** The events with, after each caption mention of a campaign's hashtag, the hashtag post it stands for (unless already there). */
export function withHashtagPosts(events: readonly EngagementEvent[], campaigns: Pick<CampaignRegistry, 'all'>): EngagementEvent[] {
  const keys = new Set(events.map((event) => event.eventKey));
  return events.flatMap((event) => {
    if (event.kind !== 'mention') return [event];
    const post = hashtagPostOf(event, campaignHashtagsFor(campaigns, event.platform, event.target.accountId));
    if (post === undefined || keys.has(post.eventKey)) return [event];
    keys.add(post.eventKey);
    return [event, post];
  });
}
