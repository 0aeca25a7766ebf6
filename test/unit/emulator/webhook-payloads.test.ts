import { describe, expect, it } from 'vitest';
import { isValidInstagramSignature } from '../../../src/platforms/instagram/signature.js';
import { parseInstagramWebhook } from '../../../src/platforms/instagram/webhook-payload.js';
import { verifyTikTokSignature } from '../../../src/platforms/tiktok/signature.js';
import { parseTikTokWebhook } from '../../../src/platforms/tiktok/webhook-payload.js';
import { planActivity } from '../../../src/platforms/emulator/activity-plan.js';
import type { PlannedEngagement } from '../../../src/platforms/emulator/planned-engagement.js';
import { createPopulation } from '../../../src/platforms/emulator/population.js';
import { plannedDeliveries, type WebhookSecrets } from '../../../src/platforms/emulator/webhook-payloads.js';

const secrets: WebhookSecrets = { instagramAppSecret: 'ig-app-secret', tiktokClientSecret: 'tt-client-secret', tiktokClientKey: 'tt-key' };
const plan = planActivity(
  createPopulation({ seed: 21, size: 150 }),
  {
    instagram: [
      { accountId: '17841400000000001', mediaIds: ['17900000000000001', '17900000000000002'] },
      { accountId: '17841400000000002', mediaIds: ['17900000000000003'] },
    ],
    tiktok: [{ businessId: 'bc-123', videoIds: ['7300000000000000001'] }],
    hashtags: ['قهوة_نقطة'],
  },
  // A short window puts several comments in the same second, as bursts do.
  { seed: 21, from: new Date('2027-03-01T18:00:00Z'), to: new Date('2027-03-01T18:02:00Z'), engagements: 400, mix: { deletion: 0.05 } },
);
const { deliveries, withoutWebhook } = plannedDeliveries(plan.engagements, secrets, 25);
const instagram = deliveries.filter((d) => d.platform === 'instagram');
const tiktok = deliveries.filter((d) => d.platform === 'tiktok');
const sentAt = new Date('2027-03-01T18:05:00Z');

function byKind(engagements: readonly PlannedEngagement[], platform: string, kinds: string[]): PlannedEngagement[] {
  return engagements.filter((e) => e.platform === platform && kinds.includes(e.kind));
}

describe('Instagram webhook deliveries', () => {
  it('are signed over the raw body with the app secret', () => {
    for (const delivery of instagram) {
      const header = delivery.headersAt(sentAt)['x-hub-signature-256'];
      expect(isValidInstagramSignature(Buffer.from(delivery.body), header, secrets.instagramAppSecret)).toBe(true);
      expect(isValidInstagramSignature(Buffer.from(delivery.body), header, 'another-secret')).toBe(false);
    }
  });

  it('batch up to the batch size, one entry per account and second', () => {
    expect(instagram.every((d) => d.engagements <= 25)).toBe(true);
    expect(instagram.some((d) => d.engagements === 25)).toBe(true);
    for (const delivery of instagram) {
      const body = JSON.parse(delivery.body) as { object: string; entry: { id: string; time: number; changes: unknown[] }[] };
      expect(body.object).toBe('instagram');
      const keys = body.entry.map((e) => `${e.id}@${e.time}`);
      expect(new Set(keys).size).toBe(keys.length);
      expect(body.entry.reduce((sum, e) => sum + e.changes.length, 0)).toBe(delivery.engagements);
    }
    expect(instagram.some((d) => (JSON.parse(d.body) as { entry: { changes: unknown[] }[] }).entry.some((e) => e.changes.length > 1))).toBe(true);
  });

  it('announce every Instagram comment and reply, and nuqta reads them back as planned', () => {
    const planned = byKind(plan.engagements, 'instagram', ['comment', 'reply']);
    const events = instagram.flatMap((d) => parseInstagramWebhook(JSON.parse(d.body), sentAt).events);
    expect(events).toHaveLength(planned.length);
    const byId = new Map(events.map((e) => [e.platformEventId, e]));
    for (const engagement of planned) {
      if (engagement.kind !== 'comment' && engagement.kind !== 'reply') continue;
      const event = byId.get(engagement.commentId);
      expect(event?.kind).toBe(engagement.kind);
      expect(event?.actor).toEqual({ platformUserId: engagement.author.id, username: engagement.author.username });
      expect(event?.target).toEqual({ accountId: engagement.accountId, mediaId: engagement.mediaId, commentId: engagement.commentId });
      expect(event?.text).toBe(engagement.text);
      expect(event?.occurredAt.getTime()).toBe(Math.floor(engagement.at.getTime() / 1000) * 1000);
    }
  });
});

