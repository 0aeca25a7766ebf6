/**
 * Business API `brand.mention.event` → `mention`. TikTok sends it 2–3 hours
 * after someone @mentions the business in a video caption (`VIDEO_MENTION`)
 * or in a comment (`COMMENT`); `unique_identifier` is the poster or commenter.
 * Only `CREATE` earns; `EDIT` and `PRIVACY_CHANGE` are counted skips.
 */
import { z } from 'zod';
import { toEngagementEvent } from '../../domain/event.js';
import { contentIssuePath, tiktokIdSchema, tiktokUserIdSchema } from './webhook-content.js';
import type { DeliveryContext, ParsedTikTokWebhook } from './webhook-types.js';
import { platformEpochSchema } from '../epoch.js';

const brandMentionSchema = z.object({
  type_of_event: z.string().min(1),
  // TikTok's own sample writes "VIDEO MENTION" while its field table says VIDEO_MENTION.
  mention_type: z.enum(['VIDEO_MENTION', 'VIDEO MENTION', 'COMMENT']),
  video_id: tiktokIdSchema,
  unique_identifier: tiktokUserIdSchema,
  // "0" for a caption mention.
  comment_id: tiktokIdSchema.optional(),
  video_caption: z.string().max(5000).optional(),
  video_create_time: platformEpochSchema.optional(),
});

export function parseBrandMention(content: unknown, ctx: DeliveryContext, out: ParsedTikTokWebhook): void {
  const parsed = brandMentionSchema.safeParse(content);
  if (!parsed.success) {
    out.skipped.push({ reason: 'malformed_content', event: ctx.event, path: contentIssuePath(parsed.error) });
    return;
  }
  const mention = parsed.data;
  if (mention.type_of_event !== 'CREATE') {
    out.skipped.push({ reason: 'mention_update_ignored', event: ctx.event, path: 'content.type_of_event' });
    return;
  }
  const inComment = mention.mention_type === 'COMMENT';
  const commentId = inComment ? mention.comment_id : undefined;
  if (inComment && (commentId === undefined || commentId === '0')) {
    out.skipped.push({ reason: 'malformed_content', event: ctx.event, path: 'content.comment_id' });
    return;
  }
  out.events.push(
    toEngagementEvent({
      platform: 'tiktok',
      kind: 'mention',
      actor: { platformUserId: mention.unique_identifier },
      target: { accountId: ctx.accountId, mediaId: mention.video_id, ...(commentId === undefined ? {} : { commentId }) },
      // The caption is the mentioning text only for a caption mention; a comment's text is not sent.
      text: inComment ? undefined : mention.video_caption,
      occurredAt: inComment ? ctx.createdAt : (mention.video_create_time ?? ctx.createdAt),
      receivedAt: ctx.receivedAt,
      source: 'webhook',
      verified: true,
      platformEventId: commentId ?? mention.video_id,
    }),
  );
}
