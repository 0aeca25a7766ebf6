/**
 * A follower claims a post as theirs by its link. The claim earns as the
 * post's own `hashtag_post` (verified, id = media id, so it collapses with a
 * post linked through its caption mention) when the platform already told
 * nuqta who posted it: a caption mention of that media by this member. Any
 * other claim is the follower's word only: an unverified `hashtag_post`, one
 * per member and post, that earns only under rules with `accept_unverified`,
 * as likes do.
 */
import type { Campaign } from '../config/campaign-schema.js';
import { derivedEventId, eventKeyOf, toEngagementEvent, type EngagementEvent, type Platform } from '../domain/event.js';
import { NuqtaError } from '../errors.js';
import type { HashtagCandidate } from './accounts/poll-state-store.js';

export interface PostLink {
  platform: Platform;
  /** The link as nuqta stores it: `https://www.instagram.com/p/<code>/`, `https://www.tiktok.com/@user/video/<id>`. */
  permalink: string;
  /** TikTok links carry the video id; Instagram links a shortcode, found through the hashtag candidates. */
  mediaId?: string;
}

const INSTAGRAM_POST = /^https?:\/\/(?:www\.)?instagram\.com\/(?:[A-Za-z0-9._]+\/)?(p|reel)\/([A-Za-z0-9_-]{5,40})\/?(?:[?#].*)?$/;
const TIKTOK_VIDEO = /^https?:\/\/(?:www\.|m\.)?tiktok\.com\/@([A-Za-z0-9._]{1,64})\/video\/(\d{5,25})\/?(?:[?#].*)?$/;

export function postLinkOf(url: string): PostLink {
  const instagram = INSTAGRAM_POST.exec(url.trim());
  if (instagram !== null) {
    const [, kind = 'p', code = ''] = instagram;
    return { platform: 'instagram', permalink: `https://www.instagram.com/${kind}/${code}/` };
  }
  const tiktok = TIKTOK_VIDEO.exec(url.trim());
  if (tiktok !== null) {
    const [, user = '', videoId = ''] = tiktok;
    return { platform: 'tiktok', permalink: `https://www.tiktok.com/@${user}/video/${videoId}`, mediaId: videoId };
  }
  throw new NuqtaError('NUQTA_BAD_REQUEST', 'url must be a link to an Instagram post (https://www.instagram.com/p/…/) or a TikTok video (https://www.tiktok.com/@…/video/…)');
}

export interface ClaimDeps {
  /** The hashtag candidate found for an Instagram permalink, if any. */
  candidateByPermalink(permalink: string): Promise<HashtagCandidate | null>;
  events: { get(eventKey: string): Promise<EngagementEvent | null> };
}

export interface HashtagClaim {
  campaign: Campaign;
  platform: Platform;
  platformUserId: string;
  url: string;
  now: Date;
}

export async function claimedHashtagPost(deps: ClaimDeps, claim: HashtagClaim): Promise<EngagementEvent> {
  const link = postLinkOf(claim.url);
  if (link.platform !== claim.platform) throw new NuqtaError('NUQTA_BAD_REQUEST', `the link is a ${link.platform} post, and the member is on ${claim.platform}`);
  const candidate = link.platform === 'instagram' ? await deps.candidateByPermalink(link.permalink) : null;
  const mediaId = link.mediaId ?? candidate?.mediaId;
  const accountId = candidate?.accountId ?? claim.campaign.accounts[claim.platform][0];
  if (accountId === undefined) throw new NuqtaError('NUQTA_BAD_REQUEST', `campaign "${claim.campaign.id}" has no ${claim.platform} account`);
  const mention = mediaId === undefined ? null : await deps.events.get(eventKeyOf(claim.platform, 'mention', mediaId));
  const tied = mediaId !== undefined && mention !== null && mention.target.commentId === undefined && mention.actor.platformUserId === claim.platformUserId;
  return toEngagementEvent(
    {
      platform: claim.platform,
      kind: 'hashtag_post',
      actor: tied ? mention.actor : { platformUserId: claim.platformUserId },
      target: { accountId, ...(mediaId === undefined ? {} : { mediaId }) },
      text: tied ? mention.text : candidate?.caption,
      occurredAt: tied ? mention.occurredAt : (candidate?.postedAt ?? claim.now),
      receivedAt: claim.now,
      source: 'api',
      verified: tied,
      platformEventId: tied ? mediaId : `claim-${derivedEventId([claim.platform, claim.platformUserId, mediaId ?? link.permalink])}`,
    },
    // An unverified claim carries what the follower says: the campaign's hashtags, unless a search found the post under one.
    candidate !== null ? [candidate.hashtag] : tied ? [] : claim.campaign.hashtag_spellings,
  );
}
