import type { EngagementEvent } from '../../domain/event.js';

/** Why a TikTok delivery produced no event; low-cardinality, `path` carries the detail. */
export const TIKTOK_SKIP_REASONS = [
  'malformed_envelope',
  'malformed_content',
  'posting_event_ignored',
  'unsupported_event',
  'unknown_event',
  'unknown_comment_action',
  'comment_visibility_changed',
  'actor_needs_lookup',
  'mention_update_ignored',
] as const;
export type TikTokSkipReason = (typeof TIKTOK_SKIP_REASONS)[number];

/**
 * A `comment.update` without `unique_identifier`: an event must name its
 * actor. For `comment`/`reply` the poller reads the comment from
 * `/business/comment/list/`; for `comment_deleted` the comment is gone from the
 * API, so the actor is the one of the stored event for the same comment id.
 */
export interface TikTokCommentLookup {
  accountId: string;
  videoId: string;
  commentId: string;
  kind: 'comment' | 'reply' | 'comment_deleted';
}

export interface TikTokSkippedEvent {
  reason: TikTokSkipReason;
  /** The envelope's `event` when it could be read. */
  event?: string;
  /** Where the problem sits, e.g. `content.comment_id`. */
  path?: string;
  /** Only for `actor_needs_lookup`. */
  lookup?: TikTokCommentLookup;
}

/** `authorization.removed` content `reason`, indexed by the documented code (0–5). */
export const DEAUTHORIZATION_REASONS = [
  'unknown',
  'user_disconnected',
  'account_deleted',
  'age_changed',
  'account_banned',
  'developer_revoked',
] as const;
export type DeauthorizationReason = (typeof DEAUTHORIZATION_REASONS)[number];

/**
 * Something that happened to a connected account rather than an engagement.
 * On `authorization_removed` the token is already revoked: pause the account's
 * pollers and surface it; no event follows until the brand reconnects.
 */
export interface TikTokAccountNotice {
  platform: 'tiktok';
  kind: 'authorization_removed';
  /** `user_openid`: the account that disconnected the app. */
  accountId: string;
  reason: DeauthorizationReason;
  /** The raw code, kept when it is one TikTok has not documented. */
  reasonCode: number | undefined;
  occurredAt: Date;
}

export interface ParsedTikTokWebhook {
  events: EngagementEvent[];
  notices: TikTokAccountNotice[];
  skipped: TikTokSkippedEvent[];
}

/** The envelope fields every content parser needs. */
export interface DeliveryContext {
  event: string;
  /** `user_openid`: the brand's business account. */
  accountId: string;
  /** `create_time`: when TikTok says the event happened (seconds). */
  createdAt: Date;
  receivedAt: Date;
}
