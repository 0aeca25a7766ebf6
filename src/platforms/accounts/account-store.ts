/**
 * The `accounts` collection, `_id` = `platform|accountId`. Small (one
 * document per connected account), so listing scans it; everything on the
 * polling path is a point look-up by `_id`.
 */
import type { Collection, Db } from 'mongodb';
import type { Platform } from '../../domain/event.js';
import { NuqtaError } from '../../errors.js';
import {
  accountKeyOf,
  type AccountPause,
  type AccountRef,
  type AccountStatus,
  type BudgetState,
  type ConnectedAccount,
  type HashtagSearch,
  type LastPoll,
  type LoginType,
  type TokenRefreshState,
} from './account.js';
import { missingTokenKey, type EncryptedToken, type TokenCipher } from './token-cipher.js';

interface AccountDocument {
  _id: string;
  platform: Platform;
  accountId: string;
  login: LoginType;
  username?: string;
  token: EncryptedToken;
  tokenExpiresAt?: Date;
  tokenIssuedAt?: Date;
  refreshToken?: EncryptedToken;
  refreshExpiresAt?: Date;
  tokenRefresh?: TokenRefreshState;
  status: AccountStatus;
  pause?: AccountPause;
  budget?: BudgetState;
  hashtagSearches?: HashtagSearch[];
  hashtagsPolledAt?: Date;
  lastPoll?: LastPoll;
  connectedAt: Date;
  updatedAt: Date;
}

export interface AccountInput extends AccountRef {
  login: LoginType;
  token: string;
  username?: string;
  tokenExpiresAt?: Date;
  /** TikTok: the refresh token that came with the access token, and when it expires. */
  refreshToken?: string;
  refreshExpiresAt?: Date;
}

/** What a successful refresh returned: the new access token and, on TikTok, the rotated refresh token. */
export interface RefreshedToken {
  token: string;
  tokenExpiresAt: Date;
  refreshToken?: string;
  refreshExpiresAt?: Date;
}

export interface AccountStore {
  /** Connects (or reconnects) an account: the token is encrypted, the status becomes active. */
  save(input: AccountInput, now: Date): Promise<ConnectedAccount>;
  get(ref: AccountRef): Promise<ConnectedAccount | null>;
  list(): Promise<ConnectedAccount[]>;
  remove(ref: AccountRef): Promise<boolean>;
  /** The decrypted access token, only for a call to the platform. */
  accessToken(ref: AccountRef): Promise<string>;
  /** The decrypted refresh token (TikTok), only for a refresh call; undefined when none is held. */
  refreshToken(ref: AccountRef): Promise<string | undefined>;
  /** Stores a refreshed token (and a rotated refresh token) in one write, ending any run of failures. */
  saveRefreshed(ref: AccountRef, refreshed: RefreshedToken, now: Date): Promise<void>;
  recordRefreshFailure(ref: AccountRef, state: TokenRefreshState): Promise<void>;
  /** Re-encrypts every stored token with the current NUQTA_TOKEN_KEY; returns how many accounts were rewritten. */
  rekey(): Promise<number>;
  pause(ref: AccountRef, status: Exclude<AccountStatus, 'active'>, pause: AccountPause): Promise<void>;
  /** A paused account becomes active again; an account that needs a new token stays as it is. */
  resume(ref: AccountRef, now: Date): Promise<void>;
  recordBudget(ref: AccountRef, budget: BudgetState): Promise<void>;
  recordHashtags(ref: AccountRef, searches: readonly HashtagSearch[], polledAt: Date): Promise<void>;
  recordPoll(ref: AccountRef, poll: LastPoll): Promise<void>;
}

export class MongoAccountStore implements AccountStore {
  private readonly accounts: Collection<AccountDocument>;

  /** Without a cipher the store still lists and pauses accounts; only token reads and writes need NUQTA_TOKEN_KEY. */
  constructor(db: Db, private readonly cipher: TokenCipher | undefined) {
    this.accounts = db.collection<AccountDocument>('accounts');
  }

  get canHoldTokens(): boolean {
    return this.cipher !== undefined;
  }

  async save(input: AccountInput, now: Date): Promise<ConnectedAccount> {
    if (this.cipher === undefined) throw missingTokenKey();
    const _id = accountKeyOf(input);
    await this.accounts.updateOne(
      { _id },
      {
        $set: {
          platform: input.platform,
          accountId: input.accountId,
          login: input.login,
          token: this.cipher.encrypt(input.token, _id),
          tokenIssuedAt: now,
          status: 'active',
          updatedAt: now,
          ...(input.username === undefined ? {} : { username: input.username }),
          ...(input.tokenExpiresAt === undefined ? {} : { tokenExpiresAt: input.tokenExpiresAt }),
          ...(input.refreshToken === undefined ? {} : { refreshToken: this.cipher.encrypt(input.refreshToken, refreshKeyOf(_id)) }),
          ...(input.refreshExpiresAt === undefined ? {} : { refreshExpiresAt: input.refreshExpiresAt }),
        },
        // A new token ends any pause and any run of failed refreshes; what it does not state must not be inherited from the old one.
        $unset: {
          pause: '',
          tokenRefresh: '',
          ...(input.tokenExpiresAt === undefined ? { tokenExpiresAt: '' } : {}),
          ...(input.refreshToken === undefined ? { refreshToken: '' } : {}),
          ...(input.refreshExpiresAt === undefined ? { refreshExpiresAt: '' } : {}),
        },
        $setOnInsert: { connectedAt: now },
      },
      { upsert: true },
    );
    const saved = await this.get(input);
    if (saved === null) throw new NuqtaError('NUQTA_STORE_UNAVAILABLE', `account ${_id} was not stored; retry`);
    return saved;
  }

