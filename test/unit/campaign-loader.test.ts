import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { formatProblem, loadCampaignDirectory, parseCampaignFile } from '../../src/config/campaign-loader.js';

const VALID = `id: test-campaign
name: { ar: "تجربة", en: "Test" }
timezone: Asia/Riyadh
starts_at: 2027-03-01T00:00:00+03:00
ends_at: 2027-03-31T23:59:59+03:00
accounts: { instagram: ["1784"] }
hashtags: ["#قَهوة_نقطة", "NuqtaCafe"]
rules:
  - { id: comment, on: comment, points: 10, limits: { cooldown: 10m } }
`;

describe('campaign files', () => {
  it('loads the shipped examples: the clothing store and the café from the seed article', async () => {
    const loaded = await loadCampaignDirectory('config/campaigns');
    const byId = new Map(loaded.map((l) => [l.campaign.id, l.campaign]));
    const store = byId.get('thawb-style');
    const cafe = byId.get('qahwa-corner');
    expect(store?.rules.map((r) => [r.on, r.points])).toEqual([['comment', 10], ['hashtag_post', 30]]);
    expect(store?.rewards[0]).toMatchObject({ cost: 500, value: { amount: 100, currency: 'SAR' } });
    expect(cafe?.rules.find((r) => r.on === 'like')).toMatchObject({ points: 5, accept_unverified: true });
    expect(cafe?.rules.find((r) => r.on === 'hashtag_post')?.points).toBe(20);
    expect(cafe?.rewards[0]).toMatchObject({ cost: 200, name: { en: 'Free coffee' } });
    for (const campaign of [store, cafe]) {
      expect(campaign?.timezone).toBe('Asia/Riyadh');
      expect(campaign?.name.ar).toMatch(/[\u0600-\u06FF]/);
    }
  });

  it('normalizes hashtags and durations', () => {
    const { campaign } = parseCampaignFile('t.yaml', VALID);
    expect(campaign?.campaign.hashtags).toEqual(['قهوه_نقطه', 'nuqtacafe']);
    expect(campaign?.campaign.rules[0]?.limits.cooldown).toBe(600_000);
    expect(campaign?.campaign.starts_at.toISOString()).toBe('2027-02-28T21:00:00.000Z');
  });

  it('names the file, the line and the field of every problem', async () => {
    const file = 'test/fixtures/campaigns/invalid/broken-rules.yaml';
    const { problems } = parseCampaignFile(file, await readFile(file, 'utf8'));
    expect(problems.map(formatProblem)).toEqual([
      `${file}:12 rules.1.on: Invalid enum value. Expected 'comment' | 'reply' | 'mention' | 'story_mention' | 'hashtag_post' | 'like' | 'share' | 'save' | 'follow' | 'dm' | 'comment_deleted' | 'unfollow' | 'purchase' | 'order_refunded', received 'hashtag_photo'`,
      `${file}:13 rules.1.points: Expected number, received string`,
      `${file}:14 rules.1.limits.per_day: Number must be greater than 0`,
      `${file}:14 rules.1.limits.cooldown: is not a duration (for example 90s, 10m, 2h, 1d)`,
    ]);
  });

  it.each([
    ['an unknown key', VALID.replace('timezone:', 'colour: red\ntimezone:'), /^t\.yaml:1 \(file\): Unrecognized key\(s\) in object: 'colour'$/],
    ['a bad time zone', VALID.replace('Asia/Riyadh', 'Asia/Atlantis'), /^t\.yaml:3 timezone: is not an IANA time zone/],
    ['an end before the start', VALID.replace('2027-03-31T23:59:59', '2027-02-01T00:00:00'), /^t\.yaml:5 ends_at: must be after starts_at$/],
    ['a missing name', VALID.replace(/^name:.*\n/m, ''), /^t\.yaml:1 name: Required$/],
    ['broken YAML', VALID.replace('rules:', 'rules: [\n'), /^t\.yaml:\d+ \(file\): YAML: /],
    ['a repeated rule id', `${VALID}  - { id: comment, on: reply, points: 5 }\n`, /^t\.yaml:10 rules\.1\.id: repeats the id "comment"$/],
  ])('reports %s', (_label, text, expected) => {
    const { problems, campaign } = parseCampaignFile('t.yaml', text);
    expect(campaign).toBeUndefined();
    expect(problems.map(formatProblem).join('\n')).toMatch(expected);
  });
});
