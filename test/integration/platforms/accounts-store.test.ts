import { randomBytes } from 'node:crypto';
import { MongoClient, type Db } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MongoAccountStore } from '../../../src/platforms/accounts/account-store.js';
import { TokenCipher } from '../../../src/platforms/accounts/token-cipher.js';
import { MONGO_BASE } from '../../helpers/test-nuqta.js';

const TOKEN = 'IGAAT0k3n-that-must-never-be-stored-in-clear';
const ig = { platform: 'instagram', accountId: '17841400000000002' } as const;
const tt = { platform: 'tiktok', accountId: '-000QahwaCornerBusinessOpenId01' } as const;
const now = new Date('2027-03-01T12:00:00Z');

let mongo: MongoClient;
let db: Db;
let store: MongoAccountStore;

beforeAll(async () => {
  mongo = new MongoClient(`${MONGO_BASE}/t_accounts_${randomBytes(3).toString('hex')}`);
  await mongo.connect();
  db = mongo.db();
  store = new MongoAccountStore(db, TokenCipher.fromKey(randomBytes(32).toString('base64')));
});
afterAll(async () => {
  await db?.dropDatabase();
  await mongo?.close();
});

describe('connected account store', () => {
  it('stores the token encrypted: the raw token appears nowhere in the accounts collection', async () => {
    await store.save({ ...ig, login: 'facebook_login', token: TOKEN, tokenExpiresAt: new Date('2027-04-30T00:00:00Z') }, now);
    await store.save({ ...tt, login: 'tiktok_business', token: TOKEN }, now);
    const raw = await db.collection('accounts').find({}).toArray();
    expect(raw).toHaveLength(2);
    const dump = JSON.stringify(raw);
    expect(dump).not.toContain(TOKEN);
    expect(dump).not.toContain(Buffer.from(TOKEN).toString('base64'));
    // Same token, two accounts: different IVs, different ciphertexts.
    const [first, second] = raw.map((doc) => doc.token as { v: number; iv: string; data: string });
    expect(first?.v).toBe(1);
    expect(first?.iv).not.toBe(second?.iv);
    expect(first?.data).not.toBe(second?.data);

    expect(await store.accessToken(ig)).toBe(TOKEN);
    expect(await store.get(ig)).toMatchObject({ platform: 'instagram', login: 'facebook_login', status: 'active', hashtagSearches: [] });
    expect(JSON.stringify(await store.list())).not.toContain('"token"');
  });

  it('refuses a ciphertext moved onto another account, and a changed key, naming NUQTA_TOKEN_KEY', async () => {
    const raw = await db.collection<{ _id: string; token: unknown }>('accounts').findOne({ _id: 'instagram|17841400000000002' });
    await db.collection<{ _id: string; token: unknown }>('accounts').updateOne({ _id: 'tiktok|-000QahwaCornerBusinessOpenId01' }, { $set: { token: raw?.token } });
    await expect(store.accessToken(tt)).rejects.toMatchObject({ code: 'NUQTA_BAD_CONFIG', message: expect.stringContaining('NUQTA_TOKEN_KEY') });

    const otherKey = new MongoAccountStore(db, TokenCipher.fromKey(randomBytes(32).toString('hex')));
    await expect(otherKey.accessToken(ig)).rejects.toMatchObject({ code: 'NUQTA_BAD_CONFIG' });
  });

  it('without a key it still lists and pauses accounts, and says which variable tokens need', async () => {
    const keyless = new MongoAccountStore(db, undefined);
    expect((await keyless.list()).map((account) => `${account.platform}|${account.accountId}`)).toEqual(['instagram|17841400000000002', 'tiktok|-000QahwaCornerBusinessOpenId01']);
    await keyless.pause(ig, 'needs_reauth', { reason: 'token_expired', detail: 'Session has expired', since: now });
    expect(await keyless.get(ig)).toMatchObject({ status: 'needs_reauth', pause: { reason: 'token_expired' } });
    await expect(keyless.accessToken(ig)).rejects.toThrow(/NUQTA_TOKEN_KEY is not set/);
    await expect(keyless.save({ ...ig, login: 'facebook_login', token: TOKEN }, now)).rejects.toThrow(/NUQTA_TOKEN_KEY is not set/);
  });

  it('a new token ends any pause, keeps when the account was first connected and drops the old expiry', async () => {
    const later = new Date(now.getTime() + 86_400_000);
    const saved = await store.save({ ...ig, login: 'facebook_login', token: 'IGAAnew-token' }, later);
    expect(saved).toMatchObject({ status: 'active', connectedAt: now, updatedAt: later });
    expect(saved.pause).toBeUndefined();
    expect(saved.tokenExpiresAt).toBeUndefined();
    expect(await store.accessToken(ig)).toBe('IGAAnew-token');
    expect(await store.remove(ig)).toBe(true);
    expect(await store.remove(ig)).toBe(false);
  });
});

describe('rotating NUQTA_TOKEN_KEY', () => {
  it('reads tokens under the previous key during the rotation, and rekey leaves them readable with the new key alone', async () => {
    const oldKey = randomBytes(32).toString('base64');
    const newKey = randomBytes(32).toString('hex');
    const rotating = mongo.db(`${db.databaseName}_rekey`);
    try {
      const before = new MongoAccountStore(rotating, TokenCipher.fromKey(oldKey));
      await before.save({ ...tt, login: 'tiktok_business', token: 'act.rotating', refreshToken: 'rft.rotating', refreshExpiresAt: new Date('2027-08-28T12:00:00Z') }, now);
      await before.save({ ...ig, login: 'instagram_login', token: 'IGQrotating' }, now);

      const newOnly = new MongoAccountStore(rotating, TokenCipher.fromKey(newKey));
      await expect(newOnly.accessToken(tt)).rejects.toThrow(/NUQTA_PREVIOUS_TOKEN_KEY and run `nuqta accounts rekey`/);
      const during = new MongoAccountStore(rotating, TokenCipher.fromKey(newKey, oldKey));
      expect(await during.accessToken(tt)).toBe('act.rotating');

      expect(await during.rekey()).toBe(2);
      expect(await newOnly.accessToken(tt)).toBe('act.rotating');
      expect(await newOnly.refreshToken(tt)).toBe('rft.rotating');
      expect(await newOnly.accessToken(ig)).toBe('IGQrotating');
      expect(await newOnly.refreshToken(ig)).toBeUndefined();
      await expect(before.accessToken(tt)).rejects.toMatchObject({ code: 'NUQTA_BAD_CONFIG' });
    } finally {
      await rotating.dropDatabase();
    }
  });

  it('stops before rewriting anything when a token opens with neither key', async () => {
    const rotating = mongo.db(`${db.databaseName}_rekey_bad`);
    try {
      const firstKey = randomBytes(32).toString('base64');
      await new MongoAccountStore(rotating, TokenCipher.fromKey(firstKey)).save({ ...ig, login: 'instagram_login', token: 'IGQfirst' }, now);
      await new MongoAccountStore(rotating, TokenCipher.fromKey(randomBytes(32).toString('base64'))).save({ ...tt, login: 'tiktok_business', token: 'act.other' }, now);
      const stored = await rotating.collection('accounts').find({}).toArray();
      await expect(new MongoAccountStore(rotating, TokenCipher.fromKey(randomBytes(32).toString('base64'), firstKey)).rekey()).rejects.toMatchObject({ code: 'NUQTA_BAD_CONFIG' });
      expect(await rotating.collection('accounts').find({}).toArray()).toEqual(stored);
    } finally {
      await rotating.dropDatabase();
    }
  });
});
