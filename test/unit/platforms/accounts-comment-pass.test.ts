import { describe, expect, it } from 'vitest';
import type { EngagementEvent } from '../../../src/domain/event.js';
import { runCommentPass, TRACKED_LIMIT, type PassContext } from '../../../src/platforms/accounts/comment-pass.js';
import type { Page, PlatformReader, PolledComment, PolledMedia } from '../../../src/platforms/accounts/platform-reader.js';
import type { MediaState } from '../../../src/platforms/accounts/poll-state-store.js';

const T0 = Date.parse('2027-03-01T12:00:00Z');

/** An in-memory platform: comments newest first, offset cursors, and a log of every call. */
class FakeReader implements PlatformReader {
  readonly platform = 'instagram';
  readonly accountId = 'brand';
  readonly comments: PolledComment[] = [];
  readonly replies = new Map<string, PolledComment[]>();
  readonly calls: string[] = [];

  constructor(
    readonly replyCounts: PlatformReader['replyCounts'],
    readonly missesBeforeDeleted: number,
    private readonly pageSize = 2,
  ) {}

  add(id: string, minute: number, options: { own?: boolean; parentId?: string } = {}): void {
    const comment: PolledComment = { id, at: new Date(T0 + minute * 60_000), author: { id: `fan-${id}`, username: `fan_${id}` }, own: options.own ?? false, text: `comment ${id}` };
    if (options.parentId === undefined) this.comments.unshift(comment);
    else this.replies.set(options.parentId, [...(this.replies.get(options.parentId) ?? []), { ...comment, parentId: options.parentId }]);
  }

  remove(id: string): void {
    const index = this.comments.findIndex((c) => c.id === id);
    if (index >= 0) {
      this.comments.splice(index, 1);
      this.replies.delete(id);
    }
    for (const [parent, list] of this.replies) this.replies.set(parent, list.filter((c) => c.id !== id));
  }

  media(): PolledMedia {
    const replies = [...this.replies.values()].reduce((sum, list) => sum + list.length, 0);
    return { id: 'media-1', publishedAt: new Date(T0), commentCount: this.comments.length + (this.replyCounts === 'media_total' ? replies : 0) };
  }

  mediaPage(): Promise<Page<PolledMedia>> {
    return Promise.resolve({ items: [this.media()], next: undefined });
  }

  commentPage(_media: PolledMedia, cursor: string | undefined): Promise<Page<PolledComment>> {
    this.calls.push(`comments@${cursor ?? 0}`);
    const items = this.comments.map((c) => ({ ...c, ...(this.replyCounts === 'per_comment' ? { replyCount: this.replies.get(c.id)?.length ?? 0 } : {}) }));
    return Promise.resolve(this.slice(items, cursor));
  }

  replyPage(_media: PolledMedia, parentId: string, cursor: string | undefined): Promise<Page<PolledComment>> {
    this.calls.push(`replies:${parentId}@${cursor ?? 0}`);
    return Promise.resolve(this.slice(this.replies.get(parentId) ?? [], cursor));
  }

  private slice(items: PolledComment[], cursor: string | undefined): Page<PolledComment> {
    const start = Number(cursor ?? 0);
    const end = start + this.pageSize;
    return { items: items.slice(start, end), next: end < items.length ? String(end) : undefined };
  }
}

function harness(reader: FakeReader) {
  let state: MediaState = { platform: 'instagram', accountId: 'brand', mediaId: 'media-1', tracked: [], passes: 0 };
  const enqueued: EngagementEvent[] = [];
  const control = { stopping: false };
  const ctx = (): PassContext => ({
    reader,
    clock: () => new Date(T0 + 3_600_000),
    enqueue: (events) => {
      enqueued.push(...events);
      return Promise.resolve();
    },
    save: (next) => {
      state = structuredClone(next);
      return Promise.resolve();
    },
    shouldStop: () => control.stopping,
  });
  return {
    enqueued,
    control,
    get state() {
      return state;
    },
    run: () => runCommentPass(reader.media(), state, ctx()),
    keys: () => enqueued.map((event) => event.eventKey),
  };
}

