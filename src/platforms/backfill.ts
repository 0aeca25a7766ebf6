/**
 * `nuqta backfill`: reads an account's media and their comments and replies
 * since a date, for history the webhooks and pollers never saw (an account
 * connected mid-campaign, an outage longer than the platform's retries).
 * Events carry the usual eventKeys, so whatever was already received is not
 * awarded again. Its position (media, page cursor) is saved after every page
 * under `backfills`, so running the same command again continues; a throttle
 * or an expired token pauses the account as a poll would and stops the run.
 */
import { accountKeyOf, type AccountRef } from './accounts/account.js';
import { actOnFailure } from './accounts/account-alerts.js';
import { MEDIA_WINDOW_MS, openSession, type PollerDeps } from './accounts/account-poll.js';
import { isPlatformCallError } from './accounts/platform-call.js';
import { polledCommentEvent, type PlatformReader, type PolledComment, type PolledMedia } from './accounts/platform-reader.js';
import type { BackfillMedia, BackfillState } from './accounts/poll-state-store.js';

export interface BackfillProgress {
  /** Media finished. */
  media: number;
  mediaTotal: number;
  /** Comments and replies read so far in this run. */
  comments: number;
  /** What the platform counts on those media (Instagram includes replies); undefined when it does not say. */
  commentsTotal: number | undefined;
  events: number;
}

export interface BackfillOptions {
  /** Aborting stops after the current page, its position saved. */
  signal?: AbortSignal;
  onProgress?(progress: BackfillProgress): void;
}

export interface BackfillReport {
  outcome: 'done' | 'interrupted' | 'stopped';
  /** Events enqueued by every run of this backfill so far. */
  events: number;
  media: number;
  /** Why a stopped backfill stopped, for the person running it. */
  reason?: string;
}

export async function runBackfill(deps: PollerDeps, ref: AccountRef, since: Date, options: BackfillOptions = {}): Promise<BackfillReport> {
  const opened = await openSession(deps, ref);
  if (!('session' in opened)) {
    return { outcome: 'stopped', events: 0, media: 0, reason: `account ${accountKeyOf(ref)} is ${opened.outcome.replace('_', ' ')}` };
  }
  const { session } = opened;
  const reader = deps.platforms[ref.platform].reader(session);
  let state = await deps.pollState.backfill(ref, since);
  try {
    if (state.done) return { outcome: 'done', events: state.events, media: state.media?.length ?? 0 };
    const walking = { ...state, media: state.media ?? (await listMediaSince(reader, since)) };
    // The walk moves this same state forward; a failure below reports how far it got.
    state = walking;
    const walk = new BackfillWalk(deps, reader, walking, options);
    await walk.save();
    return await walk.run();
  } catch (error) {
    if (!isPlatformCallError(error)) throw error;
    await actOnFailure(deps, ref, error.failure, error.message, deps.clock());
    const after = 'until' in error.failure ? `; run the same command again after ${error.failure.until.toISOString()}` : '';
    return { outcome: 'stopped', events: state.events, media: state.media?.length ?? 0, reason: `${error.message}${after}` };
  } finally {
    const budget = session.budget.state;
    if (budget !== undefined) await deps.accounts.recordBudget(ref, budget);
  }
}

/**
 * Media that can hold comments since `since`: those published up to
 * MEDIA_WINDOW_MS earlier too, as posts keep drawing comments for weeks
 * (the same window the poller reads).
 */
async function listMediaSince(reader: PlatformReader, commentsSince: Date): Promise<BackfillMedia[]> {
  const since = new Date(commentsSince.getTime() - MEDIA_WINDOW_MS);
  const media: BackfillMedia[] = [];
  let cursor: string | undefined;
  do {
    const page = await reader.mediaPage(cursor);
    for (const item of page.items) {
      if (item.publishedAt >= since) media.push({ id: item.id, publishedAt: item.publishedAt, ...(item.commentCount === undefined ? {} : { commentCount: item.commentCount }) });
    }
    // Newest first: once a page reaches before `since`, older pages hold nothing wanted.
    cursor = page.items.some((item) => item.publishedAt < since) ? undefined : page.next;
  } while (cursor !== undefined);
  return media;
}

class BackfillWalk {
  private comments = 0;

