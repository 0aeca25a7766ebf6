import type { EngagementEvent } from '../../domain/event.js';

/**
 * Why a part of an Instagram webhook produced no event. Low-cardinality on
 * purpose: the route counts skips by reason; `path` carries the detail.
 */
export const INSTAGRAM_SKIP_REASONS = [
  'unknown_object',
  'malformed_entry',
  'empty_entry',
  'malformed_change',
  'unsupported_field',
  'malformed_value',
  'own_account_activity',
  'mention_needs_lookup',
  'story_insights_ignored',
  'malformed_messaging',
  'message_self_test',
  'message_echo',
  'message_deleted',
  'message_read',
  'message_reaction',
  'message_edit',
  'messaging_postback',
  'messaging_referral',
  'messaging_optin',
  'messaging_handover',
  'messaging_standby',
  'unsupported_messaging',
] as const;
export type InstagramSkipReason = (typeof INSTAGRAM_SKIP_REASONS)[number];

/**
 * A `mentions` notification carries ids only. The poller fetches the author
 * with `GET /{accountId}?fields=mentioned_comment.comment_id(commentId)` (or
 * `mentioned_media.media_id(mediaId)` for a caption) and builds the event with
 * `instagramMentionEvent`, so webhook and poller agree on the eventKey.
 */
export interface MentionLookup {
  accountId: string;
  mediaId: string;
  commentId?: string;
}

export interface SkippedChange {
  reason: InstagramSkipReason;
  /** The webhook field (`comments`, `mentions`, `messaging`, …) when known. */
  field?: string;
  /** Where in the body the problem sits, e.g. `entry[0].changes[2].value.from.id`. */
  path?: string;
  /** Only for `mention_needs_lookup`. */
  lookup?: MentionLookup;
}

export interface ParsedWebhook {
  events: EngagementEvent[];
  skipped: SkippedChange[];
}

/** What every change or messaging item of one entry shares. */
export interface EntryContext {
  /** `entry.id`: the brand's Instagram professional account. */
  accountId: string;
  /** `entry.time`: when Meta sent the notification, the fallback for the event time. */
  sentAt: Date | undefined;
  receivedAt: Date;
}
