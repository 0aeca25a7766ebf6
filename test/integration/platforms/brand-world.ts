/**
 * A café brand connected for polling: the emulated platforms with a clock the
 * test moves, a real nuqta pointed at them by base URL, and hand-made media
 * and comments (one distinct follower per comment, so daily caps never hide
 * an award).
 */
import { randomBytes } from 'node:crypto';
import type { ActivityPlan, EngagementAuthor, PlannedComment, PlannedReply } from '../../../src/platforms/emulator/planned-engagement.js';
import { startPlatformEmulator, type PlatformEmulator, type PlatformEmulatorOptions } from '../../../src/platforms/emulator/server.js';
import type { LedgerEntry } from '../../../src/ledger/entry.js';
import { pollerDepsOf } from '../../../src/ingestion/pollers.js';
import type { PollerDeps } from '../../../src/platforms/accounts/account-poll.js';
import type { LoginType } from '../../../src/platforms/accounts/account.js';
import { PlatformHttp } from '../../../src/platforms/accounts/platform-call.js';
import type { Platform } from '../../../src/domain/event.js';
import { createLogger } from '../../../src/log.js';
import { openFromConfig, startRunning } from '../../../src/runtime.js';
import { dropTestData, eventually, startTestNuqta, TEST_SECRETS, type TestNuqta } from '../../helpers/test-nuqta.js';

/** The qahwa-corner campaign's accounts (config/campaigns/cafe.yaml). */
export const IG_ACCOUNT = '17841400000000002';
export const TT_BUSINESS = '-000QahwaCornerBusinessOpenId01';
export const CAMPAIGN = 'qahwa-corner';
export const TOKEN = 'EAAGtest-qahwa-corner-token-8Hq2';
export const TIKTOK_CLIENT_KEY = 'aw-qahwa-corner-client';

export interface BrandWorld {
  emulator: PlatformEmulator;
  /** The running nuqta (a new one after `restart`). */
  readonly app: TestNuqta;
  /** Stops nuqta as a crash or deploy would, and starts a fresh one on the same data. */
  restart(): Promise<void>;
  /** The emulated platforms' and the pollers' shared "now". */
  now(): Date;
  advance(ms: number): void;
  /** Poller dependencies on the shared clock, with quick retries. */
  deps(): PollerDeps;
  connect(platform: Platform, login?: LoginType, tokens?: ConnectTokens): Promise<void>;
  cleanup(): Promise<void>;
}

/** A token of the test's own instead of TOKEN, with the lifetimes the platform stated. */
export interface ConnectTokens {
  token: string;
  tokenExpiresAt?: Date;
  refreshToken?: string;
  refreshExpiresAt?: Date;
}

export function tokenKey(): string {
  return randomBytes(32).toString('base64');
}

export async function startBrandWorld(name: string, plan: ActivityPlan, options: PlatformEmulatorOptions & { env?: Record<string, string> } = {}): Promise<BrandWorld> {
  let now = plan.to;
  const { env, ...emulatorOptions } = options;
  const emulator = await startPlatformEmulator({
    clock: () => now,
    tokens: { [TOKEN]: [IG_ACCOUNT, TT_BUSINESS] },
    tiktokClient: { key: TIKTOK_CLIENT_KEY, secret: TEST_SECRETS.TIKTOK_CLIENT_SECRET },
    ...emulatorOptions,
  });
  emulator.seed(plan);
  let app = await startTestNuqta(name, {
    env: {
      NUQTA_TOKEN_KEY: tokenKey(),
      IG_GRAPH_URL: emulator.url,
      IG_LOGIN_GRAPH_URL: emulator.url,
      TIKTOK_BUSINESS_URL: emulator.url,
      TIKTOK_OAUTH_URL: emulator.url,
      TIKTOK_CLIENT_KEY,
      ...env,
    },
  });
  const http = new PlatformHttp({ retries: 1, baseDelayMs: 10, timeoutMs: 5_000 });
  return {
    emulator,
    get app() {
      return app;
    },
    async restart() {
      await app.stop();
      const { config } = app;
      const running = await startRunning(await openFromConfig(config, createLogger('silent')), { serve: true, work: true });
      app = { ...running, url: running.url ?? '', config, cleanup: async () => { await running.stop(); await dropTestData(config); } };
    },
    now: () => now,
    advance: (ms) => (now = new Date(now.getTime() + ms)),
    deps: () => pollerDepsOf(app.nuqta, { clock: () => now, http }),
    async connect(platform, login, tokens) {
      await app.nuqta.accounts.save(
        {
          platform,
          accountId: platform === 'instagram' ? IG_ACCOUNT : TT_BUSINESS,
          login: login ?? (platform === 'instagram' ? 'facebook_login' : 'tiktok_business'),
          token: TOKEN,
          ...tokens,
        },
        now,
      );
    },
    async cleanup() {
      await app.cleanup();
      await emulator.close();
    },
  };
}

