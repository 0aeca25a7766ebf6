/**
 * `comments` and `live_comments` values → `comment` / `reply` events.
 *
 * Meta sends no notification when a comment is deleted (the comments field
 * has no verb or removed form), so `comment_deleted` for Instagram comes from
 * the poller noticing an awarded comment is gone, never from here.
 */
import { z } from 'zod';
import { toEngagementEvent } from '../../domain/event.js';
import { igIdSchema, issuePath } from './webhook-fields.js';
import type { EntryContext, ParsedWebhook } from './webhook-types.js';

const commentValueSchema = z.object({
  // Instagram Login examples name the comment `id`; Facebook Login examples `comment_id`.
  id: igIdSchema.optional(),
  comment_id: igIdSchema.optional(),
  text: z.string().max(5000).optional(),
  parent_id: igIdSchema.optional(),
  from: z.object({
    id: igIdSchema,
    username: z.string().min(1).max(128).optional(),
    // Present only when the professional account commented on its own media.
    self_ig_scoped_id: igIdSchema.optional(),
  }),
  media: z
    .object({
      id: igIdSchema,
      media_product_type: z.string().optional(),
      ad_id: igIdSchema.optional(),
      ad_title: z.string().optional(),
      original_media_id: igIdSchema.optional(),
    })
    .optional(),
});

export function parseCommentChange(
  field: 'comments' | 'live_comments',
  value: unknown,
  ctx: EntryContext,
  path: string,
  out: ParsedWebhook,
): void {
  const parsed = commentValueSchema.safeParse(value);
  if (!parsed.success) {
    out.skipped.push({ reason: 'malformed_value', field, path: issuePath(`${path}.value`, parsed.error) });
    return;
  }
  const comment = parsed.data;
  const commentId = comment.id ?? comment.comment_id;
  if (commentId === undefined) {
    out.skipped.push({ reason: 'malformed_value', field, path: `${path}.value.id` });
    return;
  }
  // The brand answering its own followers must not earn the brand points.
  if (comment.from.self_ig_scoped_id !== undefined || comment.from.id === ctx.accountId) {
    out.skipped.push({ reason: 'own_account_activity', field, path });
    return;
  }
  // An ad comment sits on the ad's copy of a post; campaigns list the organic
  // post, which Meta gives as `original_media_id`.
  const mediaId = comment.media?.original_media_id ?? comment.media?.id;
  out.events.push(
    toEngagementEvent({
      platform: 'instagram',
      kind: comment.parent_id === undefined ? 'comment' : 'reply',
      actor: {
        platformUserId: comment.from.id,
        ...(comment.from.username === undefined ? {} : { username: comment.from.username }),
      },
      target: { accountId: ctx.accountId, commentId, ...(mediaId === undefined ? {} : { mediaId }) },
      text: comment.text,
      // Comment values carry no time of their own; `entry.time` is when Meta sent them.
      occurredAt: ctx.sentAt ?? ctx.receivedAt,
      receivedAt: ctx.receivedAt,
      source: 'webhook',
      verified: true,
      platformEventId: commentId,
    }),
  );
}
