import { describe, expect, it } from 'vitest';
import { BUDGET_COOLDOWN_MS, CallBudget, usageFromHeaders } from '../../../src/platforms/accounts/call-budget.js';
import { isPlatformCallError, PlatformCallError } from '../../../src/platforms/accounts/platform-call.js';

const buc = (entry: Record<string, unknown>): Record<string, string> => ({
  'x-business-use-case-usage': JSON.stringify({ '17841400000000002': [{ type: 'instagram', ...entry }] }),
});

describe('usageFromHeaders', () => {
  it('takes the highest of call count, CPU time and total time, and the regain time in minutes', () => {
    expect(usageFromHeaders(buc({ call_count: 41, total_cputime: 12, total_time: 57, estimated_time_to_regain_access: 0 }))).toEqual({ percent: 57, regainMinutes: 0 });
    expect(usageFromHeaders(buc({ call_count: 100, total_cputime: 40, total_time: 60, estimated_time_to_regain_access: 12 }))).toEqual({ percent: 100, regainMinutes: 12 });
  });

  it('reads X-App-Usage (Instagram Login apps) and ignores what it cannot read', () => {
    expect(usageFromHeaders({ 'x-app-usage': '{"call_count":"93","total_cputime":5,"total_time":7}' })).toEqual({ percent: 93, regainMinutes: 0 });
    expect(usageFromHeaders({})).toBeUndefined();
    expect(usageFromHeaders({ 'x-business-use-case-usage': 'not json' })).toBeUndefined();
    expect(usageFromHeaders({ 'x-business-use-case-usage': '{"1":[{"call_count":-5}]}' })).toEqual({ percent: 0, regainMinutes: 0 });
  });
});

describe('CallBudget', () => {
  it('lets calls out below 90% and stops them from 90% until the cool-down has passed', () => {
    let now = new Date('2027-03-01T12:00:00Z');
    const budget = new CallBudget('instagram', () => now);
    budget.assertRoom();
    budget.observe({ percent: 89, regainMinutes: 0 });
    budget.assertRoom();
    budget.observe({ percent: 90, regainMinutes: 0 });
    let thrown: unknown;
    try {
      budget.assertRoom();
    } catch (error) {
      thrown = error;
    }
    expect(isPlatformCallError(thrown, 'budget')).toBe(true);
    expect((thrown as PlatformCallError).failure).toEqual({ kind: 'budget', usagePercent: 90, until: new Date(now.getTime() + BUDGET_COOLDOWN_MS) });

    // A later poll starts from the recorded usage: still inside the cool-down, then past it.
    now = new Date(now.getTime() + BUDGET_COOLDOWN_MS - 1);
    expect(() => new CallBudget('instagram', () => now, budget.state).assertRoom()).toThrow(PlatformCallError);
    now = new Date(now.getTime() + 1);
    expect(() => new CallBudget('instagram', () => now, budget.state).assertRoom()).not.toThrow();
  });

  it('waits for the regain time the platform gave rather than the cool-down', () => {
    let now = new Date('2027-03-01T12:00:00Z');
    const budget = new CallBudget('instagram', () => now);
    budget.observe({ percent: 100, regainMinutes: 2 });
    expect(budget.state?.regainAt).toEqual(new Date(now.getTime() + 120_000));
    now = new Date(now.getTime() + 120_000);
    expect(() => budget.assertRoom()).not.toThrow();
  });

  it('halts every later call after a throttle or a token failure, not after a refused request', () => {
    const budget = new CallBudget('tiktok', () => new Date());
    budget.halt(new PlatformCallError('tiktok', { kind: 'refused', code: '40002' }, 'video gone'));
    expect(() => budget.assertRoom()).not.toThrow();
    const throttled = new PlatformCallError('tiktok', { kind: 'throttled', code: '40100', until: new Date() }, 'rate limited');
    budget.halt(throttled);
    budget.halt(new PlatformCallError('tiktok', { kind: 'auth', code: '40102' }, 'expired'));
    expect(() => budget.assertRoom()).toThrow(throttled);
  });
});
