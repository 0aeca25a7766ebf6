import { spawn } from 'node:child_process';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { MongoClient } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NuqtaConfig } from '../../../src/config/env.js';
import { POLL_QUEUE } from '../../../src/ingestion/pollers.js';
import { startPlatformEmulator, type PlatformEmulator } from '../../../src/platforms/emulator/server.js';
import { dropTestData, testConfig } from '../../helpers/test-nuqta.js';
import { brandPlan, commentSpecs, IG_ACCOUNT, tokenKey, TOKEN, TT_BUSINESS } from './brand-world.js';

const MEDIA = '17900000000000201';
let emulator: PlatformEmulator;
let config: NuqtaConfig;
let env: Record<string, string>;

beforeAll(async () => {
  emulator = await startPlatformEmulator({ tokens: { [TOKEN]: [IG_ACCOUNT, TT_BUSINESS] } });
  emulator.seed(brandPlan(new Date(), { instagram: [MEDIA], tiktok: ['7300000000000000001'] }, commentSpecs('instagram', MEDIA, '187000000000000', 3)));
  config = testConfig('accounts_cli');
  env = {
    MONGODB_URI: config.MONGODB_URI,
    NUQTA_QUEUE_PREFIX: config.NUQTA_QUEUE_PREFIX,
    NUQTA_TOKEN_KEY: tokenKey(),
    IG_GRAPH_URL: emulator.url,
    IG_LOGIN_GRAPH_URL: emulator.url,
    TIKTOK_BUSINESS_URL: emulator.url,
  };
});
afterAll(async () => {
  await dropTestData(config);
  await emulator?.close();
});

/** Runs the CLI without blocking this process, which serves the emulated platforms. */
function nuqta(args: string[], options: { env?: Record<string, string>; stdin?: string } = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['bin/nuqta.js', ...args], {
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', LOG_LEVEL: 'silent', ...env, ...options.env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(options.stdin ?? '');
  });
}

async function schedulerIds(): Promise<string[]> {
  const connection = new Redis(config.REDIS_URL, { maxRetriesPerRequest: 1 });
  const queue = new Queue(POLL_QUEUE, { connection, prefix: config.NUQTA_QUEUE_PREFIX });
  try {
    return (await queue.getJobSchedulers()).map((scheduler) => scheduler.key).sort();
  } finally {
    await queue.close();
    connection.disconnect();
  }
}

