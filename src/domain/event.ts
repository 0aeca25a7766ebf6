/**
 * src/domain owns the canonical shapes every stage agrees on: the engagement
 * event, its idempotency key and the pure helpers around them. No I/O here.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { normalizeHashtag } from './hashtags.js';

export const PLATFORMS = ['instagram', 'tiktok'] as const;
export const platformSchema = z.enum(PLATFORMS);
export type Platform = z.infer<typeof platformSchema>;

export const EVENT_KINDS = [
  'comment',
  'reply',
  'mention',
  'story_mention',
  'hashtag_post',
  'like',
  'share',
  'save',
  'follow',
  'dm',
  'comment_deleted',
  'unfollow',
  'purchase',
  'order_refunded',
] as const;
export const eventKindSchema = z.enum(EVENT_KINDS);
export type EventKind = z.infer<typeof eventKindSchema>;

export const EVENT_SOURCES = ['webhook', 'poll', 'api', 'emulator'] as const;
export const eventSourceSchema = z.enum(EVENT_SOURCES);
export type EventSource = z.infer<typeof eventSourceSchema>;

/** Profile facts about the actor, only when a platform or the brand told us. Unknown is never guilt. */
export const actorProfileSchema = z
  .object({
    accountCreatedAt: z.coerce.date(),
    followersCount: z.number().int().nonnegative(),
    followingCount: z.number().int().nonnegative(),
    mediaCount: z.number().int().nonnegative(),
    hasDefaultAvatar: z.boolean(),
  })
  .partial()
  .strict();
export type ActorProfile = z.infer<typeof actorProfileSchema>;

/**
 * One grammar for ids, wherever they are accepted or reached: a platform's
 * user id (Instagram digits, TikTok open ids such as `-000IBjy0_xi.act` and
 * base64 `unique_identifier`s, whose `/` a URL path carries as `%2F`),
 * the member id built from it, a platform event id (story-mention message
 * ids run to 150+ characters) and the event key built from that.
 */
export const PLATFORM_USER_ID_MAX = 128;
const USER_ID_CHARS = '[A-Za-z0-9._+/=-]';
export const platformUserIdSchema = z
  .string()
  .regex(new RegExp(`^${USER_ID_CHARS}{1,${PLATFORM_USER_ID_MAX}}$`), `must be 1 to ${PLATFORM_USER_ID_MAX} letters, digits or any of . _ - + / =`);
export const memberIdSchema = z
  .string()
  .regex(new RegExp(`^(${PLATFORMS.join('|')}):${USER_ID_CHARS}{1,${PLATFORM_USER_ID_MAX}}$`), 'must be a member id such as instagram:17841400000000001');
export const PLATFORM_EVENT_ID_MAX = 256;
export const platformEventIdSchema = z
  .string()
  .regex(new RegExp(`^[\\x21-\\x7e]{1,${PLATFORM_EVENT_ID_MAX}}$`), `must be 1 to ${PLATFORM_EVENT_ID_MAX} visible ASCII characters`);
/** `platform:kind:platformEventId`. */
export const EVENT_KEY_MAX = 300;
export const eventKeySchema = z
  .string()
  .regex(new RegExp(`^(${PLATFORMS.join('|')}):[a-z_]+:[\\x21-\\x7e]{1,${PLATFORM_EVENT_ID_MAX}}$`), 'must be an event key such as instagram:comment:17990000000000001');

/** Instants an engagement can have: from Instagram's launch to well past any campaign (outside: a broken clock or a forged body). */
export const EARLIEST_EVENT_TIME = new Date('2010-01-01T00:00:00Z');
export const LATEST_EVENT_TIME = new Date('2100-01-01T00:00:00Z');
export const eventTimeSchema = z.coerce
  .date({ errorMap: () => ({ message: 'must be a date and time' }) })
  .refine((at) => at >= EARLIEST_EVENT_TIME && at < LATEST_EVENT_TIME, { message: `must lie between ${EARLIEST_EVENT_TIME.toISOString()} and ${LATEST_EVENT_TIME.toISOString()}` });

export const actorSchema = z
  .object({
    platformUserId: platformUserIdSchema,
    username: z.string().min(1).max(128).optional(),
    profile: actorProfileSchema.optional(),
  })
  .strict();
