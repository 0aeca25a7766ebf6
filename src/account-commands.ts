/**
 * The `nuqta accounts add|list|remove|rekey` and `nuqta backfill` commands.
 * Tokens are taken from `--token` / `--refresh-token` (or stdin with `-`,
 * which keeps them out of the shell history) and never printed.
 */
import { SingleBar } from 'cli-progress';
import { InvalidArgumentError, type Command } from 'commander';
import { platformSchema, PLATFORMS, type Platform } from './domain/event.js';
import { NuqtaError } from './errors.js';
import { pollerDepsOf, type PollHost } from './ingestion/pollers.js';
import { runBackfill } from './platforms/backfill.js';
import { accountKeyOf, LOGIN_TYPES, LOGINS_BY_PLATFORM, loginTypeSchema, type AccountRef, type ConnectedAccount, type LoginType } from './platforms/accounts/account.js';
import { connectAccount } from './platforms/accounts/connect.js';
import { PlatformHttp } from './platforms/accounts/platform-call.js';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/** The opened service these commands work on, closed when a command ends. */
type AccountHost = PollHost & { close(): Promise<void> };

interface AddOptions {
  platform: Platform;
  id: string;
  login?: LoginType;
  token: string;
  expires?: Date;
  refreshToken?: string;
  refreshExpires?: Date;
  webhookCheck: boolean;
}

