/**
 * What the emulated platforms know: brand accounts, their posts and videos,
 * followers' comments and replies, followers' hashtag posts, and followers'
 * @mentions of a brand in comments and captions elsewhere. In memory,
 * filled from an activity plan. An item exists for readers only once its time
 * has come (`visibleAt`), so a plan spread over time shows up as it happens.
 */
import type { Platform } from '../../domain/event.js';
import { platformHashtag } from './hashtag-searches.js';
import type { ActivityPlan, BrandMedia, EngagementAuthor, PlannedEngagement, PlannedMention } from './planned-engagement.js';

export interface EmulatedAccount {
  platform: Platform;
  id: string;
  username: string;
  subscribedFields: Set<string>;
}

export interface EmulatedMedia {
  platform: Platform;
  id: string;
  /** The brand account it belongs to, or (hashtag posts) the campaign account it was planned for. */
  accountId: string;
  caption: string;
  at: Date;
  likeCount: number;
  /** Hashtags in the caption as the platform tells them apart (by spelling); only followers' posts are searched. */
  hashtags: readonly string[];
  byFollower: boolean;
}

export interface EmulatedComment {
  platform: Platform;
  id: string;
  accountId: string;
  mediaId: string;
  parentId?: string;
  text: string;
  at: Date;
  author: EngagementAuthor;
  likeCount: number;
  deleted: boolean;
}

/** A brand @mentioned on a post it does not own: in a comment there (`commentId`), or in the post's caption. */
export interface EmulatedMention {
  accountId: string;
  /** The handle as written after the `@`. */
  accountUsername: string;
  mediaId: string;
  commentId?: string;
  /** The comment text, or the caption. */
  text: string;
  at: Date;
  author: EngagementAuthor;
  likeCount: number;
}

export class EmulatedWorld {
  private readonly accounts = new Map<string, EmulatedAccount>();
  private readonly media = new Map<string, EmulatedMedia>();
  private readonly comments = new Map<string, EmulatedComment>();
  private readonly commentsByMedia = new Map<string, EmulatedComment[]>();
  private readonly repliesByComment = new Map<string, EmulatedComment[]>();
  private readonly commentMentions = new Map<string, EmulatedMention>();
  private readonly captionMentions = new Map<string, EmulatedMention>();

  seed(plan: ActivityPlan): void {
    for (const media of plan.media) this.addBrandMedia(media);
    this.addEngagements(plan.engagements);
  }

  addBrandMedia(media: BrandMedia): void {
    this.ensureAccount(media.platform, media.accountId, media.accountUsername);
    this.media.set(media.mediaId, {
      platform: media.platform,
      id: media.mediaId,
      accountId: media.accountId,
      caption: media.caption,
      at: media.publishedAt,
      likeCount: likesOf(media.mediaId, 400),
      hashtags: [],
      byFollower: false,
    });
  }

  /** Comments and replies join their media; deletions take effect; hashtag posts become searchable; mentions readable. */
  addEngagements(engagements: readonly PlannedEngagement[]): void {
    for (const engagement of engagements) {
      if (engagement.kind === 'comment_deleted') this.deleteComment(engagement.commentId);
      else if (engagement.kind === 'mention') this.addMention(engagement);
      else if (engagement.kind === 'hashtag_post') {
        this.media.set(engagement.mediaId, {
          platform: 'instagram',
          id: engagement.mediaId,
          accountId: engagement.accountId,
          caption: engagement.caption,
          at: engagement.at,
          likeCount: likesOf(engagement.mediaId, 60),
          hashtags: [platformHashtag(engagement.hashtag)],
          byFollower: true,
        });
      } else {
        const comment: EmulatedComment = {
          platform: engagement.platform,
          id: engagement.commentId,
          accountId: engagement.accountId,
          mediaId: engagement.mediaId,
          ...(engagement.kind === 'reply' ? { parentId: engagement.parentCommentId } : {}),
          text: engagement.text,
          at: engagement.at,
          author: engagement.author,
          likeCount: likesOf(engagement.commentId, 12),
          deleted: false,
        };
        this.comments.set(comment.id, comment);
        const lists = comment.parentId === undefined ? this.commentsByMedia : this.repliesByComment;
        const key = comment.parentId ?? comment.mediaId;
        const list = lists.get(key);
        if (list === undefined) lists.set(key, [comment]);
        else list.push(comment);
      }
    }
  }

