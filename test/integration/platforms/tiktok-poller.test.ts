import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pollAccount } from '../../../src/platforms/accounts/account-poll.js';
import type { PlannedComment } from '../../../src/platforms/emulator/planned-engagement.js';
import { tiktokDelivery } from '../../../src/platforms/emulator/webhook-payloads.js';
import { signTikTokWebhook } from '../../../src/platforms/tiktok/signature.js';
import { eventually, TEST_SECRETS, scrapeMetrics } from '../../helpers/test-nuqta.js';
import { brandPlan, campaignEntries, commentSpecs, plannedComment, settledEntries, startBrandWorld, TT_BUSINESS, type BrandWorld } from './brand-world.js';

const VIDEO = '7300000000000000001';
const ref = { platform: 'tiktok', accountId: TT_BUSINESS } as const;
const COMMENTS = 35;
const at = new Date(Date.now() - 60_000);
const specs = [
  ...commentSpecs('tiktok', VIDEO, '', COMMENTS, 10).map((spec) => ({ ...spec, id: `7400000000000000${spec.id.padStart(3, '0')}` })),
  { platform: 'tiktok' as const, id: '7410000000000000001', mediaId: VIDEO, minutesAgo: 3, parentId: '7400000000000000001', text: 'أكيد' },
];
const plan = brandPlan(at, { tiktok: [VIDEO] }, specs);
const firstComment = plan.engagements[0] as PlannedComment;

let world: BrandWorld;

beforeAll(async () => {
  world = await startBrandWorld('tiktok_poller', plan);
  await world.connect('tiktok');
});
afterAll(async () => {
  await world?.cleanup();
});

const calls = (): number => world.emulator.requestCount({ accountId: TT_BUSINESS });

async function postTikTok(body: string): Promise<Response> {
  return fetch(`${world.app.url}/webhooks/tiktok`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'tiktok-signature': signTikTokWebhook(body, TEST_SECRETS.TIKTOK_CLIENT_SECRET, new Date()) },
    body,
  });
}

describe('TikTok poller against the emulated API for Business', () => {
  it('awards a comment once when both the comment.update webhook and the poller report it', async () => {
    const delivery = tiktokDelivery({ ...firstComment, platform: 'tiktok' }, { tiktokClientSecret: TEST_SECRETS.TIKTOK_CLIENT_SECRET, tiktokClientKey: 'client-key' });
    expect((await postTikTok(delivery.body)).status).toBe(200);
    await settledEntries(world.app, 1);

    expect(await pollAccount(world.deps(), ref)).toMatchObject({ outcome: 'polled', media: 1 });
    const entries = await settledEntries(world.app, COMMENTS, (entry) => entry.ruleId === 'comment');
    expect(new Set(entries.map((entry) => entry.eventKey)).size).toBe(COMMENTS);
    expect(entries).toHaveLength(COMMENTS);
    const first = entries.filter((entry) => entry.eventKey === `tiktok:comment:${firstComment.commentId}`);
    expect(first.map((entry) => entry.memberId)).toEqual([`tiktok:${firstComment.author.uniqueIdentifier}`]);
    // The reply is read from the reply list of the comment whose reply count moved.
    expect(world.emulator.requestCount({ endpoint: 'tiktok.reply_list' })).toBe(1);
    await eventually(async () => ((await world.app.nuqta.events.get('tiktok:reply:7410000000000000001')) === null ? undefined : true));
  });

  it('backs off on code 40100 in an HTTP 200 envelope, and on a plain HTTP 429', async () => {
    world.emulator.throttle(TT_BUSINESS, 20, { tiktokStyle: 'envelope' });
    let before = calls();
    expect(await pollAccount(world.deps(), ref)).toMatchObject({ outcome: 'throttled' });
    expect(calls() - before).toBe(1);
    expect((await world.app.nuqta.accounts.get(ref))?.pause).toMatchObject({ reason: 'throttled', until: new Date(world.now().getTime() + 60_000) });
    world.advance(61_000);
    expect(await pollAccount(world.deps(), ref)).toMatchObject({ outcome: 'polled', events: 0 });

    world.emulator.throttle(TT_BUSINESS, 20, { tiktokStyle: 'http429' });
    before = calls();
    expect(await pollAccount(world.deps(), ref)).toMatchObject({ outcome: 'throttled' });
    expect(calls() - before).toBe(1);
    // Retry-After: 20 seconds.
    expect((await world.app.nuqta.accounts.get(ref))?.pause?.until).toEqual(new Date(world.now().getTime() + 20_000));
    world.advance(21_000);
    expect(await pollAccount(world.deps(), ref)).toMatchObject({ outcome: 'polled' });
  });

  it('reverses a comment missing from two complete passes in a row', async () => {
    const deleted = '7400000000000000020';
    world.emulator.addEngagements([plannedComment(world.now(), { platform: 'tiktok', id: '7420000000000000001', mediaId: VIDEO, minutesAgo: 0 })]);
    expect(world.emulator.deleteComment(deleted)).toBe(true);
    // Offsets shift when a comment goes, so one miss is not proof.
    expect(await pollAccount(world.deps(), ref)).toMatchObject({ outcome: 'polled', events: 1 });
    expect(await pollAccount(world.deps(), ref)).toMatchObject({ outcome: 'polled', events: 1 });
    const reversal = await settledEntries(world.app, 1, (entry) => entry.kind === 'reverse');
    expect(reversal.map((entry) => [entry.eventKey, entry.points])).toEqual([[`tiktok:comment_deleted:${deleted}`, -5]]);
    expect((await campaignEntries(world.app)).filter((entry) => entry.kind === 'reverse')).toHaveLength(1);
  });

  it('stops the account on authorization.removed, alerts, and makes no further call', async () => {
    const body = JSON.stringify({ client_key: 'client-key', event: 'authorization.removed', create_time: Math.floor(Date.now() / 1000), user_openid: TT_BUSINESS, content: '{"reason":1}' });
    expect((await postTikTok(body)).status).toBe(200);
    expect(await world.app.nuqta.accounts.get(ref)).toMatchObject({ status: 'needs_reauth', pause: { reason: 'authorization_removed', detail: 'authorization removed: user_disconnected' } });
    const metrics = await scrapeMetrics(world.app.url);
    expect(metrics).toMatch(/nuqta_account_alerts_total\{platform="tiktok",reason="authorization_removed"\} 1/);
    const ready = (await (await fetch(`${world.app.url}/readyz`)).json()) as { accounts: { paused: { accountId: string; reason: string }[] } };
    expect(ready.accounts.paused.map((account) => [account.accountId, account.reason])).toEqual([[TT_BUSINESS, 'authorization_removed']]);

    const before = calls();
    expect(await pollAccount(world.deps(), ref)).toMatchObject({ outcome: 'needs_reauth' });
    expect(calls()).toBe(before);
  });
});
