/**
 * How Instagram Graph objects read: IG users, media (the brand's and
 * followers' hashtag posts) and comments, with each one's default fields.
 */
import type { EmulatedAccount, EmulatedComment, EmulatedMedia, EmulatedWorld } from './emulated-world.js';
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
  const shortcode = Buffer.from(media.id).toString('base64url').slice(0, 11);
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
