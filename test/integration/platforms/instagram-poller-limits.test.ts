import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pollAccount } from '../../../src/platforms/accounts/account-poll.js';
import { brandPlan, commentSpecs, IG_ACCOUNT, startBrandWorld, TOKEN, type BrandWorld } from './brand-world.js';
import { scrapeMetrics } from '../../helpers/test-nuqta.js';

const MEDIA = ['17900000000000201', '17900000000000202'];
const ref = { platform: 'instagram', accountId: IG_ACCOUNT } as const;
const COMMENTS_PER_MEDIA = 60;
const at = new Date(Date.now() - 60_000);
const plan = brandPlan(at, { instagram: MEDIA }, MEDIA.flatMap((mediaId, m) => commentSpecs('instagram', mediaId, `1810000000000${m}`, COMMENTS_PER_MEDIA, 10)));

let world: BrandWorld;

beforeAll(async () => {
  world = await startBrandWorld('ig_poller_limits', plan);
  await world.connect('instagram', 'instagram_login');
});
afterAll(async () => {
  await world?.cleanup();
});

const calls = (): number => world.emulator.requestCount({ accountId: IG_ACCOUNT });

describe('Instagram poller under rate limits and token expiry', () => {
  it('stops before the Business Use Case budget runs out, and resumes where it stopped', async () => {
    world.emulator.setBudget(IG_ACCOUNT, 10);
    // Another tool of the brand's has spent most of the account's budget this hour.
    for (let i = 0; i < 6; i += 1) expect((await fetch(`${world.emulator.url}/v21.0/me?access_token=${TOKEN}`)).status).toBe(200);
    const stopped = await pollAccount(world.deps(), ref);
    // Stopped by nuqta at 90%, not refused by the platform (that would be `throttled`).
    expect(stopped.outcome).toBe('rate_budget');
    expect(calls()).toBeGreaterThanOrEqual(9);
    expect(calls()).toBeLessThanOrEqual(10);
    const account = await world.app.nuqta.accounts.get(ref);
    expect(account).toMatchObject({ status: 'paused', pause: { reason: 'rate_budget' } });
    expect(account?.budget?.usagePercent).toBeGreaterThanOrEqual(90);

    const spent = calls();
    expect(await pollAccount(world.deps(), ref)).toMatchObject({ outcome: 'paused' });
    expect(calls()).toBe(spent);

    // An hour on, the usage has rolled off.
    world.advance(61 * 60_000);
    world.emulator.setBudget(IG_ACCOUNT, 200);
    expect(await pollAccount(world.deps(), ref)).toMatchObject({ outcome: 'polled' });
    // Two pages per media, each read once across the stop: the poll resumed from its saved cursors.
    expect(world.emulator.requestCount({ endpoint: 'instagram.comments', accountId: IG_ACCOUNT })).toBe(4);
    const states = await Promise.all(MEDIA.map((mediaId) => world.app.nuqta.pollState.mediaState(ref, mediaId)));
    expect(states.map((state) => [state.tracked.length, state.commentCount, state.pass])).toEqual([
      [COMMENTS_PER_MEDIA, COMMENTS_PER_MEDIA, undefined],
      [COMMENTS_PER_MEDIA, COMMENTS_PER_MEDIA, undefined],
    ]);
  });

  it('pauses a throttled account until the regain time the platform gives, then polls again', async () => {
    world.emulator.addEngagements(commentSpecs('instagram', MEDIA[0] ?? '', '18200000000000', 1, 0).map((spec) => ({
      kind: 'comment' as const, platform: 'instagram' as const, at: world.now(), followerIndex: 0, accountId: IG_ACCOUNT, mediaId: spec.mediaId,
      commentId: spec.id, text: 'وصلت القهوة', author: { id: '17841009999990000', username: 'late_comer', displayName: 'Late Comer' },
    })));
    world.emulator.throttle(IG_ACCOUNT, 30, { code: 4 });
    const before = calls();
    expect(await pollAccount(world.deps(), ref)).toMatchObject({ outcome: 'throttled' });
    expect(calls() - before).toBe(1);
    const paused = await world.app.nuqta.accounts.get(ref);
    // estimated_time_to_regain_access is in minutes: 30 s round up to one.
    expect(paused?.pause).toMatchObject({ reason: 'throttled', until: new Date(world.now().getTime() + 60_000) });

    world.advance(30_000);
    expect(await pollAccount(world.deps(), ref)).toMatchObject({ outcome: 'paused' });
    expect(calls() - before).toBe(1);

    world.advance(31_000);
    expect(await pollAccount(world.deps(), ref)).toMatchObject({ outcome: 'polled', events: 1 });
    expect((await world.app.nuqta.accounts.get(ref))?.status).toBe('active');
  });

  it('stops polling an account whose token expired, raises an alert, and lists it in /readyz', async () => {
    world.emulator.expireToken(TOKEN);
    world.advance(10 * 60_000);
    world.emulator.addEngagements(commentSpecs('instagram', MEDIA[1] ?? '', '18300000000000', 1, 0).map((spec) => ({
      kind: 'comment' as const, platform: 'instagram' as const, at: world.now(), followerIndex: 0, accountId: IG_ACCOUNT, mediaId: spec.mediaId,
      commentId: spec.id, text: 'مساء الخير', author: { id: '17841008888880000', username: 'evening', displayName: 'Evening' },
    })));
    expect(await pollAccount(world.deps(), ref)).toMatchObject({ outcome: 'auth_failed' });
    expect(await world.app.nuqta.accounts.get(ref)).toMatchObject({ status: 'needs_reauth', pause: { reason: 'token_expired' } });

    const metrics = await scrapeMetrics(world.app.url);
    expect(metrics).toMatch(/nuqta_account_alerts_total\{platform="instagram",reason="token_expired"\} 1/);
    expect(metrics).toMatch(/nuqta_accounts_paused\{platform="instagram",status="needs_reauth"\} 1/);
    const ready = await fetch(`${world.app.url}/readyz`);
    expect(ready.status).toBe(200);
    const body = (await ready.json()) as { status: string; accounts: { paused: { accountId: string; status: string; reason: string; detail: string }[] } };
    expect(body.status).toBe('ready');
    expect(body.accounts.paused).toEqual([
      expect.objectContaining({ platform: 'instagram', accountId: IG_ACCOUNT, status: 'needs_reauth', reason: 'token_expired' }),
    ]);
    expect(body.accounts.paused[0]?.detail).toMatch(/Session has expired/);
    expect(JSON.stringify(body)).not.toContain(TOKEN);

    // No call is made for the account until it is reconnected.
    const before = calls();
    expect(await pollAccount(world.deps(), ref)).toMatchObject({ outcome: 'needs_reauth' });
    expect(calls()).toBe(before);

    world.emulator.grantToken('EAAGrenewed-token-77', [IG_ACCOUNT]);
    await world.app.nuqta.accounts.save({ platform: 'instagram', accountId: IG_ACCOUNT, login: 'instagram_login', token: 'EAAGrenewed-token-77' }, world.now());
    expect(await pollAccount(world.deps(), ref)).toMatchObject({ outcome: 'polled', events: 1 });
  });
});