export type Actor = z.infer<typeof actorSchema>;

/** A referral or influencer code as printed and typed: letters, digits, `-` and `_`, compared in upper case. */
export const referralCodeSchema = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9_-]{3,32}$/, 'must be 3 to 32 letters, digits, "-" or "_"')
  .transform((code) => code.toUpperCase());

/**
 * A paid order from the brand's shop (kind `purchase`; the order id is the
 * platform event id, so an order delivered again is the same event). The
 * references are the shop's own opaque ids (a customer account, a hashed
 * delivery address), never the address itself: they only say "the same".
 */
export const orderSchema = z
  .object({
    amount: z.number().nonnegative().max(100_000_000),
    currency: z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code such as SAR'),
    code: referralCodeSchema.optional(),
    customerRef: z.string().min(1).max(128).optional(),
    shippingRef: z.string().min(1).max(128).optional(),
  })
  .strict();
export type Order = z.infer<typeof orderSchema>;

export const targetSchema = z
  .object({
    accountId: z.string().min(1).max(128),
    mediaId: z.string().min(1).max(128).optional(),
    commentId: z.string().min(1).max(128).optional(),
  })
  .strict();
export type Target = z.infer<typeof targetSchema>;

export const engagementEventSchema = z
  .object({
    platform: platformSchema,
    kind: eventKindSchema,
    actor: actorSchema,
    target: targetSchema,
    text: z.string().max(5000).optional(),
    hashtags: z.array(z.string()),
    occurredAt: eventTimeSchema,
    receivedAt: eventTimeSchema,
    source: eventSourceSchema,
    verified: z.boolean(),
    platformEventId: platformEventIdSchema,
    eventKey: z.string().min(1).max(EVENT_KEY_MAX),
    /** Kind `purchase` only: the paid order. */
    order: orderSchema.optional(),
  })
  .strict();
export type EngagementEvent = z.infer<typeof engagementEventSchema>;

/**
 * `platform:kind:platformEventId`. A colon inside the platform id is escaped so
 * the key always has exactly three parts (it doubles as the BullMQ job id).
 */
export function eventKeyOf(platform: Platform, kind: EventKind, platformEventId: string): string {
  return `${platform}:${kind}:${platformEventId.replaceAll('%', '%25').replaceAll(':', '%3A')}`;
}

/** A stable id for actions the platform gives no id for: a hash of what identifies the action. */
export function derivedEventId(parts: readonly string[]): string {
  return createHash('sha256').update(parts.join('\u001f')).digest('hex').slice(0, 32);
}

/** Kinds that take points back and never earn: a deleted comment, an unfollow, a refunded order. */
export const REMOVAL_KINDS: ReadonlySet<EventKind> = new Set<EventKind>(['comment_deleted', 'unfollow', 'order_refunded']);

/** Members are people on one platform; the same person on two platforms is two members. */
export function memberIdOf(platform: Platform, platformUserId: string): string {
  return `${platform}:${platformUserId}`;
}

/** Hashtags written in a text, normalized (`#` dropped, lower case, Arabic letters folded). */
export function hashtagsIn(text: string): string[] {
  const found = text.match(/#[\p{L}\p{M}\p{N}_]+/gu) ?? [];
  return [...new Set(found.map(normalizeHashtag))];
}

export interface EventDraft {
  platform: Platform;
  kind: EventKind;
  actor: Actor;
  target: Target;
  text?: string | undefined;
  occurredAt: Date;
  receivedAt: Date;
  source: EventSource;
  verified: boolean;
  platformEventId: string;
  order?: Order | undefined;
}

/** Completes a draft with its derived fields: eventKey and normalized hashtags. */
export function toEngagementEvent(draft: EventDraft, extraHashtags: readonly string[] = []): EngagementEvent {
  const { text, order, ...rest } = draft;
  const fromText = text === undefined ? [] : hashtagsIn(text);
  const hashtags = [...new Set([...fromText, ...extraHashtags.map(normalizeHashtag)])];
  return {
    ...rest,
    ...(text === undefined ? {} : { text }),
    ...(order === undefined ? {} : { order }),
    hashtags,
    eventKey: eventKeyOf(draft.platform, draft.kind, draft.platformEventId),
  };
}
