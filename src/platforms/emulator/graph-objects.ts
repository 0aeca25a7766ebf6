/**
 * How Instagram Graph objects read: IG users, media (the brand's and
 * followers' hashtag posts), comments, and the comments and posts that
 * @mention the brand, with each one's default fields.
 */
import { createHash } from 'node:crypto';
import type { EmulatedAccount, EmulatedComment, EmulatedMedia, EmulatedMention, EmulatedWorld } from './emulated-world.js';
import { graphTimestamp } from './graph-http.js';

export const DEFAULT_FIELDS = {
  user: ['id'],
  media: ['id'],
  comment: ['id', 'text', 'timestamp'],
} as const;

export function userObject(account: EmulatedAccount, world: EmulatedWorld, now: Date): Record<string, unknown> {
  return {
    id: account.id,
    user_id: account.id,
    username: account.username,
    name: account.username,
    account_type: 'BUSINESS',
    media_count: world.mediaOf(account.id, now).length,
  };
}

/** Followers' hashtag posts never name their author: recent_media gives no username or owner. */
export function mediaObject(media: EmulatedMedia, world: EmulatedWorld, now: Date): Record<string, unknown> {
  const shortcode = shortcodeOf(media.id);
  const owner = media.byFollower ? undefined : world.account(media.accountId);
  const comments = world.commentsOn(media.id, now);
  const replies = comments.reduce((sum, comment) => sum + world.repliesTo(comment.id, now).length, 0);
  return {
    id: media.id,
    caption: media.caption,
    media_type: 'IMAGE',
    media_product_type: 'FEED',
    permalink: `https://www.instagram.com/p/${shortcode}/`,
    shortcode,
    timestamp: graphTimestamp(media.at),
    like_count: media.likeCount,
    comments_count: comments.length + replies,
    username: owner?.username,
    owner: owner === undefined ? undefined : { id: owner.id },
  };
}

export function commentObject(comment: EmulatedComment): Record<string, unknown> {
  return {
    id: comment.id,
    text: comment.text,
    timestamp: graphTimestamp(comment.at),
    from: { id: comment.author.id, username: comment.author.username },
    username: comment.author.username,
    like_count: comment.likeCount,
    parent_id: comment.parentId,
    media: { id: comment.mediaId },
    hidden: false,
  };
}

/** An IG Comment on another user's post; `media` names that post. */
export function mentionedCommentObject(mention: EmulatedMention): Record<string, unknown> {
  return {
    id: mention.commentId,
    text: mention.text,
    timestamp: graphTimestamp(mention.at),
    like_count: mention.likeCount,
    media: { id: mention.mediaId },
    from: { id: mention.author.id, username: mention.author.username },
    username: mention.author.username,
  };
}

/**
 * Another user's post whose caption @mentions the brand. Meta gives `owner`
 * only for media the app user created, so the poster is named by `username`
 * alone, and the caption comes back without the `@` before the brand's handle.
 */
export function mentionedMediaObject(mention: EmulatedMention): Record<string, unknown> {
  const shortcode = shortcodeOf(mention.mediaId);
  return {
    id: mention.mediaId,
    caption: mention.text.replaceAll(`@${mention.accountUsername}`, mention.accountUsername),
    media_type: 'IMAGE',
    media_product_type: 'FEED',
    permalink: `https://www.instagram.com/p/${shortcode}/`,
    shortcode,
    timestamp: graphTimestamp(mention.at),
    like_count: mention.likeCount,
    username: mention.author.username,
  };
}

/** Eleven URL-safe characters, distinct for every media id (ids share long prefixes, so a hash rather than a prefix). */
function shortcodeOf(mediaId: string): string {
  return createHash('sha256').update(mediaId).digest('base64url').slice(0, 11);
}
