/**
 * One HTTP server on loopback that speaks both the Instagram Graph API and
 * the TikTok API for Business, so nuqta's pollers reach it by a base-URL
 * change alone. Tests and the demo steer it through the returned controls.
 */
import Fastify from 'fastify';
import type { ActivityPlan, PlannedEngagement, PlannedMention } from './planned-engagement.js';
import { EmulatedWorld } from './emulated-world.js';
import { registerGraphRoutes } from './graph-routes.js';
import { HashtagSearches } from './hashtag-searches.js';
import { RequestCounter, type EmulatedEndpoint, type RequestCount } from './request-counter.js';
import { registerTikTokRoutes } from './tiktok-routes.js';
import { registerTokenRoutes } from './token-routes.js';
import { DEFAULT_TOKEN_LIFETIMES, TokenRegistry, type TokenLifetimes } from './tokens.js';
import { UsageMeter, type ThrottleCode, type TikTokThrottleStyle } from './usage-meter.js';

export interface PlatformEmulatorOptions {
  /** Loopback port; 0 (the default) picks a free one. */
  port?: number;
  /** The emulated platforms' "now" (default: the wall clock). Items planned later stay invisible until then. */
  clock?: () => Date;
  /** Access tokens and the accounts each may read (Instagram user ids, TikTok business ids). */
  tokens?: Readonly<Record<string, readonly string[]>>;
  /** Default Business Use Case budget per Instagram account, calls per rolling hour (default 200). */
  instagramCallsPerHour?: number;
  /** Default budget per TikTok business account, calls per rolling minute (default 600). */
  tiktokCallsPerMinute?: number;
  /** The Graph error code an Instagram account gets when its budget runs out (default 80002). */
  instagramThrottleCode?: ThrottleCode;
  /** How a throttled TikTok call answers (default `envelope`, code 40100). */
  tiktokThrottleStyle?: TikTokThrottleStyle;
  /** Unique hashtags an Instagram account may search per 7 days (default 30). */
  hashtagSearchLimit?: number;
  /** Lifetimes of refreshed tokens (default: Instagram 60 days, TikTok access 2 hours and refresh 180 days). */
  tokenLifetimes?: Partial<TokenLifetimes>;
  /** The TikTok app's client key and secret `POST /v2/oauth/token/` accepts. */
  tiktokClient?: { key: string; secret: string };
}

/** A mention written by hand: `at` defaults to the emulated "now". */
export type MentionSpec = Omit<PlannedMention, 'kind' | 'platform' | 'at'> & { at?: Date };

export interface ThrottleOptions {
  /** Graph error code to answer with (default: instagramThrottleCode). */
  code?: ThrottleCode;
  tiktokStyle?: TikTokThrottleStyle;
}

export interface PlatformEmulator {
  /** `http://127.0.0.1:<port>`: the base URL for both Graph (`/v21.0/...`) and TikTok (`/open_api/v1.3/...`). */
  readonly url: string;
  close(): Promise<void>;
  /** Brand accounts and media from the plan, then its engagements (comments, replies, hashtag posts, deletions). */
  seed(plan: ActivityPlan): void;
  /** More engagements later on, e.g. a comment arriving between two polls. */
  addEngagements(engagements: readonly PlannedEngagement[]): void;
  /**
   * A follower @mentions a brand account in a comment on another post (with
   * `commentId`) or in a caption, readable through `mentioned_comment` /
   * `mentioned_media`. Returns it as planned, for `sendWebhooks` to announce.
   */
  addMention(mention: MentionSpec): PlannedMention;
  grantToken(token: string, accountIds: readonly string[], expiresAt?: Date): void;
  /** A TikTok refresh token for the accounts; it works once, and the refresh hands out its successor. */
  grantRefreshToken(refreshToken: string, accountIds: readonly string[], expiresAt?: Date): void;
  /** While on, every token refresh fails as a platform outage would (Graph code 2, TikTok `temporarily_unavailable`). */
  refuseRefreshes(refusing: boolean): void;
  /** The token answers as expired from now on (Graph 190/463, TikTok 40102). */
  expireToken(token: string): void;
  /** Calls per rolling hour (Instagram account) or per rolling minute (TikTok business). */
  setBudget(accountId: string, calls: number): void;
  /** Every call for the account is refused for the next `seconds`, with the regain time reported. */
  throttle(accountId: string, seconds: number, options?: ThrottleOptions): void;
  /** The comment (and its replies) vanish from every list. False when there was no such comment. */
  deleteComment(commentId: string): boolean;
  requestCount(filter?: { endpoint?: EmulatedEndpoint; accountId?: string }): number;
  requestCounts(): RequestCount[];
  /** Webhook fields the account subscribed the app to with `POST /{ig-user-id}/subscribed_apps`. */
  subscribedFields(accountId: string): string[];
}

export async function startPlatformEmulator(options: PlatformEmulatorOptions = {}): Promise<PlatformEmulator> {
  const clock = options.clock ?? (() => new Date());
  const world = new EmulatedWorld();
  const tokens = new TokenRegistry(clock, { ...DEFAULT_TOKEN_LIFETIMES, ...options.tokenLifetimes });
  for (const [token, accountIds] of Object.entries(options.tokens ?? {})) tokens.grant(token, accountIds);
  const meter = new UsageMeter(clock, {
    instagramCallsPerHour: options.instagramCallsPerHour ?? 200,
    tiktokCallsPerMinute: options.tiktokCallsPerMinute ?? 600,
    instagramThrottleCode: options.instagramThrottleCode ?? 80002,
    tiktokThrottleStyle: options.tiktokThrottleStyle ?? 'envelope',
  });
  const counter = new RequestCounter();
  const hashtags = new HashtagSearches(clock, options.hashtagSearchLimit ?? 30);

  const app = Fastify({ logger: false, routerOptions: { ignoreTrailingSlash: true } });
  // Graph clients often POST form-encoded parameters.
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_request, body, done) => {
    done(null, Object.fromEntries(new URLSearchParams(String(body))));
  });
  registerTikTokRoutes(app, { world, tokens, meter, counter, clock });
  registerTokenRoutes(app, { tokens, counter, tiktokClient: options.tiktokClient ?? { key: 'emulated-client-key', secret: 'emulated-client-secret' } });
  registerGraphRoutes(app, { world, tokens, meter, counter, hashtags, clock });
  const url = await app.listen({ host: '127.0.0.1', port: options.port ?? 0 });

  return {
    url,
    close: () => app.close(),
    seed: (plan) => world.seed(plan),
    addEngagements: (engagements) => world.addEngagements(engagements),
    addMention: ({ at, ...spec }) => {
      const mention: PlannedMention = { ...spec, kind: 'mention', platform: 'instagram', at: at ?? clock() };
      world.addMention(mention);
      return mention;
    },
    grantToken: (token, accountIds, expiresAt) => tokens.grant(token, accountIds, expiresAt),
    grantRefreshToken: (refreshToken, accountIds, expiresAt) => tokens.grantRefresh(refreshToken, accountIds, expiresAt),
    refuseRefreshes: (refusing) => tokens.refuseRefreshes(refusing),
    expireToken: (token) => tokens.expire(token),
    setBudget: (accountId, calls) => meter.setBudget(accountId, calls),
    throttle: (accountId, seconds, throttleOptions) => meter.throttle(accountId, seconds, throttleOptions),
    deleteComment: (commentId) => world.deleteComment(commentId),
    requestCount: (filter) => counter.count(filter),
    requestCounts: () => counter.all(),
    subscribedFields: (accountId) => [...(world.account(accountId)?.subscribedFields ?? [])],
  };
}
