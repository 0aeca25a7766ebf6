/**
 * Instagram hashtag search: static global ids per hashtag, and the limit of
 * 30 unique hashtags per account in a rolling 7 days. Repeating a hashtag
 * already searched costs nothing and does not restart its 7 days. Like
 * Instagram, hashtags differ by spelling (`قهوة_نقطة` and `قهوه_نقطه` are
 * two hashtags) but not by letter case.
 */
import { createHash } from 'node:crypto';
import { hashtagSpelling } from '../../domain/hashtags.js';

/** The hashtag as the platform tells hashtags apart. */
export function platformHashtag(tag: string): string {
  return hashtagSpelling(tag).toLowerCase();
}

const WEEK_MS = 7 * 86_400_000;

export type HashtagSearchResult = { ok: true; id: string } | { ok: false; limit: number };

export class HashtagSearches {
  private readonly names = new Map<string, string>();
  private readonly searched = new Map<string, Map<string, number>>();

  constructor(
    private readonly clock: () => Date,
    private readonly limit: number,
  ) {}

  search(userId: string, query: string): HashtagSearchResult {
    const name = platformHashtag(query);
    const now = this.clock().getTime();
    const recent = new Map([...(this.searched.get(userId) ?? new Map<string, number>())].filter(([, at]) => at > now - WEEK_MS));
    if (!recent.has(name)) {
      if (recent.size >= this.limit) return { ok: false, limit: this.limit };
      recent.set(name, now);
    }
    this.searched.set(userId, recent);
    const id = hashtagIdOf(name);
    this.names.set(id, name);
    return { ok: true, id };
  }

  /** The hashtag behind an id handed out by a search. */
  nameOf(id: string): string | undefined {
    return this.names.get(id);
  }
}

/** Ids are static and global on Instagram: the same hashtag always has the same 17-digit id. */
function hashtagIdOf(name: string): string {
  const digits = BigInt(`0x${createHash('sha256').update(name).digest('hex').slice(0, 15)}`) % 1_000_000_000_000n;
  return `17843${digits.toString().padStart(12, '0')}`;
}