  async get(ref: AccountRef): Promise<ConnectedAccount | null> {
    const document = await this.accounts.findOne({ _id: accountKeyOf(ref) });
    return document === null ? null : publicView(document);
  }

  async list(): Promise<ConnectedAccount[]> {
    const documents = await this.accounts.find({}).toArray();
    return documents.map(publicView).sort((a, b) => accountKeyOf(a).localeCompare(accountKeyOf(b)));
  }

  async remove(ref: AccountRef): Promise<boolean> {
    const result = await this.accounts.deleteOne({ _id: accountKeyOf(ref) });
    return result.deletedCount === 1;
  }

  async accessToken(ref: AccountRef): Promise<string> {
    if (this.cipher === undefined) throw missingTokenKey();
    const _id = accountKeyOf(ref);
    const document = await this.accounts.findOne({ _id }, { projection: { token: 1 } });
    if (document === null) throw new NuqtaError('NUQTA_ACCOUNT_NOT_FOUND', `no connected account ${_id}`);
    return this.cipher.decrypt(document.token, _id);
  }

  async refreshToken(ref: AccountRef): Promise<string | undefined> {
    if (this.cipher === undefined) throw missingTokenKey();
    const _id = accountKeyOf(ref);
    const document = await this.accounts.findOne({ _id }, { projection: { refreshToken: 1 } });
    if (document === null) throw new NuqtaError('NUQTA_ACCOUNT_NOT_FOUND', `no connected account ${_id}`);
    return document.refreshToken === undefined ? undefined : this.cipher.decrypt(document.refreshToken, refreshKeyOf(_id));
  }

  async saveRefreshed(ref: AccountRef, refreshed: RefreshedToken, now: Date): Promise<void> {
    if (this.cipher === undefined) throw missingTokenKey();
    const _id = accountKeyOf(ref);
    await this.accounts.updateOne(
      { _id },
      {
        $set: {
          token: this.cipher.encrypt(refreshed.token, _id),
          tokenExpiresAt: refreshed.tokenExpiresAt,
          tokenIssuedAt: now,
          tokenRefresh: { failures: 0, lastRefreshedAt: now },
          updatedAt: now,
          ...(refreshed.refreshToken === undefined ? {} : { refreshToken: this.cipher.encrypt(refreshed.refreshToken, refreshKeyOf(_id)) }),
          ...(refreshed.refreshExpiresAt === undefined ? {} : { refreshExpiresAt: refreshed.refreshExpiresAt }),
        },
      },
    );
  }

  async recordRefreshFailure(ref: AccountRef, state: TokenRefreshState): Promise<void> {
    await this.accounts.updateOne({ _id: accountKeyOf(ref) }, { $set: { tokenRefresh: state } });
  }

  async rekey(): Promise<number> {
    const cipher = this.cipher;
    if (cipher === undefined) throw missingTokenKey();
    const documents = await this.accounts.find({}, { projection: { token: 1, refreshToken: 1 } }).toArray();
    // Decrypt everything first: a token no key opens stops the command before anything is rewritten.
    const rewritten = documents.map((document) => ({
      _id: document._id,
      token: cipher.encrypt(cipher.decrypt(document.token, document._id), document._id),
      ...(document.refreshToken === undefined
        ? {}
        : { refreshToken: cipher.encrypt(cipher.decrypt(document.refreshToken, refreshKeyOf(document._id)), refreshKeyOf(document._id)) }),
    }));
    for (const { _id, ...tokens } of rewritten) await this.accounts.updateOne({ _id }, { $set: tokens });
    return rewritten.length;
  }

  async pause(ref: AccountRef, status: Exclude<AccountStatus, 'active'>, pause: AccountPause): Promise<void> {
    await this.accounts.updateOne({ _id: accountKeyOf(ref) }, { $set: { status, pause, updatedAt: pause.since } });
  }

  async resume(ref: AccountRef, now: Date): Promise<void> {
    await this.accounts.updateOne({ _id: accountKeyOf(ref), status: 'paused' }, { $set: { status: 'active', updatedAt: now }, $unset: { pause: '' } });
  }

  async recordBudget(ref: AccountRef, budget: BudgetState): Promise<void> {
    await this.accounts.updateOne({ _id: accountKeyOf(ref) }, { $set: { budget } });
  }

  async recordHashtags(ref: AccountRef, searches: readonly HashtagSearch[], polledAt: Date): Promise<void> {
    await this.accounts.updateOne({ _id: accountKeyOf(ref) }, { $set: { hashtagSearches: [...searches], hashtagsPolledAt: polledAt } });
  }

  async recordPoll(ref: AccountRef, poll: LastPoll): Promise<void> {
    await this.accounts.updateOne({ _id: accountKeyOf(ref) }, { $set: { lastPoll: poll } });
  }
}

function publicView(document: AccountDocument): ConnectedAccount {
  const { _id, token, refreshToken, hashtagSearches, ...rest } = document;
  // FerretDB may drop an empty array; absent means none.
  return { ...rest, hasRefreshToken: refreshToken !== undefined, hashtagSearches: hashtagSearches ?? [] };
}

/** The refresh token's associated data: it can never be swapped with the access token of the same account. */
function refreshKeyOf(accountKey: string): string {
  return `${accountKey}|refresh`;
}
