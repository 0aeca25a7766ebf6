/**
 * What pollers remember between runs, one document per thing, each found by
 * its `_id` (FerretDB reads nothing else quickly):
 * - `poll_media`, `_id` = `platform|accountId|mediaId`: the media's watermark,
 *   the comments seen on it (bounded) and the cursor of an unfinished pass;
 * - `backfills`, `_id` = `platform|accountId|since`: how far a backfill got;
 * - `hashtag_candidates`, `_id` = `instagram|accountId|mediaId`: hashtag posts
 *   found without an author, kept for when the author can be linked.
 */
import type { Collection, Db } from 'mongodb';
import { accountKeyOf, type AccountRef } from './account.js';
import { insertOnce } from '../../insert-once.js';

export interface TrackedComment {
  id: string;
  at: Date;
  /** Absent when the platform named no author (nothing was credited). */
  authorId?: string;
  username?: string;
  parentId?: string;
  own: boolean;
  /** Replies the platform last said this comment has (TikTok only). */
  replyCount?: number;
  /** Complete passes in a row this comment was missing from. */
  misses: number;
}

/** An unfinished pass over one media, saved after every page so a restart resumes it. */
export interface PassProgress {
  cursor?: string;
  /** Ids listed so far in this pass (top-level comments and replies). */
  seen: string[];
  topLevelDone: boolean;
  /** Parents whose replies were listed completely in this pass. */
  repliesDone: string[];
  /** The oldest top-level comment time this pass reached. */
  reachedAt?: Date;
  /** The top-level list was read to its last page. */
  reachedEnd: boolean;
  /**
   * When the tracked set was full at the start, the time of its oldest
   * comment: everything older was read by earlier passes, so the pass stops there.
   */
  horizon?: Date;
}

export interface MediaState extends AccountRef {
  mediaId: string;
  /** The media's comment count when the last pass completed. */
  commentCount?: number;
  /** The newest comment time of the last complete pass. */
  watermark?: Date;
  /** Newest first, at most TRACKED_LIMIT. */
  tracked: TrackedComment[];
  pass?: PassProgress;
  passes: number;
}

export interface BackfillMedia {
  id: string;
  publishedAt: Date;
  commentCount?: number;
}

export interface BackfillState extends AccountRef {
  since: Date;
  /** Listed once, then walked in order. */
  media?: BackfillMedia[];
  /** The media being walked. */
  index: number;
  /** The next comment page of that media. */
  cursor?: string;
  /** Reading that media's comments, or then the replies of `parents`. */
  phase: 'comments' | 'replies';
  /** Top-level comments of that media listed so far. */
  topLevel: number;
  /** Its comments since `since` that may have replies, and how many of them are read. */
  parents: string[];
  repliesRead: number;
  events: number;
  done: boolean;
}

export interface HashtagCandidate extends AccountRef {
  mediaId: string;
  hashtag: string;
  caption?: string;
  permalink?: string;
  postedAt?: Date;
  foundAt: Date;
}

type Stored<T> = T & { _id: string };

export class MongoPollStateStore {
  private readonly media: Collection<Stored<MediaState>>;
  private readonly backfills: Collection<Stored<BackfillState>>;
  private readonly candidates: Collection<Stored<HashtagCandidate>>;

  constructor(db: Db) {
    this.media = db.collection('poll_media');
    this.backfills = db.collection('backfills');
    this.candidates = db.collection('hashtag_candidates');
  }

  async mediaState(ref: AccountRef, mediaId: string): Promise<MediaState> {
    const stored = await this.media.findOne({ _id: mediaKeyOf(ref, mediaId) });
    if (stored === null) return { platform: ref.platform, accountId: ref.accountId, mediaId, tracked: [], passes: 0 };
    const { _id, ...state } = stored;
    // FerretDB may drop empty arrays; absent means empty.
    return { ...state, tracked: state.tracked ?? [], ...(state.pass === undefined ? {} : { pass: { ...state.pass, seen: state.pass.seen ?? [], repliesDone: state.pass.repliesDone ?? [] } }) };
  }

  async saveMediaState(state: MediaState): Promise<void> {
    const _id = mediaKeyOf(state, state.mediaId);
    await this.media.replaceOne({ _id }, withoutUndefined({ _id, ...state }), { upsert: true });
  }

  async backfill(ref: AccountRef, since: Date): Promise<BackfillState> {
    const stored = await this.backfills.findOne({ _id: backfillKeyOf(ref, since) });
    if (stored === null) return { platform: ref.platform, accountId: ref.accountId, since, index: 0, phase: 'comments', topLevel: 0, parents: [], repliesRead: 0, events: 0, done: false };
    const { _id, ...state } = stored;
    return { ...state, parents: state.parents ?? [] };
  }

  async saveBackfill(state: BackfillState): Promise<void> {
    const _id = backfillKeyOf(state, state.since);
    await this.backfills.replaceOne({ _id }, withoutUndefined({ _id, ...state }), { upsert: true });
  }

  /** Records candidates once each; returns those that were new. */
  async addHashtagCandidates(candidates: readonly HashtagCandidate[]): Promise<HashtagCandidate[]> {
    const added: HashtagCandidate[] = [];
    for (const candidate of candidates) {
      if (await insertOnce(this.candidates, withoutUndefined({ _id: mediaKeyOf(candidate, candidate.mediaId), ...candidate }))) added.push(candidate);
    }
    return added;
  }

  /** The candidate with this link (a scan: for a follower's claim, never on the polling path). */
  async candidateByPermalink(permalink: string): Promise<HashtagCandidate | null> {
    const stored = await this.candidates.findOne({ permalink });
    if (stored === null) return null;
    const { _id, ...candidate } = stored;
    return candidate;
  }

  async hashtagCandidate(ref: AccountRef, mediaId: string): Promise<HashtagCandidate | null> {
    const stored = await this.candidates.findOne({ _id: mediaKeyOf(ref, mediaId) });
    if (stored === null) return null;
    const { _id, ...candidate } = stored;
    return candidate;
  }
}

export function mediaKeyOf(ref: AccountRef, mediaId: string): string {
  return `${accountKeyOf(ref)}|${mediaId}`;
}

function backfillKeyOf(ref: AccountRef, since: Date): string {
  return `${accountKeyOf(ref)}|${since.toISOString()}`;
}

/** The driver would write `undefined` as null; optional fields are left out instead. */
function withoutUndefined<T>(value: T): T {
  if (Array.isArray(value)) return value.map(withoutUndefined) as T;
  if (value === null || typeof value !== 'object' || value instanceof Date) return value;
  return Object.fromEntries(
    Object.entries(value).filter(([, item]) => item !== undefined).map(([key, item]) => [key, withoutUndefined(item)]),
  ) as T;
}
