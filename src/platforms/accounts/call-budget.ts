/**
 * One account's call budget during a poll. Instagram reports usage after
 * every call (`X-Business-Use-Case-Usage`, or `X-App-Usage` for apps on
 * Instagram Login) as percentages of a rolling window; nuqta stops at
 * `stopAtPercent` so the platform never has to throttle it. Once a call is
 * throttled or refused for the token, the budget halts: no further call is
 * made for the account in this poll, even by calls already queued.
 */
import type { Platform } from '../../domain/event.js';
import { PlatformCallError, type CallFailure } from './platform-call.js';
import type { BudgetState } from './account.js';

export const DEFAULT_STOP_AT_PERCENT = 90;
/** How long a poll waits after stopping itself: usage is over a rolling hour, so it falls back within minutes. */
export const BUDGET_COOLDOWN_MS = 15 * 60_000;

export interface Usage {
  /** The highest of call count, CPU time and total time, in percent. */
  percent: number;
  /** `estimated_time_to_regain_access`, in minutes; 0 when not throttled. */
  regainMinutes: number;
}

const USAGE_FIELDS = ['call_count', 'total_cputime', 'total_time'] as const;

/**
 * `X-Business-Use-Case-Usage: {"<id>":[{"type":..,"call_count":..,"total_cputime":..,"total_time":..,"estimated_time_to_regain_access":..}]}`
 * or `X-App-Usage: {"call_count":..,"total_cputime":..,"total_time":..}`.
 */
export function usageFromHeaders(headers: Readonly<Record<string, string>>): Usage | undefined {
  const entries: unknown[] = [];
  const business = parseJsonObject(headers['x-business-use-case-usage']);
  if (business !== undefined) for (const value of Object.values(business)) if (Array.isArray(value)) entries.push(...value);
  const app = parseJsonObject(headers['x-app-usage']);
  if (app !== undefined) entries.push(app);
  let usage: Usage | undefined;
  for (const entry of entries) {
    if (entry === null || typeof entry !== 'object') continue;
    const fields = entry as Record<string, unknown>;
    const percent = Math.max(0, ...USAGE_FIELDS.map((field) => numberOf(fields[field])));
    const regainMinutes = numberOf(fields.estimated_time_to_regain_access);
    usage = { percent: Math.max(usage?.percent ?? 0, percent), regainMinutes: Math.max(usage?.regainMinutes ?? 0, regainMinutes) };
  }
  return usage;
}

export class CallBudget {
  private usage: BudgetState | undefined;
  private halted: PlatformCallError | undefined;

  constructor(
    private readonly platform: Platform,
    private readonly clock: () => Date,
    previous?: BudgetState,
    private readonly stopAtPercent = DEFAULT_STOP_AT_PERCENT,
  ) {
    this.usage = previous;
  }

  /** Throws instead of letting a call go out when the budget is spent or the account halted. */
  assertRoom(): void {
    if (this.halted !== undefined) throw this.halted;
    const usage = this.usage;
    if (usage === undefined || usage.usagePercent < this.stopAtPercent) return;
    const until = usage.regainAt ?? new Date(usage.observedAt.getTime() + BUDGET_COOLDOWN_MS);
    if (until <= this.clock()) return;
    this.halt(new PlatformCallError(this.platform, { kind: 'budget', usagePercent: usage.usagePercent, until }, `call budget at ${usage.usagePercent}% (stops at ${this.stopAtPercent}%)`));
    throw this.halted;
  }

  observe(usage: Usage | undefined): void {
    if (usage === undefined) return;
    const now = this.clock();
    this.usage = {
      usagePercent: usage.percent,
      observedAt: now,
      ...(usage.regainMinutes > 0 ? { regainAt: new Date(now.getTime() + usage.regainMinutes * 60_000) } : {}),
    };
  }

  /** Throttles and token failures stop every later call of this poll. */
  halt(error: PlatformCallError): void {
    if (this.halted === undefined && haltsAccount(error.failure)) this.halted = error;
  }

  get state(): BudgetState | undefined {
    return this.usage;
  }
}

function haltsAccount(failure: CallFailure): boolean {
  return failure.kind === 'throttled' || failure.kind === 'budget' || failure.kind === 'auth';
}

function parseJsonObject(text: string | undefined): Record<string, unknown> | undefined {
  if (text === undefined) return undefined;
  try {
    const parsed: unknown = JSON.parse(text);
    return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function numberOf(value: unknown): number {
  const number = typeof value === 'string' ? Number(value) : value;
  return typeof number === 'number' && Number.isFinite(number) && number > 0 ? number : 0;
}