describe('Instagram mention deliveries', () => {
  const mentionPlan = planActivity(
    createPopulation({ seed: 22, size: 80 }),
    { instagram: [{ accountId: '17841400000000001', username: 'thawb.style', mediaIds: ['17900000000000001'] }] },
    { seed: 22, from: new Date('2027-03-01T18:00:00Z'), to: new Date('2027-03-01T20:00:00Z'), engagements: 200, mix: { mention: 0.3 } },
  );
  const mentions = mentionPlan.engagements.filter((e) => e.kind === 'mention');
  const mentionDeliveries = plannedDeliveries(mentionPlan.engagements, secrets, 25).deliveries;

  it('announce each mention as a signed `mentions` change carrying ids only', () => {
    expect(mentions.length).toBeGreaterThan(20);
    const changes = mentionDeliveries.flatMap((d) => {
      expect(isValidInstagramSignature(Buffer.from(d.body), d.headersAt(sentAt)['x-hub-signature-256'], secrets.instagramAppSecret)).toBe(true);
      return (JSON.parse(d.body) as { entry: { changes: { field: string; value: Record<string, string> }[] }[] }).entry.flatMap((e) => e.changes);
    });
    const announced = changes.filter((c) => c.field === 'mentions').map((c) => c.value);
    expect(announced).toEqual(mentions.map((m) => (m.commentId === undefined ? { media_id: m.mediaId } : { comment_id: m.commentId, media_id: m.mediaId })));
  });

  it('are read by nuqta as lookups of the mentioned comment or caption, with no event yet', () => {
    const parsed = mentionDeliveries.map((d) => parseInstagramWebhook(JSON.parse(d.body), sentAt));
    const lookups = parsed.flatMap((p) => p.skipped.filter((s) => s.reason === 'mention_needs_lookup').map((s) => s.lookup));
    expect(lookups).toEqual(
      mentions.map((m) => ({ accountId: m.accountId, mediaId: m.mediaId, ...(m.commentId === undefined ? {} : { commentId: m.commentId }) })),
    );
    const comments = mentionPlan.engagements.filter((e) => e.kind === 'comment' || e.kind === 'reply');
    expect(parsed.flatMap((p) => p.events)).toHaveLength(comments.length);
  });
});

describe('TikTok webhook deliveries', () => {
  it('are signed at the moment of sending, and go stale after five minutes', () => {
    for (const delivery of tiktok) {
      const header = delivery.headersAt(sentAt)['tiktok-signature'];
      expect(header).toMatch(/^t=\d+,s=[0-9a-f]{64}$/);
      expect(verifyTikTokSignature(delivery.body, header, secrets.tiktokClientSecret, { now: sentAt }).ok).toBe(true);
      const late = verifyTikTokSignature(delivery.body, header, secrets.tiktokClientSecret, { now: new Date(sentAt.getTime() + 10 * 60_000) });
      expect(late).toMatchObject({ ok: false, code: 'NUQTA_STALE_SIGNATURE' });
    }
  });

  it('carry one comment.update each, with the ids as bare numbers TikTok writes', () => {
    const planned = byKind(plan.engagements, 'tiktok', ['comment', 'reply', 'comment_deleted']);
    expect(tiktok).toHaveLength(planned.length);
    for (const delivery of tiktok) {
      const body = JSON.parse(delivery.body) as { client_key: string; event: string; user_openid: string; content: string };
      expect(body).toMatchObject({ client_key: 'tt-key', event: 'comment.update', user_openid: 'bc-123' });
      expect(body.content).toMatch(/"comment_id":7\d{18}[,}]/);
    }
  });

  it('are read back by nuqta as comments, replies and deletions, keyed by unique_identifier', () => {
    const planned = byKind(plan.engagements, 'tiktok', ['comment', 'reply', 'comment_deleted']);
    const events = tiktok.flatMap((d) => {
      const parsed = parseTikTokWebhook(JSON.parse(d.body), sentAt);
      expect(parsed.skipped).toEqual([]);
      return parsed.events;
    });
    expect(events.map((e) => `${e.kind}:${e.platformEventId}`)).toEqual(planned.map((e) => `${e.kind}:${'commentId' in e ? e.commentId : ''}`));
    for (const [i, event] of events.entries()) {
      const engagement = planned[i];
      if (engagement === undefined || engagement.kind === 'hashtag_post') throw new Error('plan and events differ');
      expect(event.actor.platformUserId).toBe(engagement.author.uniqueIdentifier);
      expect(event.target).toEqual({ accountId: 'bc-123', mediaId: engagement.mediaId, commentId: engagement.commentId });
      expect(event.occurredAt.getTime()).toBe(engagement.at.getTime());
    }
  });
});

describe('plannedDeliveries', () => {
  it('counts what no webhook announces: hashtag posts and Instagram deletions', () => {
    const silent = plan.engagements.filter((e) => e.kind === 'hashtag_post' || (e.kind === 'comment_deleted' && e.platform === 'instagram'));
    expect(silent.length).toBeGreaterThan(0);
    expect(withoutWebhook).toBe(silent.length);
    expect(deliveries.reduce((sum, d) => sum + d.engagements, 0) + withoutWebhook).toBe(plan.engagements.length);
  });
});
