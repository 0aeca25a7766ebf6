/**
 * @mentions of the brand in other people's captions and comments. The
 * `mentions` webhook value is `{ media_id, comment_id? }` with no author, and
 * an event must name its actor, so the webhook yields a lookup for the poller;
 * the poller fetches the author and builds the event here, with the same id.
 */
import { z } from 'zod';
import { toEngagementEvent, type EngagementEvent, type EventSource } from '../../domain/event.js';
import { igIdSchema, issuePath } from './webhook-fields.js';
import type { EntryContext, MentionLookup, ParsedWebhook } from './webhook-types.js';

const mentionValueSchema = z.object({ media_id: igIdSchema, comment_id: igIdSchema.optional() });

export function parseMentionChange(value: unknown, ctx: EntryContext, path: string, out: ParsedWebhook): void {
  const parsed = mentionValueSchema.safeParse(value);
  if (!parsed.success) {
    out.skipped.push({ reason: 'malformed_value', field: 'mentions', path: issuePath(`${path}.value`, parsed.error) });
    return;
  }
  const { media_id: mediaId, comment_id: commentId } = parsed.data;
  out.skipped.push({
    reason: 'mention_needs_lookup',
    field: 'mentions',
    path,
    lookup: { accountId: ctx.accountId, mediaId, ...(commentId === undefined ? {} : { commentId }) },
  });
}

/** A mention in a comment is identified by the comment, one in a caption by the media. */
export function instagramMentionEventId(lookup: MentionLookup): string {
  return lookup.commentId ?? lookup.mediaId;
}

export interface MentionFound {
  lookup: MentionLookup;
  author: { id: string; username?: string };
  /** The comment text, or the caption for a caption mention. */
  text?: string;
  occurredAt: Date;
  receivedAt: Date;
  source: EventSource;
}

export function instagramMentionEvent(found: MentionFound): EngagementEvent {
  const { lookup, author } = found;
  return toEngagementEvent({
    platform: 'instagram',
    kind: 'mention',
    actor: { platformUserId: author.id, ...(author.username === undefined ? {} : { username: author.username }) },
    target: {
      accountId: lookup.accountId,
      mediaId: lookup.mediaId,
      ...(lookup.commentId === undefined ? {} : { commentId: lookup.commentId }),
    },
    text: found.text,
    occurredAt: found.occurredAt,
    receivedAt: found.receivedAt,
    source: found.source,
    verified: true,
    platformEventId: instagramMentionEventId(lookup),
  });
}
