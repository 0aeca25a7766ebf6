import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { PlannedMention } from '../../../src/platforms/emulator/planned-engagement.js';
import { CAMPAIGN_END, IG_ACCOUNT, OTHER_IG_ACCOUNT, startEmulatedCampaign, TOKEN, type EmulatedCampaign } from './emulated-campaign.js';

interface GraphErrorBody {
  error: { message: string; type: string; code: number; error_subcode?: number; fbtrace_id: string };
}

/** The fields nuqta's mention lookups ask for. */
const COMMENT_FIELDS = 'id,text,timestamp,from,username,parent_id,media{id}';
const MEDIA_FIELDS = 'id,caption,timestamp,username,owner';

let campaign: EmulatedCampaign;

beforeEach(async () => {
  campaign = await startEmulatedCampaign();
});
afterEach(async () => {
  await campaign.emulator.close();
});

function plannedMention(accountId: string, inComment: boolean): PlannedMention {
  const mention = campaign.plan.engagements.find(
    (e): e is PlannedMention => e.kind === 'mention' && e.accountId === accountId && (e.commentId !== undefined) === inComment,
  );
  if (mention === undefined) throw new Error(`the plan has no ${inComment ? 'comment' : 'caption'} mention of ${accountId}`);
  return mention;
}

const usageOf = (header: unknown): Record<string, unknown> | undefined =>
  (JSON.parse(String(header)) as Record<string, Record<string, unknown>[]>)[IG_ACCOUNT]?.[0];

const graphTime = (at: Date): string => at.toISOString().replace(/\.\d{3}Z$/, '+0000');

async function lookUp<T>(field: string, token = TOKEN, node = IG_ACCOUNT): Promise<{ status: number; data: T; headers: Record<string, unknown> }> {
  return campaign.http.get<T>(`/v21.0/${node}?fields=${encodeURIComponent(field)}`, { headers: { authorization: `Bearer ${token}` } });
}

describe('Instagram Graph emulator: mentioned_comment', () => {
  it('reads a comment that @mentions the brand by the id the webhook gave, with its author and post', async () => {
    const mention = plannedMention(IG_ACCOUNT, true);
    const found = await lookUp<Record<string, unknown>>(`mentioned_comment.comment_id(${mention.commentId}){${COMMENT_FIELDS}}`);
    expect(found.status).toBe(200);
    expect(found.data).toEqual({
      id: IG_ACCOUNT,
      mentioned_comment: {
        id: mention.commentId,
        text: mention.text,
        timestamp: graphTime(mention.at),
        from: { id: mention.author.id, username: mention.author.username },
        username: mention.author.username,
        media: { id: mention.mediaId },
      },
    });
    expect(mention.text).toContain('@qahwa.corner');
    expect(usageOf(found.headers['x-business-use-case-usage'])).toMatchObject({ type: 'instagram', call_count: 1 });
    expect(campaign.emulator.requestCount({ endpoint: 'instagram.mentioned_comment', accountId: IG_ACCOUNT })).toBe(1);
  });

  it('gives the documented default fields when none are asked for, also through /me', async () => {
    const mention = plannedMention(IG_ACCOUNT, true);
    const found = await lookUp<{ mentioned_comment: Record<string, unknown> }>(`mentioned_comment.comment_id(${mention.commentId})`, TOKEN, 'me');
    expect(found.status).toBe(200);
    expect(Object.keys(found.data.mentioned_comment).sort()).toEqual(['id', 'text', 'timestamp']);
  });

  it('answers the Graph error shape for an unknown id, a mention of another account, or one not written yet', async () => {
    const unknown = await lookUp<GraphErrorBody>(`mentioned_comment.comment_id(17999999999999999){${COMMENT_FIELDS}}`);
    expect(unknown.status).toBe(400);
    expect(unknown.data.error).toMatchObject({ code: 100, error_subcode: 33, type: 'OAuthException', fbtrace_id: expect.any(String) });
    expect(unknown.data.error.message).toContain('17999999999999999');

    const elsewhere = plannedMention(OTHER_IG_ACCOUNT, true);
    expect((await lookUp<GraphErrorBody>(`mentioned_comment.comment_id(${elsewhere.commentId})`)).data.error.code).toBe(100);

    const later = campaign.emulator.addMention({
      followerIndex: 0,
      accountId: IG_ACCOUNT,
      accountUsername: 'qahwa.corner',
      mediaId: '18000000000000777',
      commentId: '17000000000000777',
      text: '@qahwa.corner بكرة نجيكم',
      author: { id: '17841000000000777', username: 'noura.q', displayName: 'Noura' },
      at: new Date(CAMPAIGN_END.getTime() + 60_000),
    });
    expect((await lookUp<GraphErrorBody>(`mentioned_comment.comment_id(${later.commentId})`)).status).toBe(400);
    campaign.setNow(new Date(CAMPAIGN_END.getTime() + 120_000));
    expect((await lookUp<{ mentioned_comment: { text: string } }>(`mentioned_comment.comment_id(${later.commentId})`)).data.mentioned_comment.text).toBe(later.text);
  });

  it('refuses a lookup without its comment_id, and mention fields on a node that is not a user', async () => {
    const missing = await lookUp<GraphErrorBody>('mentioned_comment{id,text}');
    expect(missing.data.error).toMatchObject({ code: 100, type: 'OAuthException' });
    const onMedia = await lookUp<GraphErrorBody>(`mentioned_comment.comment_id(${plannedMention(IG_ACCOUNT, true).commentId})`, TOKEN, '17900000000000001');
    expect(onMedia.data.error.message).toBe('(#100) Tried accessing nonexisting field (mentioned_comment) on node type (IGMedia)');
  });
});

