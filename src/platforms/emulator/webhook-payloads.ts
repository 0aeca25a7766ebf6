/**
 * Planned engagements → the webhook deliveries Instagram and TikTok would
 * make, byte for byte: bodies, and headers signed the way each platform signs.
 * Pure; sending is webhook-sender.ts.
 */
import type { Platform } from '../../domain/event.js';
import { instagramSignatureOf } from '../instagram/signature.js';
import { signTikTokWebhook } from '../tiktok/signature.js';
import type { PlannedComment, PlannedDeletion, PlannedEngagement, PlannedMention, PlannedReply } from './planned-engagement.js';

export interface WebhookDelivery {
  platform: Platform;
  path: '/webhooks/instagram' | '/webhooks/tiktok';
  /** The raw body, exactly as signed. */
  body: string;
  /** How many engagements this delivery announces. */
  engagements: number;
  /** Headers as sent at `sentAt` (TikTok signs the moment of sending, so a retry is signed anew). */
  headersAt(sentAt: Date): Record<string, string>;
}

export interface WebhookSecrets {
  instagramAppSecret: string;
  tiktokClientSecret: string;
  tiktokClientKey: string;
}

export interface PlannedDeliveries {
  deliveries: WebhookDelivery[];
  /** Engagements no webhook announces: hashtag posts, and comments deleted on Instagram (only a re-poll notices). */
  withoutWebhook: number;
}

export type InstagramComment = (PlannedComment | PlannedReply) & { platform: 'instagram' };
/** What an Instagram webhook announces: comments and replies on the brand's media, and @mentions of the brand elsewhere. */
export type InstagramChange = InstagramComment | PlannedMention;
export type TikTokCommentUpdate = (PlannedComment | PlannedReply | PlannedDeletion) & { platform: 'tiktok' };

/** Meta batches changes; 20 per delivery keeps several accounts and seconds in one body. */
export const DEFAULT_INSTAGRAM_BATCH = 20;

export function plannedDeliveries(
  engagements: readonly PlannedEngagement[],
  secrets: WebhookSecrets,
  instagramBatch = DEFAULT_INSTAGRAM_BATCH,
): PlannedDeliveries {
  const instagram: InstagramChange[] = [];
  const tiktok: TikTokCommentUpdate[] = [];
  let withoutWebhook = 0;
  for (const engagement of engagements) {
    if (engagement.kind === 'mention') instagram.push(engagement);
    else if (engagement.platform === 'tiktok') tiktok.push({ ...engagement, platform: 'tiktok' });
    else if (engagement.platform === 'instagram' && (engagement.kind === 'comment' || engagement.kind === 'reply')) {
      instagram.push({ ...engagement, platform: 'instagram' });
    } else withoutWebhook += 1;
  }
  return {
    deliveries: [
      ...instagramDeliveries(instagram, secrets.instagramAppSecret, instagramBatch),
      ...tiktok.map((update) => tiktokDelivery(update, secrets)),
    ],
    withoutWebhook,
  };
}

/**
 * `{ object: "instagram", entry: [{ id, time, changes: [{ field, value }] }] }`,
 * the Facebook Login shape, with `comments` and `mentions` changes.
 * One entry per account and second, because receivers take `entry.time` as
 * the moment of every change in it.
 */
export function instagramDeliveries(changes: readonly InstagramChange[], appSecret: string, batchSize: number): WebhookDelivery[] {
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new RangeError('batch size must be a positive integer');
  const deliveries: WebhookDelivery[] = [];
  for (let start = 0; start < changes.length; start += batchSize) {
    const batch = changes.slice(start, start + batchSize);
    const entries = new Map<string, { id: string; time: number; changes: unknown[] }>();
    for (const change of batch) {
      const time = Math.floor(change.at.getTime() / 1000);
      const key = `${change.accountId}@${time}`;
      const entry = entries.get(key) ?? { id: change.accountId, time, changes: [] };
      entry.changes.push(
        change.kind === 'mention' ? { field: 'mentions', value: instagramMentionValue(change) } : { field: 'comments', value: instagramCommentValue(change) },
      );
      entries.set(key, entry);
    }
    const body = JSON.stringify({ object: 'instagram', entry: [...entries.values()] });
    const signature = instagramSignatureOf(body, appSecret);
    deliveries.push({
      platform: 'instagram',
      path: '/webhooks/instagram',
      body,
      engagements: batch.length,
      headersAt: () => ({ 'content-type': 'application/json', 'x-hub-signature-256': signature }),
    });
  }
  return deliveries;
}

function instagramCommentValue(comment: InstagramComment): Record<string, unknown> {
  return {
    from: { id: comment.author.id, username: comment.author.username },
    media: { id: comment.mediaId, media_product_type: 'FEED' },
    id: comment.commentId,
    ...(comment.kind === 'reply' ? { parent_id: comment.parentCommentId } : {}),
    text: comment.text,
  };
}

/** Ids only, as Meta sends them: the receiver looks the comment or caption up to learn who wrote it. */
function instagramMentionValue(mention: PlannedMention): Record<string, unknown> {
  return { ...(mention.commentId === undefined ? {} : { comment_id: mention.commentId }), media_id: mention.mediaId };
}

/** A Business API `comment.update`; one event per delivery, as TikTok sends them. */
export function tiktokDelivery(
  update: TikTokCommentUpdate,
  secrets: Pick<WebhookSecrets, 'tiktokClientSecret' | 'tiktokClientKey'>,
): WebhookDelivery {
  const body = JSON.stringify({
    client_key: secrets.tiktokClientKey,
    event: 'comment.update',
    create_time: Math.floor(update.at.getTime() / 1000),
    user_openid: update.accountId,
    content: tiktokCommentContent(update),
  });
  return {
    platform: 'tiktok',
    path: '/webhooks/tiktok',
    body,
    engagements: 1,
    headersAt: (sentAt) => ({
      'content-type': 'application/json',
      'tiktok-signature': signTikTokWebhook(body, secrets.tiktokClientSecret, sentAt),
    }),
  };
}

const NUMERIC_ID_FIELDS = ['comment_id', 'video_id', 'parent_comment_id'] as const;

/**
 * `content` is a JSON string. TikTok writes ids as bare 19-digit numbers (beyond
 * a JS number's precision), so they are spliced in unquoted, as received.
 */
function tiktokCommentContent(update: TikTokCommentUpdate): string {
  const content: Record<string, string | number> = {
    comment_id: update.commentId,
    video_id: update.mediaId,
    ...(update.kind === 'reply' ? { parent_comment_id: update.parentCommentId } : {}),
    // A deletion does not say whether the comment was a reply.
    ...(update.kind === 'comment_deleted' ? {} : { comment_type: update.kind }),
    comment_action: update.kind === 'comment_deleted' ? 'delete' : 'insert',
    timestamp: update.at.getTime(),
    ...(update.author.uniqueIdentifier === undefined ? {} : { unique_identifier: update.author.uniqueIdentifier }),
    ...(update.kind === 'comment_deleted' ? {} : { text: update.text }),
  };
  let json = JSON.stringify(content);
  for (const field of NUMERIC_ID_FIELDS) {
    const value = content[field];
    if (typeof value === 'string' && /^\d+$/.test(value)) json = json.replace(`"${field}":"${value}"`, `"${field}":${value}`);
  }
  return json;
}
