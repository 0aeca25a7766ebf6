/**
 * Public boards are read far more often than they change: the same page is
 * answered from memory for a second, so a crowd refreshing a giveaway's
 * board costs the store one read per page per second per API process.
 */
import { LRUCache } from 'lru-cache';

const FRESH_MS = 1_000;
const PAGES_KEPT = 1_000;

export class BoardCache<T extends object> {
  private readonly pages = new LRUCache<string, T>({ max: PAGES_KEPT, ttl: FRESH_MS });

  async read(key: string, load: () => Promise<T>): Promise<T> {
    const kept = this.pages.get(key);
    if (kept) return kept;
    const loaded = await load();
    this.pages.set(key, loaded);
    return loaded;
  }
}
