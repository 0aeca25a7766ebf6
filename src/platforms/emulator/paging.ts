/**
 * Graph API cursor paging. A cursor names a position (time and id), not an
 * index, so a comment deleted between two pages neither repeats nor skips
 * another one, as with the real API.
 */
interface Positioned {
  at: Date;
  id: string;
}

export type ListOrder = 'newest_first' | 'oldest_first';

export interface PageQuery {
  limit: number;
  after?: string | undefined;
  before?: string | undefined;
}

export interface CursorPage<T> {
  items: T[];
  before: string | undefined;
  after: string | undefined;
  hasNext: boolean;
  hasPrevious: boolean;
}

export function cursorOf(item: Positioned): string {
  return Buffer.from(`${item.at.getTime()}:${item.id}`).toString('base64url');
}

/** Undefined when the cursor is not one this emulator wrote. */
export function cursorPage<T extends Positioned>(ordered: readonly T[], order: ListOrder, query: PageQuery): CursorPage<T> | undefined {
  const position = (text: string | undefined): Positioned | undefined | 'invalid' => (text === undefined ? undefined : (decode(text) ?? 'invalid'));
  const after = position(query.after);
  const before = position(query.before);
  if (after === 'invalid' || before === 'invalid') return undefined;

  let items: T[];
  let hasNext: boolean;
  let hasPrevious: boolean;
  if (after !== undefined) {
    const rest = ordered.filter((item) => comesAfter(item, after, order));
    items = rest.slice(0, query.limit);
    hasNext = rest.length > query.limit;
    hasPrevious = rest.length < ordered.length;
  } else if (before !== undefined) {
    const prior = ordered.filter((item) => comesAfter(before, item, order));
    items = prior.slice(-query.limit);
    hasNext = prior.length < ordered.length;
    hasPrevious = prior.length > query.limit;
  } else {
    items = ordered.slice(0, query.limit);
    hasNext = ordered.length > query.limit;
    hasPrevious = false;
  }
  const first = items[0];
  const last = items[items.length - 1];
  return {
    items,
    before: first === undefined ? undefined : cursorOf(first),
    after: last === undefined ? undefined : cursorOf(last),
    hasNext,
    hasPrevious,
  };
}

function decode(text: string): Positioned | undefined {
  const match = /^(\d{1,15}):(.+)$/.exec(Buffer.from(text, 'base64url').toString());
  if (match === null) return undefined;
  return { at: new Date(Number(match[1])), id: match[2] ?? '' };
}

/** Does `a` come later in the list than `b`? Ties on time fall back to the id, as the list is sorted. */
function comesAfter(a: Positioned, b: Positioned, order: ListOrder): boolean {
  const byTime = a.at.getTime() - b.at.getTime();
  const newer = byTime > 0 || (byTime === 0 && a.id > b.id);
  const same = byTime === 0 && a.id === b.id;
  if (same) return false;
  return order === 'newest_first' ? !newer : newer;
}
