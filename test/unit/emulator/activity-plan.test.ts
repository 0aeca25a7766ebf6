import { describe, expect, it } from 'vitest';
import { planActivity } from '../../../src/platforms/emulator/activity-plan.js';
import type { CampaignTargets, PlannedEngagement } from '../../../src/platforms/emulator/planned-engagement.js';
import { createPopulation } from '../../../src/platforms/emulator/population.js';

const population = createPopulation({ seed: 11, size: 400 });
const targets: CampaignTargets = {
  instagram: [{ accountId: '17841400000000001', username: 'thawb.style', mediaIds: ['17900000000000001', '17900000000000002', '17900000000000003'] }],
  tiktok: [{ businessId: 'bc-thawb', videoIds: ['7300000000000000001', '7300000000000000002'] }],
  hashtags: ['#ثوب_ستايل', 'thawbstyle'],
};
const window = { from: new Date('2027-03-01T00:00:00+03:00'), to: new Date('2027-03-15T00:00:00+03:00') };
const plan = planActivity(population, targets, { seed: 11, ...window, engagements: 3000, theme: 'clothing' });

describe('planActivity', () => {
  it('replays exactly from the same seed', () => {
    expect(planActivity(population, targets, { seed: 11, ...window, engagements: 3000, theme: 'clothing' })).toEqual(plan);
    const other = planActivity(population, targets, { seed: 12, ...window, engagements: 3000, theme: 'clothing' });
    expect(other.engagements.map((e) => e.at.getTime())).not.toEqual(plan.engagements.map((e) => e.at.getTime()));
  });

  it('plans the requested number of engagements, in time order, inside the window', () => {
    expect(plan.engagements).toHaveLength(3000);
    const times = plan.engagements.map((e) => e.at.getTime());
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(Math.min(...times)).toBeGreaterThanOrEqual(window.from.getTime());
    expect(Math.max(...times)).toBeLessThan(window.to.getTime());
  });

  it('is busier in the Gulf evening than before dawn', () => {
    const riyadhHour = (e: PlannedEngagement): number => (e.at.getUTCHours() + 3) % 24;
    const evening = plan.engagements.filter((e) => riyadhHour(e) >= 20 && riyadhHour(e) < 23).length;
    const beforeDawn = plan.engagements.filter((e) => riyadhHour(e) >= 3 && riyadhHour(e) < 6).length;
    expect(evening).toBeGreaterThan(3 * beforeDawn);
  });

  it('mixes every kind, on the platforms where it can happen', () => {
    const kinds = new Set(plan.engagements.map((e) => `${e.kind}:${e.platform}`));
    for (const kind of ['comment:instagram', 'comment:tiktok', 'reply:instagram', 'reply:tiktok', 'hashtag_post:instagram', 'comment_deleted:instagram']) {
      expect(kinds).toContain(kind);
    }
    expect(kinds).not.toContain('hashtag_post:tiktok');
  });

  it('comments in Arabic and English, on the campaign media', () => {
    const comments = plan.engagements.filter((e) => e.kind === 'comment');
    const arabic = comments.filter((c) => /[\u0600-\u06FF]/.test(c.text)).length;
    expect(arabic / comments.length).toBeGreaterThan(0.4);
    expect(arabic / comments.length).toBeLessThan(0.85);
    const media = new Set(plan.media.map((m) => m.mediaId));
    expect(comments.every((c) => media.has(c.mediaId))).toBe(true);
  });

  it('replies to earlier, still standing comments on the same media and platform', () => {
    const seen = new Map<string, PlannedEngagement>();
    const deleted = new Set<string>();
    for (const engagement of plan.engagements) {
      if (engagement.kind === 'reply') {
        const parent = seen.get(engagement.parentCommentId);
        expect(parent?.kind).toBe('comment');
        expect(parent?.platform).toBe(engagement.platform);
        expect(parent?.mediaId).toBe(engagement.mediaId);
        expect(deleted.has(engagement.parentCommentId)).toBe(false);
      }
      if (engagement.kind === 'comment_deleted') {
        const original = seen.get(engagement.commentId);
        expect(original?.platform).toBe(engagement.platform);
        expect(original !== undefined && 'author' in original ? original.author : undefined).toEqual(engagement.author);
        expect(deleted.has(engagement.commentId)).toBe(false);
        deleted.add(engagement.commentId);
      }
      if (engagement.kind === 'comment' || engagement.kind === 'reply') seen.set(engagement.commentId, engagement);
    }
  });

  it('gives comments and hashtag posts unique platform-shaped ids', () => {
    const ids = plan.engagements.filter((e) => e.kind !== 'comment_deleted').map((e) => (e.kind === 'hashtag_post' ? e.mediaId : e.commentId));
    expect(new Set(ids).size).toBe(ids.length);
    for (const engagement of plan.engagements) {
      if (engagement.kind === 'hashtag_post') expect(engagement.mediaId).toMatch(/^18\d{15}$/);
      else expect(engagement.commentId).toMatch(engagement.platform === 'instagram' ? /^17\d{15}$/ : /^7\d{18}$/);
    }
  });

  it('writes the campaign hashtag (without a doubled #) into hashtag posts', () => {
    const posts = plan.engagements.filter((e) => e.kind === 'hashtag_post');
    expect(posts.length).toBeGreaterThan(100);
    for (const post of posts) {
      expect(['ثوب_ستايل', 'thawbstyle']).toContain(post.hashtag);
      expect(post.caption).toContain(`#${post.hashtag}`);
      expect(post.caption).not.toContain('##');
    }
  });

  it('lets a few followers do much of the talking while most engage now and then', () => {
    const perFollower = new Map<number, number>();
    for (const e of plan.engagements) perFollower.set(e.followerIndex, (perFollower.get(e.followerIndex) ?? 0) + 1);
    const counts = [...perFollower.values()].sort((a, b) => b - a);
    const topTenth = counts.slice(0, Math.ceil(population.followers.length / 10)).reduce((sum, c) => sum + c, 0);
    expect(topTenth / plan.engagements.length).toBeGreaterThan(0.3);
    expect(counts.filter((c) => c <= 3).length / counts.length).toBeGreaterThan(0.3);
  });

  it('stays on TikTok when the campaign has no Instagram account, and plans no hashtag posts there', () => {
    const tiktokOnly = planActivity(population, { tiktok: targets.tiktok ?? [], hashtags: ['x'] }, { seed: 2, ...window, engagements: 300 });
    expect(tiktokOnly.engagements.every((e) => e.platform === 'tiktok')).toBe(true);
    expect(tiktokOnly.engagements.some((e) => e.kind === 'hashtag_post')).toBe(false);
  });

  it('plans no mention unless asked, and @mentions of the brand in comments and captions elsewhere when asked', () => {
    expect(plan.engagements.some((e) => e.kind === 'mention')).toBe(false);
    const withMentions = planActivity(population, targets, { seed: 11, ...window, engagements: 3000, theme: 'clothing', mix: { mention: 0.05 } });
    const mentions = withMentions.engagements.filter((e) => e.kind === 'mention');
    expect(mentions.length).toBeGreaterThan(100);
    const brandMedia = new Set(withMentions.media.map((m) => m.mediaId));
    for (const mention of mentions) {
      expect(mention).toMatchObject({ platform: 'instagram', accountId: '17841400000000001', accountUsername: 'thawb.style' });
      expect(mention.text).toContain('@thawb.style');
      expect(mention.mediaId).toMatch(/^18\d{15}$/);
      expect(brandMedia.has(mention.mediaId)).toBe(false);
      if (mention.commentId !== undefined) expect(mention.commentId).toMatch(/^17\d{15}$/);
    }
    const inComments = mentions.filter((m) => m.commentId !== undefined).length;
    expect(inComments).toBeGreaterThan(0);
    expect(inComments).toBeLessThan(mentions.length);
  });

  it('refuses a plan with nothing to engage with or an empty window', () => {
    expect(() => planActivity(population, {}, { seed: 1, ...window, engagements: 10 })).toThrow(RangeError);
    expect(() => planActivity(population, targets, { seed: 1, from: window.to, to: window.from, engagements: 10 })).toThrow(RangeError);
  });
});