describe('comment pass', () => {
  it('turns a first pass into comment and reply events, finding replies through the media count, and never credits the brand', async () => {
    const reader = new FakeReader('media_total', 1);
    reader.add('c1', 1);
    reader.add('c2', 2);
    reader.add('c3', 3, { own: true });
    reader.add('r1', 4, { parentId: 'c1' });
    const pass = harness(reader);
    expect(await pass.run()).toEqual({ outcome: 'complete', events: 3, deleted: 0 });
    expect(pass.keys()).toEqual(['instagram:comment:c2', 'instagram:comment:c1', 'instagram:reply:r1']);
    // Newest first: c2 has no replies but is listed before c1, whose reply settles the count.
    expect(reader.calls).toEqual(['comments@0', 'comments@2', 'replies:c3@0', 'replies:c2@0', 'replies:c1@0']);
    expect(pass.state).toMatchObject({ commentCount: 4, passes: 1, watermark: new Date(T0 + 4 * 60_000) });
    expect(pass.state.pass).toBeUndefined();
    expect(pass.state.tracked.map((c) => c.id).sort()).toEqual(['c1', 'c2', 'c3', 'r1']);

    reader.calls.length = 0;
    expect(await pass.run()).toEqual({ outcome: 'unchanged', events: 0 });
    expect(reader.calls).toEqual([]);
  });

  it('reports a credited comment and its replies deleted once missing from a complete Instagram pass', async () => {
    const reader = new FakeReader('media_total', 1);
    for (const [id, minute] of [['c1', 1], ['c2', 2], ['c3', 3]] as const) reader.add(id, minute);
    reader.add('r1', 5, { parentId: 'c1' });
    const pass = harness(reader);
    await pass.run();
    reader.remove('c1');
    reader.add('c4', 6);
    expect(await pass.run()).toEqual({ outcome: 'complete', events: 3, deleted: 2 });
    const deletions = pass.enqueued.filter((event) => event.kind === 'comment_deleted');
    expect(deletions.map((event) => [event.eventKey, event.actor.platformUserId, event.source])).toEqual([
      ['instagram:comment_deleted:c1', 'fan-c1', 'poll'],
      ['instagram:comment_deleted:r1', 'fan-r1', 'poll'],
    ]);
    expect(pass.state.tracked.map((c) => c.id).sort()).toEqual(['c2', 'c3', 'c4']);
  });

  it('needs two missed passes where pages are offsets (TikTok), and forgives a comment that comes back', async () => {
    const reader = new FakeReader('per_comment', 2);
    reader.add('c1', 1);
    reader.add('c2', 2);
    const pass = harness(reader);
    await pass.run();
    const c1 = reader.comments.find((c) => c.id === 'c1');
    reader.remove('c1');
    expect(await pass.run()).toEqual({ outcome: 'complete', events: 0, deleted: 0 });
    expect(pass.state.tracked.find((c) => c.id === 'c1')?.misses).toBe(1);
    if (c1 !== undefined) reader.comments.push(c1);
    await pass.run();
    expect(pass.state.tracked.find((c) => c.id === 'c1')?.misses).toBe(0);
    reader.remove('c1');
    await pass.run();
    expect(await pass.run()).toEqual({ outcome: 'complete', events: 1, deleted: 1 });
    expect(pass.keys().filter((key) => key.includes('deleted'))).toEqual(['instagram:comment_deleted:c1']);
  });

  it('lists replies only for comments whose reply count moved (TikTok)', async () => {
    const reader = new FakeReader('per_comment', 2);
    reader.add('c1', 1);
    reader.add('c2', 2);
    reader.add('r1', 3, { parentId: 'c2' });
    const pass = harness(reader);
    await pass.run();
    expect(reader.calls.filter((call) => call.startsWith('replies'))).toEqual(['replies:c2@0']);
    reader.calls.length = 0;
    reader.add('r2', 4, { parentId: 'c1' });
    expect(await pass.run()).toMatchObject({ outcome: 'complete', events: 1 });
    expect(reader.calls.filter((call) => call.startsWith('replies'))).toEqual(['replies:c1@0']);
  });

  it('stops at a page boundary with its cursor saved, and the next pass resumes without repeating a page', async () => {
    const reader = new FakeReader('media_total', 1);
    for (let minute = 1; minute <= 5; minute += 1) reader.add(`c${minute}`, minute);
    const stopped = harness(reader);
    stopped.control.stopping = true;
    expect(await stopped.run()).toEqual({ outcome: 'interrupted', events: 2 });
    expect(stopped.state.pass).toMatchObject({ cursor: '2', topLevelDone: false, seen: ['c5', 'c4'] });
    stopped.control.stopping = false;
    expect(await stopped.run()).toEqual({ outcome: 'complete', events: 3, deleted: 0 });
    expect(reader.calls).toEqual(['comments@0', 'comments@2', 'comments@4']);
    expect(stopped.keys()).toEqual(['c5', 'c4', 'c3', 'c2', 'c1'].map((id) => `instagram:comment:${id}`));
  });

  it('remembers at most TRACKED_LIMIT comments and stops later passes where that memory ends', async () => {
    const reader = new FakeReader('media_total', 1, 100);
    for (let minute = 1; minute <= TRACKED_LIMIT + 200; minute += 1) reader.add(`c${minute}`, minute);
    const pass = harness(reader);
    await pass.run();
    expect(pass.state.tracked).toHaveLength(TRACKED_LIMIT);
    expect(reader.calls).toHaveLength(12);
    reader.calls.length = 0;
    reader.add('new', TRACKED_LIMIT + 300);
    expect(await pass.run()).toEqual({ outcome: 'complete', events: 1, deleted: 0 });
    // 1,001 comments down to the oldest remembered one: 11 pages, not 13.
    expect(reader.calls.filter((call) => call.startsWith('comments'))).toHaveLength(11);
  });
});
