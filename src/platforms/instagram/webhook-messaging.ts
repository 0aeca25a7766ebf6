/**
 * `entry[].messaging[]` items → `story_mention` and `dm` events.
 *
 * - A message with a `story_mention` attachment is a story mention (the CDN
 *   URL is never kept: Meta forbids storing story media).
 * - Any other inbound message is a `dm`. A reply to one of the brand's stories
 *   (`reply_to.story`) is a `dm` too, with the story as `target.mediaId`, so a
 *   rule with `on_campaign_media` can require the campaign's story.
 * - Echoes of the brand's own messages, deletions, reads, reactions, edits,
 *   postbacks, referrals, opt-ins and handover are counted skips.
 */
import { z } from 'zod';
import { toEngagementEvent } from '../../domain/event.js';
import { flagSchema, igIdSchema, issuePath, messageIdSchema } from './webhook-fields.js';
import type { EntryContext, InstagramSkipReason, ParsedWebhook } from './webhook-types.js';
import { platformEpochSchema } from '../epoch.js';

const messageSchema = z.object({
  mid: messageIdSchema,
  text: z.string().max(5000).optional(),
  attachments: z.array(z.object({ type: z.string() })).optional(),
  reply_to: z.object({ mid: messageIdSchema.optional(), story: z.object({ id: igIdSchema }).optional() }).optional(),
  is_echo: flagSchema.optional(),
  is_deleted: flagSchema.optional(),
  is_self: flagSchema.optional(),
});

const messagingSchema = z.object({
  sender: z.object({ id: igIdSchema }),
  recipient: z.object({ id: igIdSchema }),
  timestamp: platformEpochSchema.optional(),
  is_self: flagSchema.optional(),
  message: messageSchema.optional(),
});

/** Messaging items that are not messages, in the order Meta documents them. */
const NON_MESSAGE_ITEMS: ReadonlyArray<readonly [string, InstagramSkipReason]> = [
  ['read', 'message_read'],
  ['reaction', 'message_reaction'],
  ['message_edit', 'message_edit'],
  ['postback', 'messaging_postback'],
  ['referral', 'messaging_referral'],
  ['optin', 'messaging_optin'],
  ['pass_thread_control', 'messaging_handover'],
  ['take_thread_control', 'messaging_handover'],
  ['request_thread_control', 'messaging_handover'],
];

export function parseMessagingItem(raw: unknown, ctx: EntryContext, path: string, out: ParsedWebhook): void {
  const parsed = messagingSchema.safeParse(raw);
  if (!parsed.success) {
    out.skipped.push({ reason: 'malformed_messaging', field: 'messaging', path: issuePath(path, parsed.error) });
    return;
  }
  const item = parsed.data;
  const message = item.message;
  if (message === undefined) {
    out.skipped.push({ reason: nonMessageReason(raw, item.is_self === true), field: 'messaging', path });
    return;
  }
  const skip = messageSkipReason(item, message, ctx);
  if (skip !== undefined) {
    out.skipped.push({ reason: skip, field: 'messaging', path });
    return;
  }
  const isStoryMention = message.attachments?.some((attachment) => attachment.type === 'story_mention') ?? false;
  const storyId = message.reply_to?.story?.id;
  out.events.push(
    toEngagementEvent({
      platform: 'instagram',
      kind: isStoryMention ? 'story_mention' : 'dm',
      actor: { platformUserId: item.sender.id },
      target: { accountId: ctx.accountId, ...(storyId === undefined || isStoryMention ? {} : { mediaId: storyId }) },
      text: message.text,
      occurredAt: item.timestamp ?? ctx.sentAt ?? ctx.receivedAt,
      receivedAt: ctx.receivedAt,
      source: 'webhook',
      verified: true,
      platformEventId: message.mid,
    }),
  );
}

function messageSkipReason(
  item: z.infer<typeof messagingSchema>,
  message: z.infer<typeof messageSchema>,
  ctx: EntryContext,
): InstagramSkipReason | undefined {
  // Meta sends an `is_self` item when the webhook is first wired up.
  if (item.is_self === true || message.is_self === true) return 'message_self_test';
  if (message.is_echo === true) return 'message_echo';
  if (item.sender.id === ctx.accountId) return 'own_account_activity';
  if (message.is_deleted === true) return 'message_deleted';
  return undefined;
}

function nonMessageReason(raw: unknown, isSelfTest: boolean): InstagramSkipReason {
  if (isSelfTest) return 'message_self_test';
  if (typeof raw !== 'object' || raw === null) return 'unsupported_messaging';
  const found = NON_MESSAGE_ITEMS.find(([key]) => key in raw);
  return found === undefined ? 'unsupported_messaging' : found[1];
}
