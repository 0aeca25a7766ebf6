/**
 * What a poller needs from a platform's API, in platform-neutral terms: the
 * account's media newest first, each media's top-level comments newest first,
 * a comment's replies, and cursors to resume each list. The Instagram and
 * TikTok pollers implement it; the comment pass and the backfill use it.
 */
import { toEngagementEvent, type EngagementEvent, type Platform } from '../../domain/event.js';

export interface PolledMedia {
  id: string;
  publishedAt: Date;
  /** Instagram: comments and replies together; TikTok: comments. Undefined when the platform did not say. */
  commentCount: number | undefined;
}

export interface PolledComment {
  id: string;
  at: Date;
  /** The id the platform's webhooks name the author by (Instagram `from.id`, TikTok `unique_identifier`). */
  author: { id: string; username?: string } | undefined;
  text?: string;
  parentId?: string;
  /** Replies the platform says this comment has (TikTok); undefined when it does not say (Instagram). */
  replyCount?: number;
  /** Written by the brand's own account: kept for counting, never credited. */
  own: boolean;
}

export interface Page<T> {
  items: T[];
  /** The cursor of the next page; undefined on the last page. */
  next: string | undefined;
}

export interface PlatformReader {
  readonly platform: Platform;
  readonly accountId: string;
  /**
   * Instagram's `comments_count` includes replies, so replies are fetched
   * only when the media's total disagrees with what is known; TikTok gives a
   * reply count per comment.
   */
  readonly replyCounts: 'media_total' | 'per_comment';
  /**
   * Complete passes a comment must be missing from before it counts as
   * deleted. Instagram pages by position (a deletion between pages skips
   * nothing): 1. TikTok pages by offset, and a deletion between two pages
   * shifts the next page by one: 2.
   */
  readonly missesBeforeDeleted: number;
  mediaPage(cursor: string | undefined): Promise<Page<PolledMedia>>;
  commentPage(media: PolledMedia, cursor: string | undefined): Promise<Page<PolledComment>>;
  replyPage(media: PolledMedia, parentId: string, cursor: string | undefined): Promise<Page<PolledComment>>;
}

/**
 * A polled comment as the canonical event the webhook would have produced:
 * same kind, same platform id, so the same eventKey and one award.
 */
export function polledCommentEvent(reader: Pick<PlatformReader, 'platform' | 'accountId'>, mediaId: string, comment: PolledComment, receivedAt: Date): EngagementEvent | undefined {
  if (comment.own || comment.author === undefined) return undefined;
  const { author } = comment;
  return toEngagementEvent({
    platform: reader.platform,
    kind: comment.parentId === undefined ? 'comment' : 'reply',
    actor: { platformUserId: author.id, ...(author.username === undefined ? {} : { username: author.username }) },
    target: { accountId: reader.accountId, mediaId, commentId: comment.id },
    text: comment.text,
    occurredAt: comment.at,
    receivedAt,
    source: 'poll',
    verified: true,
    platformEventId: comment.id,
  });
}

/** A credited comment no longer listed: the deletion, in the name of its author, reverses the award. */
export function polledDeletionEvent(
  reader: Pick<PlatformReader, 'platform' | 'accountId'>,
  mediaId: string,
  deleted: { id: string; authorId: string; username?: string },
  noticedAt: Date,
): EngagementEvent {
  return toEngagementEvent({
    platform: reader.platform,
    kind: 'comment_deleted',
    actor: { platformUserId: deleted.authorId, ...(deleted.username === undefined ? {} : { username: deleted.username }) },
    target: { accountId: reader.accountId, mediaId, commentId: deleted.id },
    // The platform gives no deletion time; the poll that noticed it is the best bound.
    occurredAt: noticedAt,
    receivedAt: noticedAt,
    source: 'poll',
    verified: true,
    platformEventId: deleted.id,
  });
}
