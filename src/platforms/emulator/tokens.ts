/**
 * Access tokens the emulated platforms accept: each one reads a set of
 * accounts, and may expire (Instagram long-lived tokens last about 60 days,
 * TikTok access tokens hours) or be expired on purpose by a test. Tokens are
 * renewed as the platforms renew them: an Instagram Login token at least a
 * day old is exchanged for a new one; a TikTok refresh token is exchanged for
 * a new access token and a new refresh token, and stops working once used.
 */
import { randomBytes } from 'node:crypto';

export type TokenCheck =
  | { status: 'missing' }
  | { status: 'unknown' }
  | { status: 'expired'; expiredAt: Date }
  | { status: 'valid'; accountIds: ReadonlySet<string> };

interface Grant {
  accountIds: Set<string>;
  grantedAt: Date;
  expiresAt: Date | undefined;
}

/** Lifetimes of the tokens a refresh issues, in seconds. */
export interface TokenLifetimes {
  instagramSeconds: number;
  tiktokAccessSeconds: number;
  tiktokRefreshSeconds: number;
}

/** TikTok's OAuth v2 figures (access 2 hours, refresh 180 days); Instagram's 60 days. */
export const DEFAULT_TOKEN_LIFETIMES: TokenLifetimes = {
  instagramSeconds: 60 * 86_400,
  tiktokAccessSeconds: 2 * 3_600,
  tiktokRefreshSeconds: 180 * 86_400,
};

const INSTAGRAM_MIN_AGE_MS = 86_400_000;

export type InstagramRefresh = { ok: true; token: string; expiresIn: number } | { ok: false; code: number; message: string };
export type TikTokRefresh =
  | { ok: true; accessToken: string; expiresIn: number; refreshToken: string; refreshExpiresIn: number; openId: string }
  | { ok: false; error: string; description: string };

export class TokenRegistry {
  private readonly grants = new Map<string, Grant>();
  private readonly refreshGrants = new Map<string, Grant>();
  /** While set, every refresh answers as if the platform were down. */
  private refusing = false;

  constructor(
    private readonly clock: () => Date,
    private readonly lifetimes: TokenLifetimes = DEFAULT_TOKEN_LIFETIMES,
  ) {}

  grant(token: string, accountIds: readonly string[], expiresAt?: Date): void {
    if (token === '') throw new RangeError('a token cannot be empty');
    this.grants.set(token, { accountIds: new Set(accountIds), grantedAt: this.clock(), expiresAt });
  }

  /** A TikTok refresh token for the accounts (one business account in practice). */
  grantRefresh(refreshToken: string, accountIds: readonly string[], expiresAt?: Date): void {
    if (refreshToken === '') throw new RangeError('a refresh token cannot be empty');
    this.refreshGrants.set(refreshToken, { accountIds: new Set(accountIds), grantedAt: this.clock(), expiresAt });
  }

  /** From now on the token answers as expired (Graph code 190, TikTok 40102). */
  expire(token: string): void {
    const grant = this.grants.get(token);
    if (grant === undefined) throw new RangeError('no such token was granted');
    grant.expiresAt = this.clock();
  }

  refuseRefreshes(refusing: boolean): void {
    this.refusing = refusing;
  }

  get refusingRefreshes(): boolean {
    return this.refusing;
  }

  check(token: string | undefined): TokenCheck {
    if (token === undefined || token === '') return { status: 'missing' };
    const grant = this.grants.get(token);
    if (grant === undefined) return { status: 'unknown' };
    if (grant.expiresAt !== undefined && grant.expiresAt <= this.clock()) return { status: 'expired', expiredAt: grant.expiresAt };
    return { status: 'valid', accountIds: grant.accountIds };
  }

  /** `ig_refresh_token`: a valid token at least 24 hours old for a new 60-day one; the old one lives out its time. */
  refreshInstagram(token: string): InstagramRefresh {
    const check = this.check(token);
    if (check.status !== 'valid') return { ok: false, code: 190, message: 'Error validating access token: the token is invalid or has expired.' };
    const grant = this.grants.get(token);
    if (grant === undefined || this.clock().getTime() - grant.grantedAt.getTime() < INSTAGRAM_MIN_AGE_MS) {
      return { ok: false, code: 100, message: '(#100) The access token must be at least 24 hours old to be refreshed.' };
    }
    const fresh = `IGQ${randomBytes(24).toString('base64url')}`;
    this.grant(fresh, [...check.accountIds], this.after(this.lifetimes.instagramSeconds));
    return { ok: true, token: fresh, expiresIn: this.lifetimes.instagramSeconds };
  }

  /** `grant_type=refresh_token`: the refresh token is spent; a new access token and a new refresh token come back. */
  refreshTikTok(refreshToken: string): TikTokRefresh {
    const grant = this.refreshGrants.get(refreshToken);
    if (grant === undefined) return { ok: false, error: 'invalid_grant', description: 'Refresh token is invalid or expired.' };
    this.refreshGrants.delete(refreshToken);
    if (grant.expiresAt !== undefined && grant.expiresAt <= this.clock()) return { ok: false, error: 'invalid_grant', description: 'Refresh token is invalid or expired.' };
    const accessToken = `act.${randomBytes(24).toString('base64url')}`;
    const nextRefresh = `rft.${randomBytes(24).toString('base64url')}`;
    const accountIds = [...grant.accountIds];
    this.grant(accessToken, accountIds, this.after(this.lifetimes.tiktokAccessSeconds));
    this.grantRefresh(nextRefresh, accountIds, this.after(this.lifetimes.tiktokRefreshSeconds));
    return {
      ok: true,
      accessToken,
      expiresIn: this.lifetimes.tiktokAccessSeconds,
      refreshToken: nextRefresh,
      refreshExpiresIn: this.lifetimes.tiktokRefreshSeconds,
      openId: accountIds[0] ?? '',
    };
  }

  private after(seconds: number): Date {
    return new Date(this.clock().getTime() + seconds * 1000);
  }
}
