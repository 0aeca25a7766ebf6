/**
 * One pass over one media's comments, resumable page by page:
 * - skipped when the media's comment count has not moved since the last
 *   complete pass (no call at all) and nothing is suspected deleted;
 * - new comments become events with the webhook's eventKeys (a comment both
 *   webhooked and polled is awarded once);
 * - the cursor and the comments seen so far are saved after every page, so a
 *   restart continues where the last page ended;
 * - a credited comment missing from complete passes (see
 *   `missesBeforeDeleted`) becomes a `comment_deleted` event in its author's
 *   name, which reverses its award. Only the newest TRACKED_LIMIT comments of a
 *   media are remembered, so a deletion of anything older goes unnoticed.
 */
import type { EngagementEvent } from '../../domain/event.js';
import type { MediaState, PassProgress, TrackedComment } from './poll-state-store.js';
import { polledCommentEvent, polledDeletionEvent, type PlatformReader, type PolledComment, type PolledMedia } from './platform-reader.js';

export const TRACKED_LIMIT = 1000;
/** Parents whose replies one pass may list; bounds the calls a busy media can cost. */
export const REPLY_PARENTS_PER_PASS = 20;

export interface PassContext {
  reader: PlatformReader;
  clock: () => Date;
  enqueue(events: readonly EngagementEvent[]): Promise<void>;
  save(state: MediaState): Promise<void>;
  /** Asked after every page: a worker shutting down stops at a page boundary with its cursor saved. */
  shouldStop(): boolean;
  onPage?(page: { mediaId: string; comments: number }): void;
}

export type PassOutcome =
  | { outcome: 'unchanged'; events: 0 }
  | { outcome: 'interrupted'; events: number }
  | { outcome: 'complete'; events: number; deleted: number };

/**
 * Instagram's `comments_count` moves with every comment and reply, so an
 * unchanged count means nothing to read. TikTok's count leaves replies out,
 * so its media are always read (its budget is per minute and generous).
 */
export function needsPass(media: PolledMedia, state: MediaState, reader: Pick<PlatformReader, 'replyCounts'>): boolean {
  return (
    reader.replyCounts === 'per_comment' ||
    state.pass !== undefined ||
    media.commentCount === undefined ||
    state.commentCount !== media.commentCount ||
    state.tracked.some((comment) => comment.misses > 0)
  );
}

export async function runCommentPass(media: PolledMedia, state: MediaState, ctx: PassContext): Promise<PassOutcome> {
  if (!needsPass(media, state, ctx.reader)) return { outcome: 'unchanged', events: 0 };
  const run = new Pass(media, state, ctx);
  return run.run();
}

class Pass {
  private readonly tracked: Map<string, TrackedComment>;
  private readonly seen: Set<string>;
  private readonly progress: PassProgress;
  private events = 0;
  private repliesLeft = false;

  constructor(
    private readonly media: PolledMedia,
    private readonly state: MediaState,
    private readonly ctx: PassContext,
  ) {
    this.tracked = new Map(state.tracked.map((comment) => [comment.id, { ...comment }]));
    this.progress = state.pass ?? startProgress(state.tracked);
    this.seen = new Set(this.progress.seen);
  }

