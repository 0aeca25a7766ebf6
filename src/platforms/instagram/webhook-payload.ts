/**
 * src/platforms/instagram owns everything Instagram-specific: webhook
 * signature and payload parsing, API access, pollers and its capability
 * entries. It turns platform shapes into canonical events and nothing more:
 * no queues, stores or scoring here.
 *
 * This file: a signature-checked `POST /webhooks/instagram` body → canonical
 * events plus counted skips. It accepts every documented shape
 * (`entry[].changes[]`, `field`/`value` directly on the entry as in Business
 * Login for Instagram, and `entry[].messaging[]`); whatever it does not
 * understand becomes a skip with a reason and a path, never an exception.
 * Meta batches up to 1000 changes per delivery; all of them are parsed.
 */
import { z } from 'zod';
import { parseCommentChange } from './webhook-comments.js';
import { igIdSchema, issuePath } from './webhook-fields.js';
import { parseMessagingItem } from './webhook-messaging.js';
import { parseMentionChange } from './mentions.js';
import type { EntryContext, ParsedWebhook } from './webhook-types.js';
import { platformEpochSchema } from '../epoch.js';

export type { InstagramSkipReason, MentionLookup, ParsedWebhook, SkippedChange } from './webhook-types.js';
export { INSTAGRAM_SKIP_REASONS } from './webhook-types.js';

/** The envelope only: entries are checked one by one so one bad entry cannot sink a batch. */
/** Meta batches at most 1,000 changes in one delivery; more is not Meta. */
export const MAX_CHANGES_PER_DELIVERY = 1_000;

export const instagramWebhookSchema = z
  .object({ object: z.string(), entry: z.array(z.unknown()).max(MAX_CHANGES_PER_DELIVERY) })
  .refine((body) => changesIn(body.entry) <= MAX_CHANGES_PER_DELIVERY, { message: `a delivery carries at most ${MAX_CHANGES_PER_DELIVERY} changes` });

/** Changes and messages across a delivery's entries (an entry that is not an object counts as one). */
function changesIn(entries: readonly unknown[]): number {
  let count = 0;
  for (const entry of entries) {
    const parts = typeof entry === 'object' && entry !== null ? (entry as Record<string, unknown>) : {};
    const lists = [parts['changes'], parts['messaging'], parts['standby']].filter(Array.isArray);
    count += lists.length === 0 ? 1 : lists.reduce((sum, list) => sum + list.length, 0);
  }
  return count;
}
export type InstagramWebhookBody = z.infer<typeof instagramWebhookSchema>;

const entrySchema = z.object({
  id: igIdSchema,
  time: platformEpochSchema.optional(),
  changes: z.array(z.unknown()).optional(),
  messaging: z.array(z.unknown()).optional(),
  standby: z.array(z.unknown()).optional(),
  field: z.string().optional(),
  value: z.unknown().optional(),
});

const changeSchema = z.object({ field: z.string().min(1), value: z.unknown() });

export function parseInstagramWebhook(body: InstagramWebhookBody, receivedAt: Date): ParsedWebhook {
  const out: ParsedWebhook = { events: [], skipped: [] };
  if (body.object !== 'instagram') {
    out.skipped.push({ reason: 'unknown_object', path: 'object' });
    return out;
  }
  body.entry.forEach((rawEntry, index) => parseEntry(rawEntry, `entry[${index}]`, receivedAt, out));
  return out;
}

function parseEntry(rawEntry: unknown, path: string, receivedAt: Date, out: ParsedWebhook): void {
  const parsed = entrySchema.safeParse(rawEntry);
  if (!parsed.success) {
    out.skipped.push({ reason: 'malformed_entry', path: issuePath(path, parsed.error) });
    return;
  }
  const entry = parsed.data;
  const ctx: EntryContext = { accountId: entry.id, sentAt: entry.time, receivedAt };
  const { changes, messaging, standby, field } = entry;
  if (changes === undefined && messaging === undefined && standby === undefined && field === undefined) {
    out.skipped.push({ reason: 'empty_entry', path });
    return;
  }
  changes?.forEach((change, index) => parseChange(change, ctx, `${path}.changes[${index}]`, out));
  if (field !== undefined) parseChange({ field, value: entry.value }, ctx, path, out);
  messaging?.forEach((item, index) => parseMessagingItem(item, ctx, `${path}.messaging[${index}]`, out));
  // Standby items belong to another app holding the thread (handover protocol).
  standby?.forEach((_, index) => out.skipped.push({ reason: 'messaging_standby', field: 'standby', path: `${path}.standby[${index}]` }));
}

function parseChange(rawChange: unknown, ctx: EntryContext, path: string, out: ParsedWebhook): void {
  const parsed = changeSchema.safeParse(rawChange);
  if (!parsed.success) {
    out.skipped.push({ reason: 'malformed_change', path: issuePath(path, parsed.error) });
    return;
  }
  const { field, value } = parsed.data;
  switch (field) {
    case 'comments':
    case 'live_comments':
      parseCommentChange(field, value, ctx, path, out);
      return;
    case 'mentions':
      parseMentionChange(value, ctx, path, out);
      return;
    case 'story_insights':
      out.skipped.push({ reason: 'story_insights_ignored', field, path });
      return;
    case 'messages':
      // The App Dashboard's "Test" button sends a messaging item as a change value.
      parseMessagingItem(value, ctx, `${path}.value`, out);
      return;
    default:
      out.skipped.push({ reason: 'unsupported_field', field, path });
  }
}
