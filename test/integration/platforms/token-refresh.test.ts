import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSession, pollAccount, refreshedDuring } from '../../../src/platforms/accounts/account-poll.js';
import { isPlatformCallError } from '../../../src/platforms/accounts/platform-call.js';
import { keepTokenFresh, REFRESH_ATTEMPTS_BEFORE_ALERT, retryDelayMs } from '../../../src/platforms/accounts/token-refresh.js';
import { tiktokPolling } from '../../../src/platforms/tiktok/poller.js';
import { brandPlan, commentSpecs, IG_ACCOUNT, plannedComment, startBrandWorld, TIKTOK_CLIENT_KEY, TT_BUSINESS, type BrandWorld } from './brand-world.js';
import { scrapeMetrics, TEST_SECRETS } from '../../helpers/test-nuqta.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const VIDEO = '7300000000000009001';
const IG_MEDIA = '17900000000000901';
const at = new Date(Date.now() - 60_000);
const plan = brandPlan(at, { instagram: [IG_MEDIA], tiktok: [VIDEO] }, [
  ...commentSpecs('tiktok', VIDEO, '7310000000000900', 2),
  ...commentSpecs('instagram', IG_MEDIA, '1790000000000900', 2),
]);
const tiktok = { platform: 'tiktok', accountId: TT_BUSINESS } as const;
const instagram = { platform: 'instagram', accountId: IG_ACCOUNT } as const;

let world: BrandWorld;

beforeAll(async () => {
  world = await startBrandWorld('token_refresh', plan);
});
afterAll(async () => {
  await world?.cleanup();
});

const oauthCalls = (): number => world.emulator.requestCount({ endpoint: 'tiktok.oauth_token' });

/** A new comment on the video now, so each poll has something to find. */
function commentNow(id: string): void {
  world.emulator.addEngagements([plannedComment(world.now(), { platform: 'tiktok', id, mediaId: VIDEO, minutesAgo: 0 })]);
}

