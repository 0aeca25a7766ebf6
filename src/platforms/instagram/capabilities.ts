/**
 * What Instagram attests, per event kind (see src/platforms/capabilities.ts).
 * Instagram's API names who commented, replied, mentioned the brand or sent
 * it a story mention or message; likes, saves, shares and follows exist only
 * as counts.
 */
import { SHOP_ORDERS, type CapabilityLimit, type PlatformCapabilities } from '../capability.js';

const WEBHOOK_DELIVERY: readonly CapabilityLimit[] = [
  { what: 'changes per webhook delivery', value: 1000 },
  { what: 'webhook retries', value: 36, unit: 'hours' },
];
const POLLING: readonly CapabilityLimit[] = [
  { what: 'comments per page', value: 50 },
  { what: 'rate limit', value: 'Business Use Case limits (X-Business-Use-Case-Usage)' },
];
const COUNTS_ONLY = { verified: false, arrival: ['api'], limits: [] } as const;

export const INSTAGRAM_CAPABILITIES: PlatformCapabilities = {
  comment: {
    verified: true,
    arrival: ['webhook', 'poll', 'api'],
    limits: [...WEBHOOK_DELIVERY, ...POLLING],
    note: 'Top-level comments on the account’s media: `comments` and `live_comments` webhooks, `/{media}/comments` polls.',
  },
  reply: {
    verified: true,
    arrival: ['webhook', 'poll', 'api'],
    limits: [...WEBHOOK_DELIVERY, ...POLLING],
    note: 'Comments with a `parent_id`; polled from `/{comment}/replies`.',
  },
  mention: {
    verified: true,
    arrival: ['webhook', 'poll', 'api'],
    limits: [...WEBHOOK_DELIVERY, { what: 'rate limit', value: 'Business Use Case limits (X-Business-Use-Case-Usage)' }],
    note: 'The `mentions` webhook (Facebook Login) gives ids only; the author is fetched via `mentioned_comment` / `mentioned_media`. With Instagram Login, mentions arrive as comments.',
  },
  story_mention: {
    verified: true,
    arrival: ['webhook', 'api'],
    limits: [...WEBHOOK_DELIVERY, { what: 'story media URL lifetime', value: 24, unit: 'hours' }],
    note: 'A direct message with a `story_mention` attachment (`messages` webhook); the story media is never stored.',
  },
  hashtag_post: {
    verified: true,
    arrival: ['poll', 'api'],
    limits: [
      { what: 'unique hashtags per account', value: 30, unit: 'per 7 days' },
      { what: '`recent_media` window', value: 24, unit: 'hours' },
      { what: 'media per page', value: 50 },
    ],
    note: 'Hashtag search (Facebook Login only) returns posts without their author: credited once a caption @mention of the brand names the poster (verified, one award per post), or as an unverified claim when a member links the post.',
  },
  like: { ...COUNTS_ONLY, note: 'Only like counts per media; who liked is never exposed.' },
  share: { ...COUNTS_ONLY, note: 'Only share counts (insights); who shared is never exposed.' },
  save: { ...COUNTS_ONLY, note: 'Only save counts (insights); who saved is never exposed.' },
  follow: { ...COUNTS_ONLY, note: 'Only follower counts; no per-person follow events.' },
  unfollow: { ...COUNTS_ONLY, note: 'Only follower counts; no per-person unfollow events.' },
  ...SHOP_ORDERS,
  dm: {
    verified: true,
    arrival: ['webhook', 'api'],
    limits: [...WEBHOOK_DELIVERY],
    note: 'Inbound messages (`messages` webhook). A reply to a story carries the story as `mediaId`; echoes, reads, reactions, edits and deletions are skipped.',
  },
  comment_deleted: {
    verified: true,
    arrival: ['poll', 'api'],
    limits: [...POLLING],
    note: 'Instagram sends no deletion webhook: a re-poll that no longer returns an awarded comment reports it.',
  },
};