describe('Instagram Graph emulator: mentioned_media', () => {
  it("reads a caption mention with the poster's username but no owner, and the @ dropped before the brand's handle", async () => {
    const mention = plannedMention(IG_ACCOUNT, false);
    expect(mention.text).toContain('@qahwa.corner');
    const found = await lookUp<Record<string, unknown>>(`mentioned_media.media_id(${mention.mediaId}){${MEDIA_FIELDS}}`);
    expect(found.status).toBe(200);
    expect(found.data).toEqual({
      id: IG_ACCOUNT,
      mentioned_media: {
        id: mention.mediaId,
        caption: mention.text.replaceAll('@qahwa.corner', 'qahwa.corner'),
        timestamp: graphTime(mention.at),
        username: mention.author.username,
      },
    });
    expect(campaign.emulator.requestCount({ endpoint: 'instagram.mentioned_media', accountId: IG_ACCOUNT })).toBe(1);
  });

  it('answers the Graph error shape for an unknown media id, or a post the brand is mentioned under but not in', async () => {
    const unknown = await lookUp<GraphErrorBody>(`mentioned_media.media_id(18999999999999999){${MEDIA_FIELDS}}`);
    expect(unknown.status).toBe(400);
    expect(unknown.data.error).toMatchObject({ code: 100, error_subcode: 33, type: 'OAuthException', fbtrace_id: expect.any(String) });
    const commentMention = plannedMention(IG_ACCOUNT, true);
    expect((await lookUp<GraphErrorBody>(`mentioned_media.media_id(${commentMention.mediaId})`)).data.error.code).toBe(100);
  });

  it('reads a mention added by hand, creating the account it names', async () => {
    campaign.emulator.grantToken('store-token', ['17841400000000001']);
    const mention = campaign.emulator.addMention({
      followerIndex: 0,
      accountId: '17841400000000001',
      accountUsername: 'thawb.style',
      mediaId: '18000000000000888',
      text: 'ثوبي الجديد من @thawb.style',
      author: { id: '17841000000000888', username: 'caption_fan', displayName: 'Caption Fan' },
    });
    expect(mention).toMatchObject({ kind: 'mention', platform: 'instagram', at: CAMPAIGN_END });
    const found = await lookUp<{ mentioned_media: Record<string, unknown> }>('mentioned_media.media_id(18000000000000888){caption,username}', 'store-token', '17841400000000001');
    expect(found.data.mentioned_media).toEqual({ id: '18000000000000888', caption: 'ثوبي الجديد من thawb.style', username: 'caption_fan' });
  });
});

describe('Instagram Graph emulator: mention lookups, tokens and throttling', () => {
  it('answers 190 for an expired token, on both fields, and counts the calls', async () => {
    const comment = plannedMention(IG_ACCOUNT, true);
    const caption = plannedMention(IG_ACCOUNT, false);
    campaign.emulator.expireToken(TOKEN);
    for (const field of [`mentioned_comment.comment_id(${comment.commentId}){${COMMENT_FIELDS}}`, `mentioned_media.media_id(${caption.mediaId}){${MEDIA_FIELDS}}`]) {
      const expired = await lookUp<GraphErrorBody>(field);
      expect(expired.status).toBe(400);
      expect(expired.data.error).toMatchObject({ code: 190, error_subcode: 463, type: 'OAuthException' });
      expect(expired.data.error.message).toMatch(/Session has expired/);
    }
    expect(campaign.emulator.requestCount({ endpoint: 'instagram.mentioned_comment', accountId: IG_ACCOUNT })).toBe(1);
    expect(campaign.emulator.requestCount({ endpoint: 'instagram.mentioned_media', accountId: IG_ACCOUNT })).toBe(1);
  });

  it("charges the account's budget and refuses lookups while it is throttled", async () => {
    const mention = plannedMention(IG_ACCOUNT, true);
    campaign.emulator.setBudget(IG_ACCOUNT, 4);
    const field = `mentioned_comment.comment_id(${mention.commentId})`;
    const first = await lookUp(field);
    expect(usageOf(first.headers['x-business-use-case-usage'])).toMatchObject({ call_count: 25 });
    campaign.emulator.throttle(IG_ACCOUNT, 120);
    const refused = await lookUp<GraphErrorBody>(field);
    expect(refused.status).toBe(400);
    expect(refused.data.error).toMatchObject({ code: 80002, is_transient: true });
    expect(usageOf(refused.headers['x-business-use-case-usage'])).toMatchObject({ estimated_time_to_regain_access: 2 });
  });
});
