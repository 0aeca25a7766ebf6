/**
 * Call budgets per account, as the platforms count them: Instagram's Business
 * Use Case limit over a rolling hour (reported in `X-Business-Use-Case-Usage`),
 * TikTok's per-minute limit. Tests can also force an account into throttling
 * for a while, as Meta does after abuse.
 */
import type { Platform } from '../../domain/event.js';

/** Graph API throttling codes: app, user, page, API-specific and Instagram BUC limits. */
export const THROTTLE_CODES = [4, 17, 32, 613, 80002] as const;
export type ThrottleCode = (typeof THROTTLE_CODES)[number];

/** How a throttled TikTok call answers: the API for Business envelope (code 40100) or a plain HTTP 429. */
export type TikTokThrottleStyle = 'envelope' | 'http429';

/** The fields of one `X-Business-Use-Case-Usage` entry (percentages, and minutes to wait). */
export interface BusinessUseCaseUsage {
  type: string;
  call_count: number;
  total_cputime: number;
  total_time: number;
  estimated_time_to_regain_access: number;
}

export type UsageVerdict =
  | { allowed: true; usage: BusinessUseCaseUsage }
  | { allowed: false; usage: BusinessUseCaseUsage; code: ThrottleCode; regainMs: number; tiktokStyle: TikTokThrottleStyle };

export interface UsageDefaults {
  instagramCallsPerHour: number;
  tiktokCallsPerMinute: number;
  instagramThrottleCode: ThrottleCode;
  tiktokThrottleStyle: TikTokThrottleStyle;
}

interface ForcedThrottle {
  until: number;
  code: ThrottleCode;
  tiktokStyle: TikTokThrottleStyle;
}

const WINDOW_MS: Record<Platform, number> = { instagram: 3_600_000, tiktok: 60_000 };

export class UsageMeter {
  private readonly calls = new Map<string, number[]>();
  private readonly budgets = new Map<string, number>();
  private readonly forced = new Map<string, ForcedThrottle>();

  constructor(
    private readonly clock: () => Date,
    private readonly defaults: UsageDefaults,
  ) {}

  /** Calls allowed per window: per hour on Instagram, per minute on TikTok. */
  setBudget(accountId: string, calls: number): void {
    if (!Number.isInteger(calls) || calls < 1) throw new RangeError('a call budget must be a positive integer');
    this.budgets.set(accountId, calls);
  }

  throttle(accountId: string, seconds: number, options: { code?: ThrottleCode; tiktokStyle?: TikTokThrottleStyle } = {}): void {
    this.forced.set(accountId, {
      until: this.clock().getTime() + seconds * 1000,
      code: options.code ?? this.defaults.instagramThrottleCode,
      tiktokStyle: options.tiktokStyle ?? this.defaults.tiktokThrottleStyle,
    });
  }

  /** Counts one call against the account's budget, unless the account is throttled. */
  charge(platform: Platform, accountId: string): UsageVerdict {
    const now = this.clock().getTime();
    const budget = this.budgetOf(platform, accountId);
    const calls = this.recentCalls(platform, accountId, now);
    const forced = this.forced.get(accountId);
    if (forced !== undefined && forced.until > now) {
      return this.refusal(Math.max(100, percentOf(calls.length, budget)), forced.until - now, forced);
    }
    if (calls.length >= budget) {
      // Access returns once enough of the oldest calls have left the window.
      const regainAt = (calls[calls.length - budget] ?? now) + WINDOW_MS[platform];
      return this.refusal(percentOf(calls.length, budget), regainAt - now, {
        code: this.defaults.instagramThrottleCode,
        tiktokStyle: this.defaults.tiktokThrottleStyle,
      });
    }
    calls.push(now);
    return { allowed: true, usage: usageOf(percentOf(calls.length, budget), 0) };
  }

  private refusal(percent: number, regainMs: number, throttle: Omit<ForcedThrottle, 'until'>): UsageVerdict {
    return { allowed: false, usage: usageOf(percent, regainMs), code: throttle.code, regainMs, tiktokStyle: throttle.tiktokStyle };
  }

  private budgetOf(platform: Platform, accountId: string): number {
    const fallback = platform === 'instagram' ? this.defaults.instagramCallsPerHour : this.defaults.tiktokCallsPerMinute;
    return this.budgets.get(accountId) ?? fallback;
  }

  private recentCalls(platform: Platform, accountId: string, now: number): number[] {
    const since = now - WINDOW_MS[platform];
    const calls = (this.calls.get(accountId) ?? []).filter((at) => at > since);
    this.calls.set(accountId, calls);
    return calls;
  }
}

function percentOf(calls: number, budget: number): number {
  return Math.round((calls / budget) * 100);
}

/** CPU and total time follow the call count, as they do for simple reads. */
function usageOf(callCount: number, regainMs: number): BusinessUseCaseUsage {
  return {
    type: 'instagram',
    call_count: callCount,
    total_cputime: Math.round(callCount * 0.4),
    total_time: Math.round(callCount * 0.6),
    estimated_time_to_regain_access: Math.ceil(regainMs / 60_000),
  };
}
