/**
 * An activity plan: for a campaign's accounts and media, who comments,
 * replies, posts with the campaign hashtag, @mentions the brand elsewhere or
 * deletes a comment, and when.
 * Pure and seeded; the webhook sender and the API emulator both play it.
 */
import type { Platform } from '../../domain/event.js';
import { brandCaptions, type CampaignTheme } from './corpus.js';
import type { Follower, Population } from './population.js';
import { Planner } from './planner.js';
import { createRandom, weightedPicker, type Random } from './random.js';

export interface InstagramTarget {
  accountId: string;
  username?: string;
  mediaIds: readonly string[];
}

export interface TikTokTarget {
  businessId: string;
  username?: string;
  videoIds: readonly string[];
}

export interface CampaignTargets {
  instagram?: readonly InstagramTarget[];
  tiktok?: readonly TikTokTarget[];
  /** As the brand writes them, with or without `#` (`قهوة_نقطة`). */
  hashtags?: readonly string[];
}

/** A post or video of the brand that followers comment on. */
export interface BrandMedia {
  platform: Platform;
  accountId: string;
  accountUsername: string;
  mediaId: string;
  caption: string;
  publishedAt: Date;
}

export interface EngagementAuthor {
  /** Instagram user id, or TikTok `user_id`. */
  id: string;
  username: string;
  displayName: string;
  /** TikTok only. */
  uniqueIdentifier?: string;
}

interface PlannedBase {
  platform: Platform;
  at: Date;
  followerIndex: number;
  /** The campaign account (Instagram user id or TikTok business id). */
  accountId: string;
  mediaId: string;
}

export interface PlannedComment extends PlannedBase {
  kind: 'comment';
  commentId: string;
  text: string;
  author: EngagementAuthor;
}

export interface PlannedReply extends PlannedBase {
  kind: 'reply';
  commentId: string;
  parentCommentId: string;
  text: string;
  author: EngagementAuthor;
}

/** A follower's own Instagram post carrying a campaign hashtag; `mediaId` is that post. */
export interface PlannedHashtagPost extends PlannedBase {
  kind: 'hashtag_post';
  platform: 'instagram';
  hashtag: string;
  caption: string;
  author: EngagementAuthor;
}

/** The author takes their comment (or reply) down; `author` is whose it was. */
export interface PlannedDeletion extends PlannedBase {
  kind: 'comment_deleted';
  commentId: string;
  author: EngagementAuthor;
}

/**
 * A follower @mentions the brand away from its own posts: in a comment on
 * another user's post (`commentId` set) or in the caption of their own post.
 * `mediaId` is the post the mention sits on; `accountUsername` is the handle
 * written after the `@`.
 */
export interface PlannedMention extends PlannedBase {
  kind: 'mention';
  platform: 'instagram';
  accountUsername: string;
  commentId?: string;
  text: string;
  author: EngagementAuthor;
}

export type PlannedEngagement = PlannedComment | PlannedReply | PlannedHashtagPost | PlannedDeletion | PlannedMention;

export interface ActivityPlanOptions {
  seed: number;
  from: Date;
  to: Date;
  /** How many engagements in total. */
  engagements: number;
  theme?: CampaignTheme;
  /** Shares of each kind; comments take the rest. Defaults: reply 0.15, hashtagPost 0.1, deletion 0.02, mention 0. */
  mix?: { reply?: number; hashtagPost?: number; deletion?: number; mention?: number };
  /** Share of comments and replies on TikTok when the campaign has both platforms (default 0.35). */
  tiktokShare?: number;
}

export interface ActivityPlan {
  seed: number;
  from: Date;
  to: Date;
  theme: CampaignTheme;
  targets: CampaignTargets;
  media: BrandMedia[];
  /** In time order. */
  engagements: PlannedEngagement[];
}

