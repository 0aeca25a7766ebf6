/**
 * A connected account: a brand's Instagram professional account or TikTok
 * business account that nuqta reads on the brand's behalf. The shape here is
 * what everything outside the store sees; the token never leaves the store
 * except decrypted, on demand, for a call to the platform.
 */
import { z } from 'zod';
import type { Platform } from '../../domain/event.js';

/**
 * How the token was obtained, which decides the host and what the API allows:
 * `instagram_login` → graph.instagram.com, no hashtag search, mentions arrive
 * as comments; `facebook_login` → graph.facebook.com, `mentions` webhooks and
 * hashtag search; `tiktok_business` → TikTok API for Business.
 */
export const LOGIN_TYPES = ['instagram_login', 'facebook_login', 'tiktok_business'] as const;
export const loginTypeSchema = z.enum(LOGIN_TYPES);
export type LoginType = z.infer<typeof loginTypeSchema>;

export const LOGINS_BY_PLATFORM: Readonly<Record<Platform, readonly LoginType[]>> = {
  instagram: ['facebook_login', 'instagram_login'],
  tiktok: ['tiktok_business'],
};

/** `active` is polled; `paused` resumes by itself at `pause.until`; `needs_reauth` waits for a new token. */
export type AccountStatus = 'active' | 'paused' | 'needs_reauth';

export const PAUSE_REASONS = ['rate_budget', 'throttled', 'token_expired', 'authorization_removed', 'permission_missing'] as const;

/** How the account's token is kept alive (token-refresh.ts); absent until the first refresh or failure. */
export interface TokenRefreshState {
  /** Failed refreshes since the last success. */
  failures: number;
  lastError?: string;
  /** The next attempt after a failure, on a growing back-off. */
  retryAt?: Date;
  /** When the failures raised the alert (once per run of failures). */
  alertedAt?: Date;
  lastRefreshedAt?: Date;
}
export type PauseReason = (typeof PAUSE_REASONS)[number];

export interface AccountPause {
  reason: PauseReason;
  /** What the platform said, for the operator (never a token). */
  detail: string;
  since: Date;
  /** When polling may resume on its own; absent for `needs_reauth`. */
  until?: Date;
}

/** The platform's last word on how much of the call budget is used, in percent. */
export interface BudgetState {
  usagePercent: number;
  observedAt: Date;
  /** When the platform said access returns (`estimated_time_to_regain_access`), if it did. */
  regainAt?: Date;
}

/** Instagram: a hashtag searched within the last 7 days (at most 30 unique per account). */
export interface HashtagSearch {
  name: string;
  id: string;
  searchedAt: Date;
}

export interface LastPoll {
  at: Date;
  outcome: string;
  events: number;
}

export interface ConnectedAccount {
  platform: Platform;
  accountId: string;
  login: LoginType;
  username?: string;
  tokenExpiresAt?: Date;
  /** When the current access token was stored: a refresh is scheduled from it. */
  tokenIssuedAt?: Date;
  /** TikTok: a refresh token is held (never shown), and when it stops working. */
  hasRefreshToken: boolean;
  refreshExpiresAt?: Date;
  tokenRefresh?: TokenRefreshState;
  status: AccountStatus;
  pause?: AccountPause;
  budget?: BudgetState;
  hashtagSearches: HashtagSearch[];
  hashtagsPolledAt?: Date;
  lastPoll?: LastPoll;
  connectedAt: Date;
  updatedAt: Date;
}

export interface AccountRef {
  platform: Platform;
  accountId: string;
}

/** `_id` of the account document and the prefix of its poll state: `platform|accountId`. */
export function accountKeyOf(ref: AccountRef): string {
  return `${ref.platform}|${ref.accountId}`;
}
