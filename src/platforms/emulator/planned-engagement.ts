/**
 * What an activity plan holds: the campaign's targets and media, and each
 * planned engagement (comment, reply, hashtag post, deletion, mention).
 */
import type { Platform } from '../../domain/event.js';
import type { CampaignTheme } from './corpus.js';

export interface InstagramTarget {
  accountId: string;
  username?: string;
  mediaIds: readonly string[];
}

export interface TikTokTarget {
  businessId: string;
  username?: string;
  videoIds: readonly string[];
}

export interface CampaignTargets {
  instagram?: readonly InstagramTarget[];
  tiktok?: readonly TikTokTarget[];
  /** As the brand writes them, with or without `#` (`قهوة_نقطة`). */
  hashtags?: readonly string[];
}

/** A post or video of the brand that followers comment on. */
export interface BrandMedia {
  platform: Platform;
  accountId: string;
  accountUsername: string;
  mediaId: string;
  caption: string;
  publishedAt: Date;
}

export interface EngagementAuthor {
  /** Instagram user id, or TikTok `user_id`. */
  id: string;
  username: string;
  displayName: string;
  /** TikTok only. */
  uniqueIdentifier?: string;
}

interface PlannedBase {
  platform: Platform;
  at: Date;
  followerIndex: number;
  /** The campaign account (Instagram user id or TikTok business id). */
  accountId: string;
  mediaId: string;
}

export interface PlannedComment extends PlannedBase {
  kind: 'comment';
  commentId: string;
  text: string;
  author: EngagementAuthor;
}

export interface PlannedReply extends PlannedBase {
  kind: 'reply';
  commentId: string;
  parentCommentId: string;
  text: string;
  author: EngagementAuthor;
}

/** A follower's own Instagram post carrying a campaign hashtag; `mediaId` is that post. */
export interface PlannedHashtagPost extends PlannedBase {
  kind: 'hashtag_post';
  platform: 'instagram';
  hashtag: string;
  caption: string;
  author: EngagementAuthor;
}

/** The author takes their comment (or reply) down; `author` is whose it was. */
export interface PlannedDeletion extends PlannedBase {
  kind: 'comment_deleted';
  commentId: string;
  author: EngagementAuthor;
}

/**
 * A follower @mentions the brand away from its own posts: in a comment on
 * another user's post (`commentId` set) or in the caption of their own post.
 * `mediaId` is the post the mention sits on; `accountUsername` is the handle
 * written after the `@`.
 */
export interface PlannedMention extends PlannedBase {
  kind: 'mention';
  platform: 'instagram';
  accountUsername: string;
  commentId?: string;
  text: string;
  author: EngagementAuthor;
}

export type PlannedEngagement = PlannedComment | PlannedReply | PlannedHashtagPost | PlannedDeletion | PlannedMention;

export interface ActivityPlanOptions {
  seed: number;
  from: Date;
  to: Date;
  /** How many engagements in total. */
  engagements: number;
  theme?: CampaignTheme;
  /** Shares of each kind; comments take the rest. Defaults: reply 0.15, hashtagPost 0.1, deletion 0.02, mention 0. */
  mix?: { reply?: number; hashtagPost?: number; deletion?: number; mention?: number };
  /** Share of comments and replies on TikTok when the campaign has both platforms (default 0.35). */
  tiktokShare?: number;
}

export interface ActivityPlan {
  seed: number;
  from: Date;
  to: Date;
  theme: CampaignTheme;
  targets: CampaignTargets;
  media: BrandMedia[];
  /** In time order. */
  engagements: PlannedEngagement[];
}