  async run(): Promise<PassOutcome> {
    while (!this.progress.topLevelDone) {
      const page = await this.ctx.reader.commentPage(this.media, this.progress.cursor);
      await this.record(page.items);
      const oldest = page.items.reduce<Date | undefined>((min, c) => (min === undefined || c.at < min ? c.at : min), undefined);
      if (oldest !== undefined) this.progress.reachedAt = oldest;
      const pastHorizon = this.progress.horizon !== undefined && oldest !== undefined && oldest < this.progress.horizon;
      if (page.next === undefined || pastHorizon) {
        this.progress.topLevelDone = true;
        this.progress.reachedEnd = page.next === undefined;
        delete this.progress.cursor;
      } else {
        this.progress.cursor = page.next;
      }
      if (await this.checkpoint(page.items.length)) return { outcome: 'interrupted', events: this.events };
    }
    for (let parent = this.nextParent(); parent !== undefined; parent = this.nextParent()) {
      let cursor: string | undefined;
      do {
        const page = await this.ctx.reader.replyPage(this.media, parent.id, cursor);
        await this.record(page.items.map((reply) => ({ ...reply, parentId: reply.parentId ?? parent.id })));
        cursor = page.next;
      } while (cursor !== undefined);
      this.progress.repliesDone.push(parent.id);
      if (await this.checkpoint(0)) return { outcome: 'interrupted', events: this.events };
    }
    return this.complete();
  }

  /**
   * Enqueues what is new (before remembering it, so a failed enqueue is
   * retried by the next pass). Comments older than the horizon were read by
   * earlier passes and have left the memory: they are neither new nor kept.
   */
  private async record(items: readonly PolledComment[]): Promise<void> {
    const now = this.ctx.clock();
    const { horizon } = this.progress;
    const current = horizon === undefined ? items : items.filter((comment) => comment.parentId !== undefined || comment.at >= horizon);
    const fresh = current.filter((comment) => !this.tracked.has(comment.id));
    const events = fresh.flatMap((comment) => polledCommentEvent(this.ctx.reader, this.media.id, comment, now) ?? []);
    if (events.length > 0) await this.ctx.enqueue(events);
    this.events += events.length;
    for (const comment of current) {
      this.seen.add(comment.id);
      const known = this.tracked.get(comment.id);
      if (known === undefined) this.tracked.set(comment.id, trackedOf(comment));
      else if (comment.replyCount !== undefined) known.replyCount = comment.replyCount;
    }
  }

  private async checkpoint(comments: number): Promise<boolean> {
    await this.ctx.save({ ...this.state, tracked: [...this.tracked.values()], pass: { ...this.progress, seen: [...this.seen] } });
    this.ctx.onPage?.({ mediaId: this.media.id, comments });
    return this.ctx.shouldStop();
  }

  /**
   * The next parent whose replies this pass should list, undefined when none
   * is left: parents with a reply suspected deleted first, then newest first.
   */
  private nextParent(): TrackedComment | undefined {
    const replies = this.repliesByParent();
    const known = (parentId: string): number => {
      const listed = this.progress.repliesDone.includes(parentId);
      return (replies.get(parentId) ?? []).filter((reply) => !listed || this.seen.has(reply.id)).length;
    };
    const suspect = (parentId: string): boolean => (replies.get(parentId) ?? []).some((reply) => reply.misses > 0);
    const parents = [...this.tracked.values()].filter((c) => c.parentId === undefined && this.seen.has(c.id)).sort(newestFirst);
    const done = new Set(this.progress.repliesDone);
    const open = parents.filter((parent) => !done.has(parent.id));
    const ordered = [...open.filter((p) => suspect(p.id)), ...open.filter((p) => !suspect(p.id))];
    let wanted: TrackedComment[];
    let countsKnown: boolean;
    if (this.ctx.reader.replyCounts === 'per_comment') {
      wanted = ordered.filter((parent) => (parent.replyCount ?? 0) !== known(parent.id) || suspect(parent.id));
      countsKnown = true;
    } else {
      // Instagram: the media's count includes replies; when it matches what is known, no reply changed.
      const expected = this.progress.reachedEnd && this.media.commentCount !== undefined ? this.media.commentCount - parents.length : undefined;
      const settled = expected !== undefined && expected === parents.reduce((sum, p) => sum + known(p.id), 0) && !parents.some((p) => suspect(p.id));
      wanted = settled ? [] : ordered;
      countsKnown = expected !== undefined;
    }
    if (wanted.length === 0) return undefined;
    if (done.size >= REPLY_PARENTS_PER_PASS) {
      // Known work left over: the next poll must pass again rather than trust the count.
      if (countsKnown) this.repliesLeft = true;
      return undefined;
    }
    return wanted[0];
  }

