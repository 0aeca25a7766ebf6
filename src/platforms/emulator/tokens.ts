/**
 * Access tokens the emulated platforms accept: each one reads a set of
 * accounts, and may expire (Instagram long-lived tokens last about 60 days)
 * or be expired on purpose by a test.
 */
export type TokenCheck =
  | { status: 'missing' }
  | { status: 'unknown' }
  | { status: 'expired'; expiredAt: Date }
  | { status: 'valid'; accountIds: ReadonlySet<string> };

interface Grant {
  accountIds: Set<string>;
  expiresAt: Date | undefined;
}

export class TokenRegistry {
  private readonly grants = new Map<string, Grant>();

  constructor(private readonly clock: () => Date) {}

  grant(token: string, accountIds: readonly string[], expiresAt?: Date): void {
    if (token === '') throw new RangeError('a token cannot be empty');
    this.grants.set(token, { accountIds: new Set(accountIds), expiresAt });
  }

  /** From now on the token answers as expired (Graph code 190, TikTok 40102). */
  expire(token: string): void {
    const grant = this.grants.get(token);
    if (grant === undefined) throw new RangeError('no such token was granted');
    grant.expiresAt = this.clock();
  }

  check(token: string | undefined): TokenCheck {
    if (token === undefined || token === '') return { status: 'missing' };
    const grant = this.grants.get(token);
    if (grant === undefined) return { status: 'unknown' };
    if (grant.expiresAt !== undefined && grant.expiresAt <= this.clock()) return { status: 'expired', expiredAt: grant.expiresAt };
    return { status: 'valid', accountIds: grant.accountIds };
  }
}
