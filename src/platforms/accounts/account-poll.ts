/**
 * One poll of one connected account: is it allowed to run (active, or a pause
 * that has ended), its recent media, a comment pass per media (a few at a
 * time), the platform's extras (Instagram hashtags), and what the platform's
 * answers mean for the account (pause, alert). Platform specifics come in
 * through `PlatformPolling`; this file knows no endpoint.
 */
import pLimit from 'p-limit';
import type { CampaignRegistry } from '../../config/campaign-registry.js';
import type { NuqtaConfig } from '../../config/env.js';
import type { EngagementEvent, Platform } from '../../domain/event.js';
import type { Logger } from '../../log.js';
import type { Metrics } from '../../metrics.js';
import { accountKeyOf, type AccountRef, type ConnectedAccount } from './account.js';
import { actOnFailure, requireReauth } from './account-alerts.js';
import type { AccountStore } from './account-store.js';
import { CallBudget } from './call-budget.js';
import { runCommentPass, type PassOutcome } from './comment-pass.js';
import { isPlatformCallError, type PlatformCallError, type PlatformHttp } from './platform-call.js';
import type { PlatformReader, PolledMedia } from './platform-reader.js';
import type { MongoPollStateStore } from './poll-state-store.js';
import { keepTokenFresh, type TokenLock, type TokenRefresher } from './token-refresh.js';

/** Media older than this are left to webhooks and `nuqta backfill`. */
export const MEDIA_WINDOW_MS = 30 * 86_400_000;
export const MAX_MEDIA_PER_POLL = 50;
/** Media read at once for one account: enough to overlap latency, few enough not to burst its budget. */
export const MEDIA_CONCURRENCY = 2;

export type PlatformHosts = Pick<
  NuqtaConfig,
  | 'IG_GRAPH_URL'
  | 'IG_LOGIN_GRAPH_URL'
  | 'IG_GRAPH_VERSION'
  | 'TIKTOK_BUSINESS_URL'
  | 'TIKTOK_BUSINESS_VERSION'
  | 'TIKTOK_OAUTH_URL'
  | 'TIKTOK_CLIENT_KEY'
  | 'TIKTOK_CLIENT_SECRET'
>;

export interface PollSession {
  account: ConnectedAccount;
  token: string;
  budget: CallBudget;
  http: PlatformHttp;
  hosts: PlatformHosts;
  clock: () => Date;
}

export interface PlatformPolling {
  reader(session: PollSession): PlatformReader;
  /** Work beyond comments (Instagram hashtag search); returns the events it enqueued. */
  extras?(session: PollSession, deps: PollerDeps): Promise<number>;
  /** How this platform's tokens are renewed before they expire. */
  tokens?: TokenRefresher;
}

export interface PollerDeps {
  accounts: AccountStore;
  pollState: MongoPollStateStore;
  campaigns: CampaignRegistry;
  metrics: Metrics;
  logger: Logger;
  http: PlatformHttp;
  hosts: PlatformHosts;
  platforms: Readonly<Record<Platform, PlatformPolling>>;
  clock: () => Date;
  /** Stored events by eventKey: the hashtag poller links a post to the mention already recorded for it. */
  events: { get(eventKey: string): Promise<EngagementEvent | null> };
  /** Serialises token refreshes of one account across processes. */
  tokenLock: TokenLock;
  /** Durable enqueue into the ingest queue (source `poll`). */
  enqueue(events: readonly EngagementEvent[]): Promise<void>;
}

export interface PollOptions {
  /** Aborting stops the poll at the next page boundary, its cursors saved. */
  signal?: AbortSignal;
  onPage?(page: { mediaId: string; comments: number }): void;
}

export type PollOutcome = 'polled' | 'interrupted' | 'not_connected' | 'paused' | 'needs_reauth' | 'throttled' | 'rate_budget' | 'auth_failed' | 'failed';

export interface PollReport {
  outcome: PollOutcome;
  events: number;
  media: number;
}

/**
 * Opens a session for an account that may be called now: resumes a pause
 * that has ended, refreshes the token when due, and stops an account whose
 * token has expired (rather than spend a call to learn it).
 */
export async function openSession(deps: PollerDeps, ref: AccountRef): Promise<{ session: PollSession } | { outcome: PollOutcome }> {
  const stored = await deps.accounts.get(ref);
  if (stored === null) return { outcome: 'not_connected' };
  if (stored.status === 'needs_reauth') return { outcome: 'needs_reauth' };
  const now = deps.clock();
  if (stored.status === 'paused') {
    if (stored.pause?.until !== undefined && stored.pause.until > now) return { outcome: 'paused' };
    await deps.accounts.resume(ref, now);
    deps.logger.info({ account: accountKeyOf(ref) }, 'account pause ended; polling resumes');
  }
  const account = await keepTokenFresh(deps, stored);
  if (account.tokenExpiresAt !== undefined && account.tokenExpiresAt <= now) {
    const failing = account.tokenRefresh?.lastError;
    const detail = `the access token expired at ${account.tokenExpiresAt.toISOString()}${failing === undefined ? '' : ` after ${account.tokenRefresh?.failures ?? 0} failed refreshes (last: ${failing})`}`;
    await requireReauth(deps, ref, 'token_expired', detail, now);
    return { outcome: 'needs_reauth' };
  }
  const token = await deps.accounts.accessToken(ref);
  const budget = new CallBudget(ref.platform, deps.clock, account.budget);
  return { session: { account, token, budget, http: deps.http, hosts: deps.hosts, clock: deps.clock } };
}

