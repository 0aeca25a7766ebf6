/**
 * One registry of error codes. Each code has an HTTP status and a message a
 * user can act on; workers use `retryable` to tell transient from permanent.
 */
export const ERRORS = {
  NUQTA_BAD_SIGNATURE: { status: 401, retryable: false },
  NUQTA_STALE_SIGNATURE: { status: 401, retryable: false },
  NUQTA_BAD_VERIFY_TOKEN: { status: 403, retryable: false },
  NUQTA_UNAUTHORIZED: { status: 401, retryable: false },
  NUQTA_FORBIDDEN: { status: 403, retryable: false },
  NUQTA_BAD_REQUEST: { status: 400, retryable: false },
  NUQTA_BAD_PAYLOAD: { status: 400, retryable: false },
  NUQTA_BAD_TIME: { status: 400, retryable: false },
  NUQTA_NOT_FOUND: { status: 404, retryable: false },
  NUQTA_METHOD_NOT_ALLOWED: { status: 405, retryable: false },
  NUQTA_CAMPAIGN_NOT_FOUND: { status: 404, retryable: false },
  NUQTA_MEMBER_NOT_FOUND: { status: 404, retryable: false },
  NUQTA_INSUFFICIENT_POINTS: { status: 409, retryable: false },
  NUQTA_OUT_OF_STOCK: { status: 409, retryable: false },
  NUQTA_CONFLICT: { status: 409, retryable: false },
  NUQTA_PAYLOAD_TOO_LARGE: { status: 413, retryable: false },
  NUQTA_URI_TOO_LONG: { status: 414, retryable: false },
  NUQTA_UNSUPPORTED_MEDIA_TYPE: { status: 415, retryable: false },
  NUQTA_RATE_LIMITED: { status: 429, retryable: true },
  NUQTA_HEADERS_TOO_LARGE: { status: 431, retryable: false },
  NUQTA_ACCOUNT_NOT_FOUND: { status: 404, retryable: false },
  NUQTA_ACCOUNT_REJECTED: { status: 400, retryable: false },
  NUQTA_PLATFORM_UNAVAILABLE: { status: 503, retryable: true },
  NUQTA_QUEUE_UNAVAILABLE: { status: 503, retryable: true },
  NUQTA_STORE_UNAVAILABLE: { status: 503, retryable: true },
  NUQTA_WRITE_CONFLICT: { status: 503, retryable: true },
  NUQTA_BAD_CONFIG: { status: 500, retryable: false },
  NUQTA_BAD_CAMPAIGN: { status: 500, retryable: false },
  NUQTA_INVALID_CAMPAIGN: { status: 400, retryable: false },
  NUQTA_CAMPAIGN_EXISTS: { status: 409, retryable: false },
  NUQTA_REVISION_MISMATCH: { status: 412, retryable: false },
  NUQTA_INTERNAL: { status: 500, retryable: true },
} as const satisfies Record<string, { status: number; retryable: boolean }>;

export type ErrorCode = keyof typeof ERRORS;

export class NuqtaError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly retryable: boolean;
  readonly details: unknown;
  /** For a 429 or 503: when to try again (the Retry-After header). */
  readonly retryAfterSeconds: number | undefined;

  constructor(code: ErrorCode, message: string, details?: unknown, options: { retryAfterSeconds?: number } = {}) {
    super(message);
    this.retryAfterSeconds = options.retryAfterSeconds;
    this.name = 'NuqtaError';
    this.code = code;
    this.status = ERRORS[code].status;
    this.retryable = ERRORS[code].retryable;
    this.details = details;
  }
}

export function isNuqtaError(error: unknown, code?: ErrorCode): error is NuqtaError {
  return error instanceof NuqtaError && (code === undefined || error.code === code);
}