async function refreshWith(refreshToken: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const form = new URLSearchParams({ client_key: TIKTOK_CLIENT_KEY, client_secret: TEST_SECRETS.TIKTOK_CLIENT_SECRET, grant_type: 'refresh_token', refresh_token: refreshToken });
  const response = await fetch(`${world.emulator.url}/v2/oauth/token/`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe('TikTok access tokens are refreshed with their refresh token before they expire', () => {
  it('keeps polling through a refresh scheduled from the lifetimes the platform stated, and stores the rotated refresh token', async () => {
    world.emulator.grantToken('act.first', [TT_BUSINESS], new Date(world.now().getTime() + 2 * HOUR));
    world.emulator.grantRefreshToken('rft.first', [TT_BUSINESS], new Date(world.now().getTime() + 180 * DAY));
    await world.connect('tiktok', 'tiktok_business', {
      token: 'act.first',
      tokenExpiresAt: new Date(world.now().getTime() + 2 * HOUR),
      refreshToken: 'rft.first',
      refreshExpiresAt: new Date(world.now().getTime() + 180 * DAY),
    });
    expect(await pollAccount(world.deps(), tiktok)).toMatchObject({ outcome: 'polled', events: 2 });
    expect(oauthCalls()).toBe(0);

    // Halfway through the access token's two hours the next poll refreshes it first.
    world.advance(HOUR + 60_000);
    commentNow('7310000000000900901');
    expect(await pollAccount(world.deps(), tiktok)).toMatchObject({ outcome: 'polled', events: 1 });
    expect(oauthCalls()).toBe(1);
    const refreshed = await world.app.nuqta.accounts.get(tiktok);
    expect(refreshed?.tokenExpiresAt).toEqual(new Date(world.now().getTime() + 2 * HOUR));
    expect(refreshed?.refreshExpiresAt).toEqual(new Date(world.now().getTime() + 180 * DAY));
    expect(refreshed?.tokenRefresh).toMatchObject({ failures: 0, lastRefreshedAt: world.now() });
    expect(await world.app.nuqta.accounts.accessToken(tiktok)).not.toBe('act.first');

    // Past the first token's expiry, polling goes on with the new one.
    world.advance(HOUR + 60_000);
    commentNow('7310000000000900902');
    expect(await pollAccount(world.deps(), tiktok)).toMatchObject({ outcome: 'polled', events: 1 });
    expect((await world.app.nuqta.accounts.get(tiktok))?.status).toBe('active');

    // The refresh token used is spent: only the stored successor works.
    expect(await refreshWith('rft.first')).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
  });

  it('lets one of two processes refresh at once; the other keeps the token that still works', async () => {
    const before = await world.app.nuqta.accounts.get(tiktok);
    world.advance(HOUR + 60_000);
    const calls = oauthCalls();
    const [first, second] = await Promise.all([
      world.app.nuqta.accounts.get(tiktok).then((account) => keepTokenFresh(world.deps(), account!)),
      world.app.nuqta.accounts.get(tiktok).then((account) => keepTokenFresh(world.deps(), account!)),
    ]);
    expect(oauthCalls() - calls).toBe(1);
    const stored = await world.app.nuqta.accounts.get(tiktok);
    expect(stored?.tokenExpiresAt).toEqual(new Date(world.now().getTime() + 2 * HOUR));
    // One returns the refreshed account, the other the one it had (its token good for almost an hour more).
    expect([first.tokenExpiresAt, second.tokenExpiresAt].sort()).toEqual([before?.tokenExpiresAt, stored?.tokenExpiresAt].sort());
    commentNow('7310000000000900903');
    expect(await pollAccount(world.deps(), tiktok)).toMatchObject({ outcome: 'polled', events: 1 });
    expect(oauthCalls() - calls).toBe(1);
  });

  it('does not blame the account when a refresh elsewhere replaced the token a running poll holds', async () => {
    const opened = await openSession(world.deps(), tiktok);
    if (!('session' in opened)) throw new Error(`no session: ${opened.outcome}`);
    world.advance(HOUR + 60_000);
    await keepTokenFresh(world.deps(), opened.session.account);
    world.advance(HOUR);
    // The poll's token has now expired; the stored one is new.
    const failure = await tiktokPolling.reader(opened.session).mediaPage(undefined).catch((error: unknown) => error);
    expect(isPlatformCallError(failure, 'auth')).toBe(true);
    if (!isPlatformCallError(failure)) throw failure;
    expect(await refreshedDuring(world.deps(), opened.session, failure)).toBe(true);
    commentNow('7310000000000900904');
    expect(await pollAccount(world.deps(), tiktok)).toMatchObject({ outcome: 'polled', events: 1 });
  });

  it('retries a failing refresh on a back-off, raises the alert with the date polling stops, pauses at that date, and resumes with a new token', async () => {
    world.emulator.refuseRefreshes(true);
    world.advance(HOUR + 60_000);
    const stopsAt = (await world.app.nuqta.accounts.get(tiktok))?.tokenExpiresAt;
    for (let attempt = 1; attempt <= REFRESH_ATTEMPTS_BEFORE_ALERT; attempt += 1) {
      // The token still works: every poll in between reads the account.
      expect(await pollAccount(world.deps(), tiktok)).toMatchObject({ outcome: 'polled' });
      expect((await world.app.nuqta.accounts.get(tiktok))?.tokenRefresh).toMatchObject({ failures: attempt });
      world.advance(retryDelayMs(attempt));
    }
    const metrics = await scrapeMetrics(world.app.url);
    expect(metrics).toMatch(/nuqta_account_alerts_total\{platform="tiktok",reason="token_refresh_failed"\} 1/);
    const ready = (await (await fetch(`${world.app.url}/readyz`)).json()) as { accounts: { refreshFailing: unknown[] } };
    expect(ready.accounts.refreshFailing).toEqual([
      { platform: 'tiktok', accountId: TT_BUSINESS, failures: REFRESH_ATTEMPTS_BEFORE_ALERT, lastError: expect.stringMatching(/temporarily_unavailable/), stopsAt: stopsAt?.toISOString() },
    ]);

    // At that date the account stops, waiting for a person.
    world.advance(HOUR);
    expect(await pollAccount(world.deps(), tiktok)).toMatchObject({ outcome: 'needs_reauth' });
    const stopped = await world.app.nuqta.accounts.get(tiktok);
    expect(stopped).toMatchObject({ status: 'needs_reauth', pause: { reason: 'token_expired' } });
    expect(stopped?.pause?.detail).toMatch(new RegExp(`expired at ${stopsAt?.toISOString()} after \\d+ failed refreshes`));
    const paused = (await (await fetch(`${world.app.url}/readyz`)).json()) as { accounts: { paused: { accountId: string; reason: string }[] } };
    expect(paused.accounts.paused).toEqual([expect.objectContaining({ accountId: TT_BUSINESS, reason: 'token_expired' })]);

    // Reconnecting with a new grant resumes polling and refreshing.
    world.emulator.refuseRefreshes(false);
    world.emulator.grantToken('act.reconnected', [TT_BUSINESS], new Date(world.now().getTime() + 2 * HOUR));
    world.emulator.grantRefreshToken('rft.reconnected', [TT_BUSINESS], new Date(world.now().getTime() + 180 * DAY));
    await world.connect('tiktok', 'tiktok_business', { token: 'act.reconnected', tokenExpiresAt: new Date(world.now().getTime() + 2 * HOUR), refreshToken: 'rft.reconnected' });
    commentNow('7310000000000900905');
    expect(await pollAccount(world.deps(), tiktok)).toMatchObject({ outcome: 'polled', events: 1 });
    expect((await world.app.nuqta.accounts.get(tiktok))?.tokenRefresh).toBeUndefined();
  });
});

describe('Instagram Login long-lived tokens are refreshed on a schedule', () => {
  it('refreshes a 60-day token halfway through its life and keeps polling past the old expiry', async () => {
    const expiresAt = new Date(world.now().getTime() + 60 * DAY);
    world.emulator.grantToken('IGQfirst-long-lived', [IG_ACCOUNT], expiresAt);
    await world.connect('instagram', 'instagram_login', { token: 'IGQfirst-long-lived', tokenExpiresAt: expiresAt });
    const refreshes = (): number => world.emulator.requestCount({ endpoint: 'instagram.refresh_access_token' });
    expect(await pollAccount(world.deps(), instagram)).toMatchObject({ outcome: 'polled' });
    world.advance(2 * DAY);
    expect(await pollAccount(world.deps(), instagram)).toMatchObject({ outcome: 'polled' });
    expect(refreshes()).toBe(0);

    world.advance(29 * DAY);
    expect(await pollAccount(world.deps(), instagram)).toMatchObject({ outcome: 'polled' });
    expect(refreshes()).toBe(1);
    expect((await world.app.nuqta.accounts.get(instagram))?.tokenExpiresAt).toEqual(new Date(world.now().getTime() + 60 * DAY));

    world.advance(30 * DAY);
    expect(await pollAccount(world.deps(), instagram)).toMatchObject({ outcome: 'polled' });
    expect((await world.app.nuqta.accounts.get(instagram))?.status).toBe('active');
  });

  it('never refreshes a Facebook Login page token, which does not expire; each poll uses and so checks it', async () => {
    await world.connect('instagram', 'facebook_login');
    world.advance(40 * DAY);
    const refreshes = world.emulator.requestCount({ endpoint: 'instagram.refresh_access_token' });
    expect(await pollAccount(world.deps(), instagram)).toMatchObject({ outcome: 'polled' });
    expect(world.emulator.requestCount({ endpoint: 'instagram.refresh_access_token' })).toBe(refreshes);
  });
});
