/**
 * src/platforms/tiktok owns everything TikTok-specific: webhook signature and
 * payload parsing, Business API access, pollers and its capability entries.
 * It turns platform shapes into canonical events and account notices and
 * nothing more: no queues, stores or scoring here.
 *
 * This file: one parser for every body `POST /webhooks/tiktok` receives, after
 * its signature was checked. Both webhook families share the envelope
 * `{ client_key, event, create_time, user_openid, content }` with `content` a
 * JSON string:
 * - developer webhooks (Login Kit, Content Posting): `authorization.removed`
 *   becomes an account notice; posting events are counted skips;
 * - Business API webhooks: `comment.update` and `brand.mention.event` become
 *   events; direct messages are counted skips.
 * Nothing here throws on content: problems become skips with a reason.
 */
import { z } from 'zod';
import { platformEpochSchema } from '../epoch.js';
import { parseCommentUpdate } from './webhook-comments.js';
import { parseContentJson, tiktokUserIdSchema } from './webhook-content.js';
import { parseBrandMention } from './webhook-mentions.js';
import {
  DEAUTHORIZATION_REASONS,
  type DeliveryContext,
  type ParsedTikTokWebhook,
  type TikTokAccountNotice,
} from './webhook-types.js';

export type {
  DeauthorizationReason,
  ParsedTikTokWebhook,
  TikTokAccountNotice,
  TikTokCommentLookup,
  TikTokSkipReason,
  TikTokSkippedEvent,
} from './webhook-types.js';
export { TIKTOK_SKIP_REASONS } from './webhook-types.js';

export const tiktokWebhookSchema = z.object({
  client_key: z.string().min(1),
  event: z.string().min(1),
  create_time: platformEpochSchema,
  user_openid: tiktokUserIdSchema,
  content: z.string(),
});

/** Events about the app's own posts (Content Posting API), not engagement. */
const POSTING_EVENT = /^(video\.(upload|publish)|post\.publish)\./;
/** Documented families this product does not ingest: Business Messaging, data portability. */
const UNSUPPORTED_EVENT = /^(im_|portability\.)/;

export function parseTikTokWebhook(body: unknown, receivedAt: Date): ParsedTikTokWebhook {
  const out: ParsedTikTokWebhook = { events: [], notices: [], skipped: [] };
  const envelope = tiktokWebhookSchema.safeParse(body);
  if (!envelope.success) {
    const first = envelope.error.issues[0];
    out.skipped.push({ reason: 'malformed_envelope', path: first?.path.join('.') ?? '' });
    return out;
  }
  const { event, user_openid: accountId, create_time: createdAt, content: rawContent } = envelope.data;
  const ctx: DeliveryContext = { event, accountId, createdAt, receivedAt };
  const content = parseContentJson(rawContent);

  if (event === 'authorization.removed') {
    // The token is already revoked: the notice matters even when `content` is unreadable.
    out.notices.push(deauthorization(content.ok ? content.value : undefined, ctx));
    return out;
  }
  if (POSTING_EVENT.test(event)) {
    out.skipped.push({ reason: 'posting_event_ignored', event });
    return out;
  }
  if (UNSUPPORTED_EVENT.test(event)) {
    out.skipped.push({ reason: 'unsupported_event', event });
    return out;
  }
  if (event !== 'comment.update' && event !== 'brand.mention.event') {
    out.skipped.push({ reason: 'unknown_event', event });
    return out;
  }
  if (!content.ok) {
    out.skipped.push({ reason: 'malformed_content', event, path: 'content' });
    return out;
  }
  if (event === 'comment.update') parseCommentUpdate(content.value, ctx, out);
  else parseBrandMention(content.value, ctx, out);
  return out;
}

const deauthorizationSchema = z.object({ reason: z.number().int() });

function deauthorization(content: unknown, ctx: DeliveryContext): TikTokAccountNotice {
  const parsed = deauthorizationSchema.safeParse(content);
  const reasonCode = parsed.success ? parsed.data.reason : undefined;
  return {
    platform: 'tiktok',
    kind: 'authorization_removed',
    accountId: ctx.accountId,
    reason: (reasonCode === undefined ? undefined : DEAUTHORIZATION_REASONS[reasonCode]) ?? 'unknown',
    reasonCode,
    occurredAt: ctx.createdAt,
  };
}
