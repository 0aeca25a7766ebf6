/**
 * What TikTok attests, per event kind (see src/platforms/capabilities.ts).
 * The Business API names who commented and who @mentioned the business;
 * everything else is counts, or not exposed to business accounts at all.
 */
import { SHOP_ORDERS, type CapabilityLimit, type PlatformCapabilities } from '../capability.js';

const WEBHOOK_RETRIES: CapabilityLimit = { what: 'webhook retries', value: 72, unit: 'hours' };
const COMMENT_DELIVERY: readonly CapabilityLimit[] = [
  { what: 'webhook delay, at most', value: 5, unit: 'minutes' },
  WEBHOOK_RETRIES,
  { what: 'comments per page', value: 30 },
  { what: 'videos per page', value: 20 },
  { what: 'rate limited', value: 'error code 40100' },
];
const NOT_EXPOSED = { verified: false, arrival: ['api'], limits: [] } as const;

export const TIKTOK_CAPABILITIES: PlatformCapabilities = {
  comment: {
    verified: true,
    arrival: ['webhook', 'poll', 'api'],
    limits: COMMENT_DELIVERY,
    note: '`comment.update` with `insert` on the business account’s posts; polled from `/business/comment/list/`.',
  },
  reply: {
    verified: true,
    arrival: ['webhook', 'poll', 'api'],
    limits: COMMENT_DELIVERY,
    note: '`comment.update` with `comment_type: reply` (or a non-zero `parent_comment_id`).',
  },
  mention: {
    verified: true,
    arrival: ['webhook', 'api'],
    limits: [{ what: 'webhook latency', value: '2–3', unit: 'hours' }, WEBHOOK_RETRIES],
    note: '`brand.mention.event` for @mentions in captions and comments; edits and privacy changes are skipped.',
  },
  story_mention: { ...NOT_EXPOSED, note: 'TikTok’s business API has no story mentions.' },
  hashtag_post: {
    verified: true,
    arrival: ['webhook', 'api'],
    limits: [{ what: 'webhook latency', value: '2–3', unit: 'hours' }, WEBHOOK_RETRIES],
    note: 'No hashtag search for business accounts (the Research API is for academic use only); a video whose caption @mentions the business (`brand.mention.event`) and carries a campaign hashtag is its poster’s hashtag post.',
  },
  like: { ...NOT_EXPOSED, note: 'Only like counts per video; who liked is never exposed.' },
  share: { ...NOT_EXPOSED, note: 'Only share counts per video; who shared is never exposed.' },
  save: { ...NOT_EXPOSED, note: 'Only counts, if any; who saved is never exposed.' },
  follow: { ...NOT_EXPOSED, note: 'Only follower counts; no per-person follow events.' },
  unfollow: { ...NOT_EXPOSED, note: 'Only follower counts; no per-person unfollow events.' },
  ...SHOP_ORDERS,
  dm: {
    ...NOT_EXPOSED,
    note: 'Business Messaging webhooks are not ingested (senders in the EEA, Switzerland and the UK arrive without sender or text).',
  },
  comment_deleted: {
    verified: true,
    arrival: ['webhook', 'poll', 'api'],
    limits: COMMENT_DELIVERY,
    note: '`comment.update` with `delete` or `set_to_hidden` reverses the award; `set_to_public` does not restore it.',
  },
};