  /** The mentioned account becomes known, so its token can read the mention. */
  addMention(planned: PlannedMention): void {
    this.ensureAccount('instagram', planned.accountId, planned.accountUsername);
    const { accountId, accountUsername, mediaId, commentId, text, at, author } = planned;
    const mention: EmulatedMention = {
      accountId,
      accountUsername,
      mediaId,
      ...(commentId === undefined ? {} : { commentId }),
      text,
      at,
      author,
      likeCount: likesOf(commentId ?? mediaId, commentId === undefined ? 60 : 12),
    };
    if (commentId === undefined) this.captionMentions.set(mediaId, mention);
    else this.commentMentions.set(commentId, mention);
  }

  /** A comment written by `visibleAt` that @mentions this account. */
  mentionInComment(accountId: string, commentId: string, visibleAt: Date): EmulatedMention | undefined {
    return mentionOf(this.commentMentions.get(commentId), accountId, visibleAt);
  }

  /** A post published by `visibleAt` whose caption @mentions this account. */
  mentionInCaption(accountId: string, mediaId: string, visibleAt: Date): EmulatedMention | undefined {
    return mentionOf(this.captionMentions.get(mediaId), accountId, visibleAt);
  }

  /** Gone from every list; replies of a deleted comment go with it. False when no such comment. */
  deleteComment(commentId: string): boolean {
    const comment = this.comments.get(commentId);
    if (comment === undefined || comment.deleted) return false;
    comment.deleted = true;
    return true;
  }

  account(id: string): EmulatedAccount | undefined {
    return this.accounts.get(id);
  }

  mediaById(id: string): EmulatedMedia | undefined {
    return this.media.get(id);
  }

  /** A comment still standing (it and its parent not deleted), as readers see it. */
  comment(id: string, visibleAt: Date): EmulatedComment | undefined {
    const comment = this.comments.get(id);
    return comment !== undefined && this.isStanding(comment, visibleAt) ? comment : undefined;
  }

  /** The brand's own posts or videos, newest first. */
  mediaOf(accountId: string, visibleAt: Date): EmulatedMedia[] {
    return newestFirst([...this.media.values()].filter((m) => !m.byFollower && m.accountId === accountId && m.at <= visibleAt));
  }

  /** Top-level comments, newest first. */
  commentsOn(mediaId: string, visibleAt: Date): EmulatedComment[] {
    return newestFirst((this.commentsByMedia.get(mediaId) ?? []).filter((c) => this.isStanding(c, visibleAt)));
  }

  /** Replies, oldest first, as threads read. */
  repliesTo(commentId: string, visibleAt: Date): EmulatedComment[] {
    return newestFirst((this.repliesByComment.get(commentId) ?? []).filter((c) => this.isStanding(c, visibleAt))).reverse();
  }

  /** Followers' posts with this hashtag published in [since, until], newest first. */
  hashtagMedia(hashtag: string, since: Date, until: Date): EmulatedMedia[] {
    const wanted = platformHashtag(hashtag);
    return newestFirst([...this.media.values()].filter((m) => m.byFollower && m.hashtags.includes(wanted) && m.at >= since && m.at <= until));
  }

  private ensureAccount(platform: Platform, id: string, username: string): void {
    if (!this.accounts.has(id)) this.accounts.set(id, { platform, id, username, subscribedFields: new Set() });
  }

  private isStanding(comment: EmulatedComment, visibleAt: Date): boolean {
    if (comment.deleted || comment.at > visibleAt) return false;
    return comment.parentId === undefined || this.comments.get(comment.parentId)?.deleted !== true;
  }
}

function mentionOf(mention: EmulatedMention | undefined, accountId: string, visibleAt: Date): EmulatedMention | undefined {
  return mention !== undefined && mention.accountId === accountId && mention.at <= visibleAt ? mention : undefined;
}

function newestFirst<T extends { at: Date; id: string }>(items: T[]): T[] {
  return items.sort((a, b) => b.at.getTime() - a.at.getTime() || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0));
}

/** A stable like count derived from the id, so reads repeat exactly. */
function likesOf(id: string, max: number): number {
  let hash = 7;
  for (let i = 0; i < id.length; i += 1) hash = (hash * 31 + id.charCodeAt(i)) % 1_000_003;
  return hash % (max + 1);
}