export interface CommentSpec {
  id: string;
  mediaId: string;
  minutesAgo: number;
  text?: string;
  /** Defaults to a follower of its own. */
  author?: EngagementAuthor;
  parentId?: string;
}

let followerCount = 0;

export function follower(platform: Platform): EngagementAuthor {
  followerCount += 1;
  const n = String(followerCount).padStart(6, '0');
  return platform === 'instagram'
    ? { id: `1784100${n}0000`, username: `follower_${n}`, displayName: `Follower ${n}` }
    : { id: `tt-user-${n}`, username: `tt_follower_${n}`, displayName: `Follower ${n}`, uniqueIdentifier: `tt-unique-${n}` };
}

/** A plan with the brand's media (published a day before `at`) and the given comments and replies. */
export function brandPlan(at: Date, media: { instagram?: string[]; tiktok?: string[] }, comments: readonly (CommentSpec & { platform: Platform })[]): ActivityPlan {
  const publishedAt = new Date(at.getTime() - 86_400_000);
  return {
    seed: 1,
    from: publishedAt,
    to: at,
    theme: 'cafe',
    targets: {},
    media: [
      ...(media.instagram ?? []).map((mediaId) => ({ platform: 'instagram' as const, accountId: IG_ACCOUNT, accountUsername: 'qahwa.corner', mediaId, caption: 'قهوة اليوم ☕', publishedAt })),
      ...(media.tiktok ?? []).map((mediaId) => ({ platform: 'tiktok' as const, accountId: TT_BUSINESS, accountUsername: 'qahwacorner', mediaId, caption: 'قهوة اليوم ☕', publishedAt })),
    ],
    engagements: comments.map((spec) => plannedComment(at, spec)),
  };
}

export function plannedComment(at: Date, spec: CommentSpec & { platform: Platform }): PlannedComment | PlannedReply {
  const base = {
    platform: spec.platform,
    at: new Date(at.getTime() - spec.minutesAgo * 60_000),
    followerIndex: 0,
    accountId: spec.platform === 'instagram' ? IG_ACCOUNT : TT_BUSINESS,
    mediaId: spec.mediaId,
    commentId: spec.id,
    text: spec.text ?? `قهوة رائعة ${spec.id}`,
    author: spec.author ?? follower(spec.platform),
  };
  return spec.parentId === undefined ? { ...base, kind: 'comment' } : { ...base, kind: 'reply', parentCommentId: spec.parentId };
}

/** Comments `prefix-1..count` on one media, a minute apart, the newest `firstMinutesAgo` old. */
export function commentSpecs(platform: Platform, mediaId: string, prefix: string, count: number, firstMinutesAgo = 5): (CommentSpec & { platform: Platform })[] {
  return Array.from({ length: count }, (_, i) => ({ platform, id: `${prefix}${i + 1}`, mediaId, minutesAgo: firstMinutesAgo + i }));
}

export async function campaignEntries(app: TestNuqta): Promise<LedgerEntry[]> {
  return app.nuqta.db.collection<LedgerEntry>('ledger').find({ campaignId: CAMPAIGN }, { projection: { _id: 0 } }).toArray();
}

/** Waits until the ingest queue is drained and `count` entries satisfy `predicate`. */
export async function settledEntries(app: TestNuqta, count: number, predicate: (entry: LedgerEntry) => boolean = () => true): Promise<LedgerEntry[]> {
  return eventually(async () => {
    const depth = await app.nuqta.queue.depth();
    if ((depth.waiting ?? 0) + (depth.active ?? 0) + (depth.delayed ?? 0) > 0) return undefined;
    const entries = (await campaignEntries(app)).filter(predicate);
    return entries.length >= count ? entries : undefined;
  }, 30_000, `${count} ledger entries`);
}
