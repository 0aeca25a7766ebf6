/**
 * An activity plan: for a campaign's accounts and media, who comments,
 * replies, posts with the campaign hashtag, @mentions the brand elsewhere or
 * deletes a comment, and when.
 * Pure and seeded; the webhook sender and the API emulator both play it.
 */
import type { Platform } from '../../domain/event.js';
import { brandCaptions, type CampaignTheme } from './corpus.js';
import type { Follower, Population } from './population.js';
import type { ActivityPlan, ActivityPlanOptions, BrandMedia, CampaignTargets, PlannedEngagement } from './planned-engagement.js';
import { Planner } from './planner.js';
import { createRandom, weightedPicker, type Random } from './random.js';

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