export function registerAccountCommands(program: Command, open: () => Promise<AccountHost>): void {
  const accounts = program.command('accounts').description('connected Instagram and TikTok accounts');

  accounts
    .command('add')
    .description('connect an account (checks the token and the webhook subscription), then poll it')
    .requiredOption('--platform <platform>', PLATFORMS.join(' | '), platformOf)
    .requiredOption('--id <accountId>', 'Instagram user id, or TikTok business id (open id)')
    .option('--login <type>', `${LOGIN_TYPES.join(' | ')} (default: facebook_login on Instagram)`, loginOf)
    .requiredOption('--token <token>', 'access token, or - to read it from stdin')
    .option('--expires <when>', 'when the token expires: a date (2027-01-31) or a lifetime from now (60d, 2h)', expiryOf)
    .option('--refresh-token <token>', 'TikTok: the refresh token that came with the access token, or - to read it from stdin')
    .option('--refresh-expires <when>', 'TikTok: when the refresh token expires (refresh_expires_in), a date or a lifetime from now (180d)', expiryOf)
    .option('--no-webhook-check', 'do not check the webhook subscription (Facebook Login apps subscribed through their Page)')
    .action((options: AddOptions) =>
      withNuqta(open, async (nuqta) => {
        if (options.token === '-' && options.refreshToken === '-') throw new NuqtaError('NUQTA_BAD_REQUEST', 'only one of --token and --refresh-token can be read from stdin');
        const token = options.token === '-' ? await readStdin() : options.token;
        const refreshToken = options.refreshToken === '-' ? await readStdin() : options.refreshToken;
        if (token === '' || refreshToken === '') throw new NuqtaError('NUQTA_BAD_REQUEST', `the ${token === '' ? 'token' : 'refresh token'} is empty`);
        if (refreshToken !== undefined && options.platform !== 'tiktok') throw new NuqtaError('NUQTA_BAD_REQUEST', '--refresh-token is for TikTok; Instagram Login tokens refresh themselves');
        const login = options.login ?? LOGINS_BY_PLATFORM[options.platform][0] ?? 'facebook_login';
        const report = await connectAccount(
          { accounts: nuqta.accounts, polls: nuqta.polls, http: new PlatformHttp(), hosts: nuqta.config, clock: () => new Date() },
          {
            platform: options.platform,
            accountId: options.id,
            login,
            token,
            checkWebhooks: options.webhookCheck,
            ...(options.expires === undefined ? {} : { tokenExpiresAt: options.expires }),
            ...(refreshToken === undefined ? {} : { refreshToken }),
            ...(options.refreshExpires === undefined ? {} : { refreshExpiresAt: options.refreshExpires }),
          },
        );
        const { account } = report;
        console.log(`connected ${accountKeyOf(account)}${account.username === undefined ? '' : ` (@${account.username})`} with ${account.login}`);
        if (report.webhookFields.length > 0) {
          const now = report.subscribedNow.length === 0 ? '' : ` (subscribed now: ${report.subscribedNow.join(', ')})`;
          console.log(`webhook fields: ${report.webhookFields.join(', ')}${now}`);
        }
        console.log(`token expires: ${account.tokenExpiresAt?.toISOString() ?? 'not stated (pass --expires to be warned before it does)'}`);
        console.log(`refreshed: ${refreshPlan(account)}`);
        console.log(`polled every ${nuqta.config.NUQTA_POLL_INTERVAL_SECONDS} s by \`nuqta work\``);
      }),
    );

  accounts
    .command('list')
    .description('connected accounts and their state (never their tokens)')
    .action(() =>
      withNuqta(open, async (nuqta) => {
        const all = await nuqta.accounts.list();
        if (all.length === 0) console.log('no connected accounts (add one with `nuqta accounts add`)');
        for (const account of all) console.log(describe(account));
      }),
    );

  accounts
    .command('remove')
    .description('disconnect an account: its token is deleted and its polls stop')
    .requiredOption('--platform <platform>', PLATFORMS.join(' | '), platformOf)
    .requiredOption('--id <accountId>', 'the account id')
    .action((options: { platform: Platform; id: string }) =>
      withNuqta(open, async (nuqta) => {
        const ref = { platform: options.platform, accountId: options.id };
        await nuqta.polls.unschedule(ref);
        if (!(await nuqta.accounts.remove(ref))) throw new NuqtaError('NUQTA_ACCOUNT_NOT_FOUND', `no connected account ${accountKeyOf(ref)}`);
        console.log(`removed ${accountKeyOf(ref)}`);
      }),
    );

  accounts
    .command('rekey')
    .description('re-encrypt every stored token with NUQTA_TOKEN_KEY (set the key it replaces as NUQTA_PREVIOUS_TOKEN_KEY)')
    .action(() =>
      withNuqta(open, async (nuqta) => {
        const count = await nuqta.accounts.rekey();
        console.log(`re-encrypted the tokens of ${count} account${count === 1 ? '' : 's'} with NUQTA_TOKEN_KEY`);
        if (nuqta.config.NUQTA_PREVIOUS_TOKEN_KEY !== undefined) console.log('NUQTA_PREVIOUS_TOKEN_KEY is no longer needed: remove it and restart every process');
      }),
    );

  program
    .command('backfill')
    .description("read an account's comments since a date (resumable: run it again to continue)")
    .requiredOption('--account <accountId>', 'a connected account id')
    .requiredOption('--since <date>', 'from this date (2027-03-01 or an ISO time)', dateOf)
    .option('--platform <platform>', 'when the id is connected on both platforms', platformOf)
    .action((options: { account: string; since: Date; platform?: Platform }) =>
      withNuqta(open, async (nuqta) => {
        const ref = await accountRefOf(nuqta, options.account, options.platform);
        const stop = new AbortController();
        const onSignal = (): void => stop.abort();
        process.once('SIGINT', onSignal);
        const bar = new SingleBar({ format: 'backfill [{bar}] {value}/{total} media | {comments} comments read | {events} events', hideCursor: true });
        let started = false;
        try {
          const report = await runBackfill(pollerDepsOf(nuqta), ref, options.since, {
            signal: stop.signal,
            onProgress: (progress) => {
              if (!started) bar.start(progress.mediaTotal, progress.media, { comments: 0, events: progress.events });
              started = true;
              bar.update(progress.media, { comments: progress.comments, events: progress.events });
            },
          });
          bar.stop();
          if (report.outcome === 'done') console.log(`backfill of ${accountKeyOf(ref)} since ${options.since.toISOString()} done: ${report.media} media, ${report.events} events`);
          else if (report.outcome === 'interrupted') console.log(`backfill interrupted after ${report.events} events; run the same command to continue`);
          else throw new NuqtaError('NUQTA_PLATFORM_UNAVAILABLE', `backfill stopped: ${report.reason ?? 'unknown reason'}`);
        } finally {
          process.removeListener('SIGINT', onSignal);
          if (started) bar.stop();
        }
      }),
    );
}

