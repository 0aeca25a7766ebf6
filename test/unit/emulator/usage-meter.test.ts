import { describe, expect, it } from 'vitest';
import { UsageMeter, type UsageDefaults } from '../../../src/platforms/emulator/usage-meter.js';

const defaults: UsageDefaults = { instagramCallsPerHour: 10, tiktokCallsPerMinute: 5, instagramThrottleCode: 80002, tiktokThrottleStyle: 'envelope' };

function meterAt(start: string): { meter: UsageMeter; advance: (ms: number) => void } {
  let now = new Date(start).getTime();
  return { meter: new UsageMeter(() => new Date(now), defaults), advance: (ms) => (now += ms) };
}

describe('UsageMeter', () => {
  it('reports the share of the hourly Instagram budget used', () => {
    const { meter } = meterAt('2027-03-01T12:00:00Z');
    for (let i = 0; i < 3; i += 1) meter.charge('instagram', 'ig-1');
    expect(meter.charge('instagram', 'ig-1')).toEqual({
      allowed: true,
      usage: { type: 'instagram', call_count: 40, total_cputime: 16, total_time: 24, estimated_time_to_regain_access: 0 },
    });
  });

  it('refuses past the budget until the oldest calls leave the rolling hour', () => {
    const { meter, advance } = meterAt('2027-03-01T12:00:00Z');
    for (let i = 0; i < 10; i += 1) {
      expect(meter.charge('instagram', 'ig-1').allowed).toBe(true);
      advance(60_000);
    }
    const refused = meter.charge('instagram', 'ig-1');
    expect(refused).toMatchObject({ allowed: false, code: 80002, usage: { call_count: 100, estimated_time_to_regain_access: 50 } });
    // The other account has its own budget.
    expect(meter.charge('instagram', 'ig-2').allowed).toBe(true);
    advance(50 * 60_000);
    expect(meter.charge('instagram', 'ig-1').allowed).toBe(true);
  });

  it('counts TikTok calls per minute, with a budget set per account', () => {
    const { meter, advance } = meterAt('2027-03-01T12:00:00Z');
    meter.setBudget('bc-1', 2);
    meter.charge('tiktok', 'bc-1');
    meter.charge('tiktok', 'bc-1');
    expect(meter.charge('tiktok', 'bc-1')).toMatchObject({ allowed: false, tiktokStyle: 'envelope', regainMs: 60_000 });
    advance(60_001);
    expect(meter.charge('tiktok', 'bc-1').allowed).toBe(true);
  });

  it('holds a forced throttle for its duration, with its own code', () => {
    const { meter, advance } = meterAt('2027-03-01T12:00:00Z');
    meter.throttle('ig-1', 150, { code: 4 });
    expect(meter.charge('instagram', 'ig-1')).toMatchObject({ allowed: false, code: 4, regainMs: 150_000, usage: { estimated_time_to_regain_access: 3 } });
    advance(150_000);
    expect(meter.charge('instagram', 'ig-1').allowed).toBe(true);
  });

  it('rejects a budget that is not a positive whole number', () => {
    const { meter } = meterAt('2027-03-01T12:00:00Z');
    expect(() => meter.setBudget('ig-1', 0)).toThrow(RangeError);
  });
});
