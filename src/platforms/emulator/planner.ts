/**
 * The bookkeeping behind an activity plan: what discussion is still live to
 * reply to or delete, and ids that never repeat.
 */
import type { Platform } from '../../domain/event.js';
import type { BrandMedia, CampaignTargets, EngagementAuthor, PlannedComment, PlannedDeletion, PlannedHashtagPost, PlannedMention, PlannedReply } from './planned-engagement.js';
import { commentTexts, hashtagCaptions, mentionTexts, replyTexts, type CampaignTheme, type FollowerLocale } from './corpus.js';
import type { Follower, Population } from './population.js';
import type { Random } from './random.js';

type Discussion = PlannedComment | PlannedReply;

export class Planner {
  private readonly ids: PlannedIds;
  private readonly hashtags: readonly string[];
  private readonly media: Record<Platform, readonly BrandMedia[]>;
  private readonly live: Record<Platform, Discussion[]> = { instagram: [], tiktok: [] };
  private readonly deleted = new Set<string>();

  constructor(
    private readonly population: Population,
    targets: CampaignTargets,
    media: readonly BrandMedia[],
    private readonly theme: CampaignTheme,
    private readonly random: Random,
  ) {
    this.ids = new PlannedIds(random);
    this.hashtags = (targets.hashtags ?? []).map((tag) => tag.replace(/^#/, ''));
    this.media = { instagram: media.filter((m) => m.platform === 'instagram'), tiktok: media.filter((m) => m.platform === 'tiktok') };
    if (media.length === 0) throw new RangeError('an activity plan needs at least one Instagram media or TikTok video');
  }

  hasPlatform(platform: Platform): boolean {
    return this.media[platform].length > 0;
  }

  comment(follower: Follower, platform: Platform, at: Date): PlannedComment {
    const target = this.random.pick(this.media[platform]);
    const withTag = platform === 'instagram' && this.hashtags.length > 0 && this.random.chance(0.1);
    const text = this.textFrom(commentTexts(this.theme, this.localeOf(follower)), platform);
    const comment: PlannedComment = {
      kind: 'comment',
      platform,
      at,
      followerIndex: follower.index,
      accountId: target.accountId,
      mediaId: target.mediaId,
      commentId: this.ids.comment(platform),
      text: withTag ? `${text} #${this.random.pick(this.hashtags)}` : text,
      author: authorOf(follower, platform),
    };
    this.live[platform].push(comment);
    return comment;
  }

  reply(follower: Follower, platform: Platform, at: Date): PlannedReply | undefined {
    const parent = this.pickLive(platform, 'comment');
    if (parent === undefined) return undefined;
    const reply: PlannedReply = {
      kind: 'reply',
      platform,
      at,
      followerIndex: follower.index,
      accountId: parent.accountId,
      mediaId: parent.mediaId,
      commentId: this.ids.comment(platform),
      parentCommentId: parent.commentId,
      text: this.random.pick(replyTexts(this.localeOf(follower))).replace('{friend}', parent.author.username),
      author: authorOf(follower, platform),
    };
    this.live[platform].push(reply);
    return reply;
  }

  /** Only Instagram lets a business find posts by hashtag. */
  hashtagPost(follower: Follower, at: Date): PlannedHashtagPost | undefined {
    if (this.hashtags.length === 0 || !this.hasPlatform('instagram')) return undefined;
    const hashtag = this.random.pick(this.hashtags);
    return {
      kind: 'hashtag_post',
      platform: 'instagram',
      at,
      followerIndex: follower.index,
      accountId: this.random.pick(this.media.instagram).accountId,
      mediaId: this.ids.followerMedia(),
      hashtag,
      caption: this.random.pick(hashtagCaptions(this.theme, follower.locale)).replace('{tag}', `#${hashtag}`),
      author: authorOf(follower, 'instagram'),
    };
  }

  /** Instagram only: a comment on another user's post, or the caption of the follower's own post, naming the brand. */
  mention(follower: Follower, at: Date): PlannedMention | undefined {
    if (!this.hasPlatform('instagram')) return undefined;
    const brand = this.random.pick(this.media.instagram);
    const inComment = this.random.chance(0.6);
    const text = this.random.pick(mentionTexts(this.theme, this.localeOf(follower))).replace('{brand}', `@${brand.accountUsername}`);
    return {
      kind: 'mention',
      platform: 'instagram',
      at,
      followerIndex: follower.index,
      accountId: brand.accountId,
      accountUsername: brand.accountUsername,
      mediaId: this.ids.followerMedia(),
      ...(inComment ? { commentId: this.ids.comment('instagram') } : {}),
      text,
      author: authorOf(follower, 'instagram'),
    };
  }

  /** Its author takes a comment (or reply) down. */
  deletion(platform: Platform, at: Date): PlannedDeletion | undefined {
    const victim = this.pickLive(platform, 'any');
    if (victim === undefined) return undefined;
    this.deleted.add(victim.commentId);
    const { followerIndex, accountId, mediaId, commentId, author } = victim;
    return { kind: 'comment_deleted', platform, at, followerIndex, accountId, mediaId, commentId, author };
  }

  /** Recent discussion gets the replies and the deletions, as on a real feed. */
  private pickLive(platform: Platform, kind: 'comment' | 'any'): Discussion | undefined {
    const recent = this.live[platform]
      .slice(-50)
      .filter((d) => (kind === 'any' || d.kind === kind) && !this.deleted.has(d.commentId));
    return recent.length === 0 ? undefined : this.random.pick(recent);
  }

  /** Mostly the follower's own language; bilingual people switch now and then. */
  private localeOf(follower: Follower): FollowerLocale {
    if (!this.random.chance(0.12)) return follower.locale;
    return follower.locale === 'ar' ? 'en' : 'ar';
  }

  private textFrom(texts: readonly string[], platform: Platform): string {
    const text = this.random.pick(texts);
    if (!text.includes('{friend}')) return text;
    const friend = this.random.pick(this.population.followers);
    return text.replace('{friend}', platform === 'instagram' ? friend.instagram.username : friend.tiktok.username);
  }
}

function authorOf(follower: Follower, platform: Platform): EngagementAuthor {
  if (platform === 'instagram') return { id: follower.instagram.id, username: follower.instagram.username, displayName: follower.displayName };
  const { userId, username, displayName, uniqueIdentifier } = follower.tiktok;
  return { id: userId, username, displayName, uniqueIdentifier };
}

/** Platform-shaped ids, never repeated within a plan. */
class PlannedIds {
  private readonly taken = new Set<string>();

  constructor(private readonly random: Random) {}

  comment(platform: Platform): string {
    return platform === 'instagram' ? this.unique(() => `17${this.random.digits(15)}`) : this.unique(() => `7${this.random.digits(18)}`);
  }

  followerMedia(): string {
    return this.unique(() => `18${this.random.digits(15)}`);
  }

  private unique(draw: () => string): string {
    let id = draw();
    while (this.taken.has(id)) id = draw();
    this.taken.add(id);
    return id;
  }
}