export function planActivity(population: Population, targets: CampaignTargets, options: ActivityPlanOptions): ActivityPlan {
  if (population.followers.length === 0) throw new RangeError('an activity plan needs followers');
  if (!Number.isInteger(options.engagements) || options.engagements < 0) throw new RangeError('engagements must be a whole number');
  const random = createRandom(options.seed).fork('plan');
  const theme = options.theme ?? 'cafe';
  const media = brandMediaOf(targets, theme, options.from, random);
  const planner = new Planner(population, targets, media, theme, random);
  const mix = {
    reply: options.mix?.reply ?? 0.15,
    hashtagPost: options.mix?.hashtagPost ?? 0.1,
    deletion: options.mix?.deletion ?? 0.02,
    mention: options.mix?.mention ?? 0,
  };
  const beforeMentions = mix.deletion + mix.reply + mix.hashtagPost;
  const tiktokShare = planner.hasPlatform('instagram') ? (planner.hasPlatform('tiktok') ? (options.tiktokShare ?? 0.35) : 0) : 1;
  const pickFollower = weightedPicker(population.followers.map((f) => f.activity));

  const engagements: PlannedEngagement[] = [];
  for (const at of engagementTimes(options, random)) {
    const follower = population.followers[pickFollower(random)] as Follower;
    const platform: Platform = random.chance(tiktokShare) ? 'tiktok' : 'instagram';
    const roll = random.next();
    // When a kind cannot happen yet (nothing to reply to or delete), the follower comments instead.
    const engagement =
      (roll < mix.deletion ? planner.deletion(platform, at) : undefined) ??
      (roll < mix.deletion + mix.reply ? planner.reply(follower, platform, at) : undefined) ??
      (roll < beforeMentions ? planner.hashtagPost(follower, at) : undefined) ??
      // A mention is drawn in its own band only, so a zero mention share leaves the plan untouched.
      (roll >= beforeMentions && roll < beforeMentions + mix.mention ? planner.mention(follower, at) : undefined) ??
      planner.comment(follower, platform, at);
    engagements.push(engagement);
  }
  return { seed: options.seed, from: options.from, to: options.to, theme, targets, media, engagements };
}

function brandMediaOf(targets: CampaignTargets, theme: CampaignTheme, from: Date, random: Random): BrandMedia[] {
  const media: BrandMedia[] = [];
  const add = (platform: Platform, accountId: string, accountUsername: string, mediaIds: readonly string[]): void => {
    // Published before the campaign starts, newest last, six hours apart.
    mediaIds.forEach((mediaId, i) => {
      const publishedAt = new Date(from.getTime() - (mediaIds.length - i) * 6 * 3_600_000);
      media.push({ platform, accountId, accountUsername, mediaId, caption: random.pick(brandCaptions(theme)), publishedAt });
    });
  };
  const usernameOf = (id: string, username: string | undefined): string => username ?? `brand_${id.slice(-4)}`;
  for (const account of targets.instagram ?? []) {
    add('instagram', account.accountId, usernameOf(account.accountId, account.username), account.mediaIds);
  }
  for (const account of targets.tiktok ?? []) {
    add('tiktok', account.businessId, usernameOf(account.businessId, account.username), account.videoIds);
  }
  return media;
}

/** Sorted times in [from, to], denser in the Gulf evening (Asia/Riyadh, UTC+3) than before dawn. */
function engagementTimes(options: ActivityPlanOptions, random: Random): Date[] {
  const from = options.from.getTime();
  const span = options.to.getTime() - from;
  if (!(span > 0)) throw new RangeError('an activity plan needs `to` after `from`');
  const times: number[] = [];
  while (times.length < options.engagements) {
    const at = from + Math.floor(random.next() * span);
    if (random.next() < eveningWeight(new Date(at).getUTCHours() + 3)) times.push(at);
  }
  return times.sort((a, b) => a - b).map((at) => new Date(at));
}

function eveningWeight(riyadhHour: number): number {
  const hour = riyadhHour % 24;
  if (hour >= 20 || hour < 2) return 1;
  if (hour < 7) return 0.15;
  if (hour < 17) return 0.55;
  return 0.8;
}
