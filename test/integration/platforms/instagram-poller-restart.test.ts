import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pollAccount } from '../../../src/platforms/accounts/account-poll.js';
import { eventually } from '../../helpers/test-nuqta.js';
import { brandPlan, commentSpecs, IG_ACCOUNT, settledEntries, startBrandWorld, type BrandWorld } from './brand-world.js';

const MEDIA = '17900000000000201';
const ref = { platform: 'instagram', accountId: IG_ACCOUNT } as const;
const COMMENTS = 60;
const plan = brandPlan(new Date(Date.now() - 60_000), { instagram: [MEDIA] }, commentSpecs('instagram', MEDIA, '1850000000000', COMMENTS, 5));

let world: BrandWorld;

beforeAll(async () => {
  world = await startBrandWorld('ig_poller_restart', plan);
  await world.connect('instagram', 'instagram_login');
});
afterAll(async () => {
  await world?.cleanup();
});

describe('Instagram poller across a worker restart', () => {
  it('resumes after the last saved page and awards each comment once', async () => {
    const stop = new AbortController();
    const first = await pollAccount(world.deps(), ref, { signal: stop.signal, onPage: () => stop.abort() });
    expect(first).toMatchObject({ outcome: 'interrupted', events: 50 });
    expect(world.emulator.requestCount({ endpoint: 'instagram.comments' })).toBe(1);

    // The new worker schedules every connected account and polls it at once.
    await world.restart();
    const lastPoll = await eventually(async () => {
      const account = await world.app.nuqta.accounts.get(ref);
      return account?.lastPoll?.outcome === 'polled' ? account.lastPoll : undefined;
    });
    expect(lastPoll.events).toBe(COMMENTS - 50);
    // The second page once, the first never again.
    expect(world.emulator.requestCount({ endpoint: 'instagram.comments' })).toBe(2);

    const entries = await settledEntries(world.app, COMMENTS, (entry) => entry.ruleId === 'comment');
    const keys = entries.map((entry) => entry.eventKey);
    expect(new Set(keys).size).toBe(COMMENTS);
    expect(keys).toHaveLength(COMMENTS);
    expect(new Set(entries.map((entry) => entry.memberId)).size).toBe(COMMENTS);
  }, 60_000);
});