export async function pollAccount(deps: PollerDeps, ref: AccountRef, options: PollOptions = {}): Promise<PollReport> {
  const opened = await openSession(deps, ref);
  if (!('session' in opened)) return finish(deps, ref, { outcome: opened.outcome, events: 0, media: 0 }, false);
  const { session } = opened;
  const polling = deps.platforms[ref.platform];
  const reader = polling.reader(session);
  let events = 0;
  let media: PolledMedia[] = [];
  try {
    media = await recentMedia(reader, deps.clock());
    const limit = pLimit(MEDIA_CONCURRENCY);
    const passes = await Promise.allSettled(media.map((item) => limit(() => passOver(deps, reader, item, options))));
    let interrupted = false;
    for (const [index, pass] of passes.entries()) {
      if (pass.status === 'fulfilled') {
        events += pass.value.events;
        interrupted ||= pass.value.outcome === 'interrupted';
      } else if (isPlatformCallError(pass.reason, 'refused')) {
        deps.logger.info({ account: accountKeyOf(ref), mediaId: media[index]?.id, err: pass.reason.message }, 'media skipped: the platform refused to list it');
      } else {
        throw pass.reason;
      }
    }
    if (!interrupted && !options.signal?.aborted) events += (await polling.extras?.(session, deps)) ?? 0;
    return await finish(deps, ref, { outcome: interrupted ? 'interrupted' : 'polled', events, media: media.length }, true, session);
  } catch (error) {
    if (!isPlatformCallError(error)) throw error;
    if (await refreshedDuring(deps, session, error)) {
      deps.logger.info({ account: accountKeyOf(ref), err: error.message }, 'the token was refreshed while the poll ran; the next poll uses the new one');
      return await finish(deps, ref, { outcome: 'failed', events, media: media.length }, true, session);
    }
    const stopped = await actOnFailure(deps, ref, error.failure, error.message, deps.clock());
    const outcome: PollOutcome = !stopped ? 'failed' : error.failure.kind === 'auth' ? 'auth_failed' : error.failure.kind === 'budget' ? 'rate_budget' : 'throttled';
    if (!stopped) deps.logger.warn({ account: accountKeyOf(ref), err: error.message }, 'poll failed; the next scheduled poll retries');
    return await finish(deps, ref, { outcome, events, media: media.length }, true, session);
  }
}

/** A refused token that is no longer the stored one was replaced by a refresh in another process: not the account's failure. */
export async function refreshedDuring(deps: Pick<PollerDeps, 'accounts'>, session: PollSession, error: PlatformCallError): Promise<boolean> {
  return error.failure.kind === 'auth' && (await deps.accounts.accessToken(session.account)) !== session.token;
}

/** The account's media from the last MEDIA_WINDOW_MS, newest first, at most MAX_MEDIA_PER_POLL. */
export async function recentMedia(reader: PlatformReader, now: Date): Promise<PolledMedia[]> {
  const since = now.getTime() - MEDIA_WINDOW_MS;
  const media: PolledMedia[] = [];
  let cursor: string | undefined;
  do {
    const page = await reader.mediaPage(cursor);
    for (const item of page.items) if (item.publishedAt.getTime() >= since) media.push(item);
    const reachedOld = page.items.some((item) => item.publishedAt.getTime() < since);
    cursor = reachedOld || media.length >= MAX_MEDIA_PER_POLL ? undefined : page.next;
  } while (cursor !== undefined);
  return media.slice(0, MAX_MEDIA_PER_POLL);
}

async function passOver(deps: PollerDeps, reader: PlatformReader, media: PolledMedia, options: PollOptions): Promise<PassOutcome> {
  if (options.signal?.aborted) return { outcome: 'interrupted', events: 0 };
  const state = await deps.pollState.mediaState(reader, media.id);
  return runCommentPass(media, state, {
    reader,
    clock: deps.clock,
    enqueue: (events) => deps.enqueue(events),
    save: (next) => deps.pollState.saveMediaState(next),
    shouldStop: () => options.signal?.aborted === true,
    ...(options.onPage === undefined ? {} : { onPage: options.onPage }),
  });
}

async function finish(deps: PollerDeps, ref: AccountRef, report: PollReport, called: boolean, session?: PollSession): Promise<PollReport> {
  deps.metrics.polls.inc({ platform: ref.platform, outcome: report.outcome });
  if (!called) return report;
  const budget = session?.budget.state;
  if (budget !== undefined) await deps.accounts.recordBudget(ref, budget);
  await deps.accounts.recordPoll(ref, { at: deps.clock(), outcome: report.outcome, events: report.events });
  return report;
}
