/**
 * Every call nuqta makes to a platform on a connected account's behalf goes
 * through here: a timeout, retries with full jitter for network failures and
 * 5xx answers only (a 4xx will not change by asking again), and failures
 * turned into a small set of kinds the pollers act on. Errors never carry the
 * request's headers or query, where tokens live.
 */
import axios, { type AxiosInstance } from 'axios';
import type { Platform } from '../../domain/event.js';

export type CallFailure =
  /** The platform refuses this account's calls until `until`. */
  | { kind: 'throttled'; code: string; until: Date }
  /** nuqta stops itself before the platform's budget runs out. */
  | { kind: 'budget'; usagePercent: number; until: Date }
  /** The token expired, was revoked or lacks a permission: a person must reconnect the account. */
  | { kind: 'auth'; code: string }
  /** This one request is refused (object gone, bad parameter, hashtag limit); the rest of the poll goes on. */
  | { kind: 'refused'; code: string }
  /** The platform did not answer usefully, even after retries. */
  | { kind: 'failed'; code: string };

export class PlatformCallError extends Error {
  constructor(
    readonly platform: Platform,
    readonly failure: CallFailure,
    message: string,
  ) {
    super(message);
    this.name = 'PlatformCallError';
  }
}

export function isPlatformCallError(error: unknown, kind?: CallFailure['kind']): error is PlatformCallError {
  return error instanceof PlatformCallError && (kind === undefined || error.failure.kind === kind);
}

export interface HttpRequest {
  method: 'GET' | 'POST';
  url: string;
  params?: Record<string, string>;
  headers?: Record<string, string>;
}

export interface HttpAnswer {
  status: number;
  /** Lower-case header names. */
  headers: Record<string, string>;
  body: unknown;
}

export interface PlatformHttpOptions {
  timeoutMs?: number;
  /** Attempts after the first one, for network failures and 5xx only. */
  retries?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
}

export class PlatformHttp {
  private readonly client: AxiosInstance;
  private readonly retries: number;
  private readonly baseDelayMs: number;
  private readonly maxDelayMs: number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly random: () => number;

  constructor(options: PlatformHttpOptions = {}) {
    // Every status comes back as an answer: the platform's error body says more than axios would.
    this.client = axios.create({ timeout: options.timeoutMs ?? 15_000, validateStatus: () => true, maxRedirects: 0 });
    this.retries = options.retries ?? 3;
    this.baseDelayMs = options.baseDelayMs ?? 500;
    this.maxDelayMs = options.maxDelayMs ?? 8_000;
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.random = options.random ?? Math.random;
  }

  /** Throws a `failed` PlatformCallError when the network keeps failing; otherwise returns the (last) answer. */
  async request(platform: Platform, request: HttpRequest): Promise<HttpAnswer> {
    const where = `${request.method} ${new URL(request.url).pathname}`;
    for (let attempt = 0; ; attempt += 1) {
      let answer: HttpAnswer | undefined;
      let networkError: string | undefined;
      try {
        const response = await this.client.request({
          method: request.method,
          url: request.url,
          ...(request.method === 'GET' ? { params: request.params ?? {} } : { data: new URLSearchParams(request.params ?? {}).toString() }),
          headers: { ...(request.method === 'POST' ? { 'content-type': 'application/x-www-form-urlencoded' } : {}), ...request.headers },
        });
        answer = { status: response.status, headers: lowerCaseHeaders(response.headers), body: response.data };
      } catch (error) {
        networkError = axios.isAxiosError(error) ? (error.code ?? 'network error') : 'network error';
      }
      const retryable = answer === undefined || answer.status >= 500;
      if (!retryable && answer !== undefined) return answer;
      if (attempt >= this.retries) {
        if (answer !== undefined) return answer;
        throw new PlatformCallError(platform, { kind: 'failed', code: networkError ?? 'network' }, `${where}: ${networkError ?? 'no answer'} after ${attempt + 1} attempts`);
      }
      // Full jitter: a random wait up to the exponential ceiling, so many accounts do not retry in step.
      const ceiling = Math.min(this.maxDelayMs, this.baseDelayMs * 2 ** attempt);
      await this.sleep(Math.floor(this.random() * ceiling));
    }
  }
}

function lowerCaseHeaders(headers: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (headers === null || typeof headers !== 'object') return out;
  for (const [name, value] of Object.entries(headers)) {
    if (typeof value === 'string') out[name.toLowerCase()] = value;
    else if (Array.isArray(value)) out[name.toLowerCase()] = value.join(', ');
    else if (typeof value === 'number') out[name.toLowerCase()] = String(value);
  }
  return out;
}