  constructor(
    private readonly deps: PollerDeps,
    private readonly reader: PlatformReader,
    private readonly state: BackfillState & { media: BackfillMedia[] },
    private readonly options: BackfillOptions,
  ) {}

  async run(): Promise<BackfillReport> {
    const { state } = this;
    this.report();
    while (state.index < state.media.length) {
      const item = state.media[state.index];
      if (item === undefined) break;
      const media: PolledMedia = { id: item.id, publishedAt: item.publishedAt, commentCount: item.commentCount };
      const finished = await this.walkMedia(media).catch((error: unknown) => {
        if (!isPlatformCallError(error, 'refused')) throw error;
        this.deps.logger.info({ mediaId: media.id, err: error.message }, 'backfill skips a media the platform refused to list');
        return true;
      });
      if (!finished) return { outcome: 'interrupted', events: state.events, media: state.media.length };
      Object.assign(state, { index: state.index + 1, phase: 'comments', topLevel: 0, parents: [], repliesRead: 0 });
      delete state.cursor;
      await this.save();
      this.report();
    }
    state.done = true;
    await this.save();
    return { outcome: 'done', events: state.events, media: state.media.length };
  }

  /** True once the media is read back to `since`; false when stopped between pages. */
  private async walkMedia(media: PolledMedia): Promise<boolean> {
    const { state } = this;
    while (state.phase === 'comments') {
      const page = await this.reader.commentPage(media, state.cursor);
      const wanted = page.items.filter((comment) => comment.at >= state.since);
      await this.enqueue(media, wanted);
      this.comments += page.items.length;
      state.topLevel += page.items.length;
      // TikTok says which comments have replies; Instagram does not, so every one may.
      state.parents.push(...wanted.filter((comment) => comment.replyCount !== 0).map((comment) => comment.id));
      const reachedSince = page.items.some((comment) => comment.at < state.since);
      if (page.next === undefined || reachedSince) {
        delete state.cursor;
        state.phase = 'replies';
        // Instagram's count includes replies: a count no higher than the comments listed means there are none.
        const complete = page.next === undefined && this.reader.replyCounts === 'media_total';
        if (complete && media.commentCount !== undefined && media.commentCount <= state.topLevel) state.parents = [];
      } else {
        state.cursor = page.next;
      }
      if (await this.checkpoint()) return false;
    }
    while (state.repliesRead < state.parents.length) {
      const parentId = state.parents[state.repliesRead];
      if (parentId !== undefined) {
        const replies = await this.allReplies(media, parentId);
        this.comments += replies.length;
        await this.enqueue(media, replies.filter((reply) => reply.at >= state.since));
      }
      state.repliesRead += 1;
      if (await this.checkpoint()) return false;
    }
    return true;
  }

  private async enqueue(media: PolledMedia, comments: readonly PolledComment[]): Promise<void> {
    const now = this.deps.clock();
    const events = comments.flatMap((comment) => polledCommentEvent(this.reader, media.id, comment, now) ?? []);
    if (events.length > 0) await this.deps.enqueue(events);
    this.state.events += events.length;
  }

  private async allReplies(media: PolledMedia, parentId: string): Promise<PolledComment[]> {
    const replies: PolledComment[] = [];
    let cursor: string | undefined;
    do {
      const page = await this.reader.replyPage(media, parentId, cursor);
      replies.push(...page.items.map((reply) => ({ ...reply, parentId: reply.parentId ?? parentId })));
      cursor = page.next;
    } while (cursor !== undefined);
    return replies;
  }

  /** Saves the position; true when the run should stop here. */
  private async checkpoint(): Promise<boolean> {
    await this.save();
    this.report();
    return this.options.signal?.aborted === true;
  }

  async save(): Promise<void> {
    await this.deps.pollState.saveBackfill(this.state);
  }

  private report(): void {
    const counts = this.state.media.map((media) => media.commentCount);
    this.options.onProgress?.({
      media: this.state.index,
      mediaTotal: this.state.media.length,
      comments: this.comments,
      commentsTotal: counts.every((count) => count !== undefined) ? counts.reduce<number>((sum, count) => sum + (count ?? 0), 0) : undefined,
      events: this.state.events,
    });
  }
}