async function withNuqta(open: () => Promise<AccountHost>, work: (nuqta: AccountHost) => Promise<void>): Promise<void> {
  const nuqta = await open();
  try {
    await work(nuqta);
  } finally {
    await nuqta.close();
  }
}

async function accountRefOf(nuqta: AccountHost, accountId: string, platform: Platform | undefined): Promise<AccountRef> {
  const matches = (await nuqta.accounts.list()).filter((a) => a.accountId === accountId && (platform === undefined || a.platform === platform));
  const [only, ...others] = matches;
  if (only === undefined) throw new NuqtaError('NUQTA_ACCOUNT_NOT_FOUND', `no connected account ${accountId}${platform === undefined ? '' : ` on ${platform}`} (see \`nuqta accounts list\`)`);
  if (others.length > 0) throw new NuqtaError('NUQTA_BAD_REQUEST', `${accountId} is connected on several platforms; add --platform`);
  return { platform: only.platform, accountId: only.accountId };
}

function describe(account: ConnectedAccount): string {
  const status = account.pause === undefined
    ? account.status
    : `${account.status} (${account.pause.reason}${account.pause.until === undefined ? '' : ` until ${account.pause.until.toISOString()}`}: ${account.pause.detail})`;
  const parts = [
    accountKeyOf(account),
    account.username === undefined ? undefined : `@${account.username}`,
    account.login,
    status,
    account.tokenExpiresAt === undefined ? undefined : `token expires ${account.tokenExpiresAt.toISOString()}`,
    account.refreshExpiresAt === undefined ? undefined : `refresh token expires ${account.refreshExpiresAt.toISOString()}`,
    account.tokenRefresh === undefined || account.tokenRefresh.failures === 0 ? undefined : `${account.tokenRefresh.failures} failed refreshes (${account.tokenRefresh.lastError ?? ''})`,
    account.lastPoll === undefined ? 'never polled' : `last poll ${account.lastPoll.at.toISOString()} ${account.lastPoll.outcome} (${account.lastPoll.events} events)`,
  ];
  return parts.filter((part) => part !== undefined).join('  ');
}

function refreshPlan(account: ConnectedAccount): string {
  if (account.login === 'instagram_login') return 'by nuqta, once the token is a day old and halfway through its life';
  if (account.login === 'facebook_login') return 'not needed: a Page token does not expire (each poll checks it)';
  return account.hasRefreshToken ? 'by nuqta with the refresh token, halfway through the access token\'s life' : 'never: no --refresh-token was given, so reconnect before the token expires';
}

function platformOf(value: string): Platform {
  const parsed = platformSchema.safeParse(value);
  if (!parsed.success) throw new InvalidArgumentError(`must be one of ${PLATFORMS.join(', ')}`);
  return parsed.data;
}

function loginOf(value: string): LoginType {
  const parsed = loginTypeSchema.safeParse(value);
  if (!parsed.success) throw new InvalidArgumentError(`must be one of ${LOGIN_TYPES.join(', ')}`);
  return parsed.data;
}

function dateOf(value: string): Date {
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) throw new InvalidArgumentError('must be a date such as 2027-03-01 or 2027-03-01T00:00:00+03:00');
  return date;
}

/** A date, or a lifetime from now as a token response states it: `60d`, `2h`. */
function expiryOf(value: string): Date {
  const lifetime = /^(\d{1,5})(h|d)$/.exec(value);
  return lifetime === null ? dateOf(value) : new Date(Date.now() + Number(lifetime[1]) * (lifetime[2] === 'h' ? HOUR_MS : DAY_MS));
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  return Buffer.concat(chunks).toString('utf8').trim();
}
