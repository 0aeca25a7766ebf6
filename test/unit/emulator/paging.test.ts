import { describe, expect, it } from 'vitest';
import { cursorPage, type CursorPage, type PageQuery } from '../../../src/platforms/emulator/paging.js';

interface Item {
  id: string;
  at: Date;
}

// Newest first; items 3 and 4 share a second, as bursts of comments do.
const items: Item[] = [
  { id: 'c6', at: new Date(6000) },
  { id: 'c5', at: new Date(5000) },
  { id: 'c4', at: new Date(4000) },
  { id: 'c3', at: new Date(4000) },
  { id: 'c2', at: new Date(2000) },
  { id: 'c1', at: new Date(1000) },
];

function page(list: readonly Item[], query: PageQuery): CursorPage<Item> {
  const result = cursorPage(list, 'newest_first', query);
  if (result === undefined) throw new Error('cursor refused');
  return result;
}

describe('cursorPage', () => {
  it('walks the whole list forwards without repeats, and back again', () => {
    const first = page(items, { limit: 4 });
    expect(first.items.map((i) => i.id)).toEqual(['c6', 'c5', 'c4', 'c3']);
    expect(first).toMatchObject({ hasNext: true, hasPrevious: false });
    const second = page(items, { limit: 4, after: first.after });
    expect(second.items.map((i) => i.id)).toEqual(['c2', 'c1']);
    expect(second).toMatchObject({ hasNext: false, hasPrevious: true });
    expect(page(items, { limit: 4, before: second.before }).items.map((i) => i.id)).toEqual(['c6', 'c5', 'c4', 'c3']);
  });

  it('neither skips nor repeats when the item under the cursor is deleted between pages', () => {
    const first = page(items, { limit: 3 });
    const withoutC4 = items.filter((i) => i.id !== 'c4');
    expect(page(withoutC4, { limit: 3, after: first.after }).items.map((i) => i.id)).toEqual(['c3', 'c2', 'c1']);
  });

  it('reads oldest-first lists (replies) in their own direction', () => {
    const oldestFirst = [...items].reverse();
    const first = cursorPage(oldestFirst, 'oldest_first', { limit: 2 });
    const second = cursorPage(oldestFirst, 'oldest_first', { limit: 2, after: first?.after });
    expect(second?.items.map((i) => i.id)).toEqual(['c3', 'c4']);
  });

  it('refuses a cursor it did not write', () => {
    expect(cursorPage(items, 'newest_first', { limit: 2, after: 'not-a-cursor' })).toBeUndefined();
  });
});