  private repliesByParent(): Map<string, TrackedComment[]> {
    const byParent = new Map<string, TrackedComment[]>();
    for (const comment of this.tracked.values()) {
      if (comment.parentId === undefined) continue;
      const list = byParent.get(comment.parentId);
      if (list === undefined) byParent.set(comment.parentId, [comment]);
      else list.push(comment);
    }
    return byParent;
  }

  private async complete(): Promise<PassOutcome> {
    const now = this.ctx.clock();
    const repliesDone = new Set(this.progress.repliesDone);
    const gone: TrackedComment[] = [];
    for (const comment of this.tracked.values()) {
      if (this.seen.has(comment.id)) {
        comment.misses = 0;
        continue;
      }
      const covered = comment.parentId === undefined ? this.coversTopLevel(comment.at) : repliesDone.has(comment.parentId);
      if (!covered) continue;
      comment.misses += 1;
      if (comment.misses >= this.ctx.reader.missesBeforeDeleted) gone.push(comment);
    }
    // Replies go with their comment.
    const goneParents = new Set(gone.filter((c) => c.parentId === undefined).map((c) => c.id));
    for (const comment of this.tracked.values()) {
      if (comment.parentId !== undefined && goneParents.has(comment.parentId) && !gone.includes(comment)) gone.push(comment);
    }
    const deletions = gone.flatMap((comment) =>
      comment.own || comment.authorId === undefined
        ? []
        : [polledDeletionEvent(this.ctx.reader, this.media.id, { id: comment.id, authorId: comment.authorId, ...(comment.username === undefined ? {} : { username: comment.username }) }, now)],
    );
    if (deletions.length > 0) await this.ctx.enqueue(deletions);
    for (const comment of gone) this.tracked.delete(comment.id);

    const tracked = [...this.tracked.values()].sort(newestFirst).slice(0, TRACKED_LIMIT);
    const newest = tracked[0]?.at ?? this.state.watermark;
    const { pass: _finished, commentCount: _previousCount, ...rest } = this.state;
    await this.ctx.save({
      ...rest,
      tracked,
      passes: this.state.passes + 1,
      ...(this.media.commentCount === undefined || this.repliesLeft ? {} : { commentCount: this.media.commentCount }),
      ...(newest === undefined ? {} : { watermark: newest }),
    });
    return { outcome: 'complete', events: this.events + deletions.length, deleted: deletions.length };
  }

  private coversTopLevel(at: Date): boolean {
    return this.progress.reachedEnd || (this.progress.reachedAt !== undefined && at >= this.progress.reachedAt);
  }
}

function startProgress(tracked: readonly TrackedComment[]): PassProgress {
  const topLevel = tracked.filter((comment) => comment.parentId === undefined);
  const oldest = topLevel.reduce<Date | undefined>((min, c) => (min === undefined || c.at < min ? c.at : min), undefined);
  return {
    seen: [],
    topLevelDone: false,
    repliesDone: [],
    reachedEnd: false,
    ...(tracked.length >= TRACKED_LIMIT && oldest !== undefined ? { horizon: oldest } : {}),
  };
}

function trackedOf(comment: PolledComment): TrackedComment {
  return {
    id: comment.id,
    at: comment.at,
    own: comment.own,
    misses: 0,
    ...(comment.author === undefined ? {} : { authorId: comment.author.id }),
    ...(comment.author?.username === undefined ? {} : { username: comment.author.username }),
    ...(comment.parentId === undefined ? {} : { parentId: comment.parentId }),
    ...(comment.replyCount === undefined ? {} : { replyCount: comment.replyCount }),
  };
}

function newestFirst(a: TrackedComment, b: TrackedComment): number {
  return b.at.getTime() - a.at.getTime() || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);
}