describe('nuqta accounts', () => {
  it('adds an account after checking its token and subscribing its webhook fields, lists it without the token, and removes it', async () => {
    const added = await nuqta(['accounts', 'add', '--platform', 'instagram', '--id', IG_ACCOUNT, '--login', 'facebook_login', '--token', TOKEN, '--expires', '2027-01-20']);
    expect(added.stderr).toBe('');
    expect(added.code).toBe(0);
    expect(added.stdout).toContain(`connected instagram|${IG_ACCOUNT} (@qahwa.corner) with facebook_login`);
    expect(added.stdout).toContain('webhook fields: comments, mentions (subscribed now: comments, mentions)');
    expect(added.stdout).toContain('token expires: 2027-01-20T00:00:00.000Z');
    expect(emulator.subscribedFields(IG_ACCOUNT).sort()).toEqual(['comments', 'mentions']);

    const fromStdin = await nuqta(['accounts', 'add', '--platform', 'tiktok', '--id', TT_BUSINESS, '--token', '-'], { stdin: `${TOKEN}\n` });
    expect(fromStdin.stderr).toBe('');
    expect(fromStdin.stdout).toContain(`connected tiktok|${TT_BUSINESS} (@qahwacorner) with tiktok_business`);
    expect(await schedulerIds()).toEqual([`poll|instagram|${IG_ACCOUNT}`, `poll|tiktok|${TT_BUSINESS}`]);

    const listed = await nuqta(['accounts', 'list']);
    expect(listed.code).toBe(0);
    expect(listed.stdout).toMatch(new RegExp(`^instagram\\|${IG_ACCOUNT}  @qahwa.corner  facebook_login  active  token expires 2027-01-20T00:00:00.000Z  never polled$`, 'm'));
    expect(listed.stdout).toMatch(new RegExp(`^tiktok\\|${TT_BUSINESS}  @qahwacorner  tiktok_business  active  never polled$`, 'm'));
    expect(listed.stdout).not.toContain(TOKEN);

    const mongo = new MongoClient(config.MONGODB_URI);
    await mongo.connect();
    const stored = JSON.stringify(await mongo.db().collection('accounts').find({}).toArray());
    await mongo.close();
    expect(stored).toContain(IG_ACCOUNT);
    expect(stored).not.toContain(TOKEN);

    const removed = await nuqta(['accounts', 'remove', '--platform', 'tiktok', '--id', TT_BUSINESS]);
    expect(removed.stdout.trim()).toBe(`removed tiktok|${TT_BUSINESS}`);
    expect(await schedulerIds()).toEqual([`poll|instagram|${IG_ACCOUNT}`]);
    const again = await nuqta(['accounts', 'remove', '--platform', 'tiktok', '--id', TT_BUSINESS]);
    expect(again.code).toBe(1);
    expect(again.stderr.trim()).toBe(`nuqta: NUQTA_ACCOUNT_NOT_FOUND: no connected account tiktok|${TT_BUSINESS}`);
  }, 120_000);

  it('says clearly why an account cannot be added', async () => {
    const badToken = await nuqta(['accounts', 'add', '--platform', 'instagram', '--id', IG_ACCOUNT, '--token', 'EAAGnot-a-real-token']);
    expect(badToken.code).toBe(1);
    expect(badToken.stderr.trim()).toBe('nuqta: NUQTA_ACCOUNT_REJECTED: instagram: the token was refused (GET /me: Invalid OAuth access token - Cannot parse access token (Graph code 190)); create a new long-lived token for the account and try again');

    const otherAccount = await nuqta(['accounts', 'add', '--platform', 'instagram', '--id', '17841400000000099', '--token', TOKEN]);
    expect(otherAccount.stderr.trim()).toBe(`nuqta: NUQTA_ACCOUNT_REJECTED: the token belongs to Instagram account ${IG_ACCOUNT} (@qahwa.corner), not 17841400000000099`);

    const wrongLogin = await nuqta(['accounts', 'add', '--platform', 'tiktok', '--id', TT_BUSINESS, '--login', 'facebook_login', '--token', TOKEN]);
    expect(wrongLogin.stderr.trim()).toBe('nuqta: NUQTA_BAD_REQUEST: --login for tiktok must be one of tiktok_business');

    const noKey = await nuqta(['accounts', 'add', '--platform', 'instagram', '--id', IG_ACCOUNT, '--token', TOKEN], { env: { NUQTA_TOKEN_KEY: '' } });
    expect(noKey.code).toBe(1);
    expect(noKey.stderr).toContain('nuqta: NUQTA_BAD_CONFIG: NUQTA_TOKEN_KEY is not set');
  }, 120_000);

  it('backfills a connected account from the command line', async () => {
    const result = await nuqta(['backfill', '--account', IG_ACCOUNT, '--since', new Date(Date.now() - 3_600_000).toISOString()]);
    expect(result.stderr).toBe('');
    expect(result.stdout).toMatch(/backfill of instagram\|17841400000000002 since .* done: 1 media, 3 events/);
  }, 60_000);

  it('connects TikTok with its refresh token, and re-encrypts every token under a rotated NUQTA_TOKEN_KEY', async () => {
    const added = await nuqta(
      ['accounts', 'add', '--platform', 'tiktok', '--id', TT_BUSINESS, '--token', TOKEN, '--expires', '2h', '--refresh-token', '-', '--refresh-expires', '180d'],
      { stdin: 'rft.from-the-authorization\n' },
    );
    expect(added.stderr).toBe('');
    expect(added.stdout).toContain("refreshed: by nuqta with the refresh token, halfway through the access token's life");
    const listed = await nuqta(['accounts', 'list']);
    expect(listed.stdout).toMatch(new RegExp(`^tiktok\\|${TT_BUSINESS}  @qahwacorner  tiktok_business  active  token expires \\S+  refresh token expires \\S+  never polled$`, 'm'));
    const both = await nuqta(['accounts', 'add', '--platform', 'tiktok', '--id', TT_BUSINESS, '--token', '-', '--refresh-token', '-']);
    expect(both.stderr.trim()).toBe('nuqta: NUQTA_BAD_REQUEST: only one of --token and --refresh-token can be read from stdin');

    const newKey = tokenKey();
    const rekeyed = await nuqta(['accounts', 'rekey'], { env: { NUQTA_TOKEN_KEY: newKey, NUQTA_PREVIOUS_TOKEN_KEY: env.NUQTA_TOKEN_KEY ?? '' } });
    expect(rekeyed.stderr).toBe('');
    expect(rekeyed.stdout).toBe('re-encrypted the tokens of 2 accounts with NUQTA_TOKEN_KEY\nNUQTA_PREVIOUS_TOKEN_KEY is no longer needed: remove it and restart every process\n');
    // The new key alone now opens the tokens: a backfill reads the account with it.
    const backfill = await nuqta(['backfill', '--account', IG_ACCOUNT, '--since', new Date(Date.now() - 3_600_000).toISOString()], { env: { NUQTA_TOKEN_KEY: newKey } });
    expect(backfill.stderr).toBe('');
    expect(backfill.stdout).toMatch(/done: 1 media/);
    const oldKey = await nuqta(['backfill', '--account', IG_ACCOUNT, '--since', new Date(Date.now() - 3_600_000).toISOString()]);
    expect(oldKey.stderr).toContain('cannot be decrypted with NUQTA_TOKEN_KEY');
  }, 120_000);
});
