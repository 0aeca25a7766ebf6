/**
 * Business API `comment.update` → `comment`, `reply` or `comment_deleted`.
 *
 * `comment_action`: `insert` is a new comment or reply; `delete` and
 * `set_to_hidden` both take the comment out of public view, so both reverse
 * its award (hidden is what the owner or TikTok's moderation does to spam).
 * `set_to_friends_only` and `set_to_public` are counted skips: a comment made
 * public again is not re-awarded; a reviewer can adjust by hand.
 */
import { z } from 'zod';
import { toEngagementEvent } from '../../domain/event.js';
import { contentIssuePath, tiktokIdSchema, tiktokUserIdSchema } from './webhook-content.js';
import type { DeliveryContext, ParsedTikTokWebhook, TikTokCommentLookup } from './webhook-types.js';
import { platformEpochSchema } from '../epoch.js';

const commentUpdateSchema = z.object({
  comment_id: tiktokIdSchema,
  video_id: tiktokIdSchema,
  parent_comment_id: tiktokIdSchema.optional(),
  comment_type: z.enum(['comment', 'reply']).optional(),
  comment_action: z.string().min(1),
  // The commenter's id, the same in /business/comment/list/ and other webhooks;
  // it is the actor's platformUserId, so the poller must use it too (not `user_id`).
  unique_identifier: tiktokUserIdSchema.optional(),
  timestamp: platformEpochSchema.optional(),
  text: z.string().max(5000).optional(),
});
type CommentUpdate = z.infer<typeof commentUpdateSchema>;

export function parseCommentUpdate(content: unknown, ctx: DeliveryContext, out: ParsedTikTokWebhook): void {
  const parsed = commentUpdateSchema.safeParse(content);
  if (!parsed.success) {
    out.skipped.push({ reason: 'malformed_content', event: ctx.event, path: contentIssuePath(parsed.error) });
    return;
  }
  const update = parsed.data;
  const kind = kindOf(update);
  if (kind === 'visibility') {
    out.skipped.push({ reason: 'comment_visibility_changed', event: ctx.event, path: 'content.comment_action' });
    return;
  }
  if (kind === undefined) {
    out.skipped.push({ reason: 'unknown_comment_action', event: ctx.event, path: 'content.comment_action' });
    return;
  }
  if (update.unique_identifier === undefined) {
    out.skipped.push({
      reason: 'actor_needs_lookup',
      event: ctx.event,
      path: 'content.unique_identifier',
      lookup: { accountId: ctx.accountId, videoId: update.video_id, commentId: update.comment_id, kind },
    });
    return;
  }
  out.events.push(
    toEngagementEvent({
      platform: 'tiktok',
      kind,
      actor: { platformUserId: update.unique_identifier },
      target: { accountId: ctx.accountId, mediaId: update.video_id, commentId: update.comment_id },
      text: kind === 'comment_deleted' ? undefined : update.text,
      occurredAt: update.timestamp ?? ctx.createdAt,
      receivedAt: ctx.receivedAt,
      source: 'webhook',
      verified: true,
      platformEventId: update.comment_id,
    }),
  );
}

function kindOf(update: CommentUpdate): TikTokCommentLookup['kind'] | 'visibility' | undefined {
  switch (update.comment_action) {
    case 'insert':
      return isReply(update) ? 'reply' : 'comment';
    case 'delete':
    case 'set_to_hidden':
      return 'comment_deleted';
    case 'set_to_friends_only':
    case 'set_to_public':
      return 'visibility';
    default:
      return undefined;
  }
}

/** `comment_type` decides; without it, a non-zero parent marks a reply (top-level comments have been seen with 0). */
function isReply(update: CommentUpdate): boolean {
  if (update.comment_type !== undefined) return update.comment_type === 'reply';
  return update.parent_comment_id !== undefined && update.parent_comment_id !== '0';
}
