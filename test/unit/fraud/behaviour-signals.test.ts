import { describe, expect, it } from 'vitest';
import type { EngagementEvent } from '../../../src/domain/event.js';
import { eventOf, MINUTE, T0, valueOf, verdictFor } from './fixtures.js';

/** `count` earlier actions by the same member, spread evenly over `spanMs` before T0. */
function earlier(count: number, spanMs: number, spec: Parameters<typeof eventOf>[0] = {}): EngagementEvent[] {
  return Array.from({ length: count }, (_, i) => eventOf({ ...spec, at: T0 - spanMs + (spanMs * i) / count }));
}

describe('member_burst', () => {
  it.each([
    ['a single comment', 0, 10 * MINUTE, 0],
    ['4 actions in 10 minutes (a lively thread)', 3, 10 * MINUTE, 0],
    ['6 actions in 10 minutes', 5, 10 * MINUTE, 0.5],
    ['8 actions in 10 minutes', 7, 10 * MINUTE, 1],
    ['3 actions in one minute', 2, 50_000, 0.333],
    ['5 actions in one minute', 4, 50_000, 1],
    ['8 actions spread over two hours', 7, 120 * MINUTE, 0],
  ])('%s → %s', (_name, before, span, expected) => {
    const prior = earlier(before, span, { mediaId: 'other', kind: 'reply' });
    expect(valueOf(verdictFor(eventOf(), { prior }), 'member_burst')).toBeCloseTo(expected, 2);
  });

  it('deletions are not actions', () => {
    const prior = earlier(7, 5 * MINUTE, { kind: 'comment_deleted' });
    expect(valueOf(verdictFor(eventOf(), { prior }), 'member_burst')).toBe(0);
  });

  it('another member acting fast does not count', () => {
    const prior = earlier(10, 5 * MINUTE, { user: 'someone-else' });
    expect(valueOf(verdictFor(eventOf(), { prior }), 'member_burst')).toBe(0);
  });
});

describe('media_burst', () => {
  it.each([
    ['a second comment on the post', 1, 0],
    ['the 4th comment in half an hour', 3, 0],
    ['the 6th', 5, 0.4],
    ['the 9th', 8, 1],
  ])('%s → %s', (_name, before, expected) => {
    const prior = earlier(before, 29 * MINUTE);
    expect(valueOf(verdictFor(eventOf(), { prior }), 'media_burst')).toBeCloseTo(expected, 2);
  });

  it('replies in a thread are conversation, not repeats', () => {
    const prior = earlier(8, 29 * MINUTE, { kind: 'reply' });
    expect(valueOf(verdictFor(eventOf({ kind: 'reply' }), { prior }), 'media_burst')).toBe(0);
    expect(valueOf(verdictFor(eventOf(), { prior }), 'media_burst')).toBe(0);
  });

  it('comments on other posts do not count', () => {
    const prior = earlier(8, 29 * MINUTE, { mediaId: 'other' });
    expect(valueOf(verdictFor(eventOf(), { prior }), 'media_burst')).toBe(0);
  });
});

describe('delete_recomment', () => {
  const deletes = (count: number, mediaId = 'media-1', spanMs = 20 * MINUTE): EngagementEvent[] =>
    earlier(count, spanMs, { kind: 'comment_deleted', mediaId });

  it.each([
    ['no delete', 0, 0],
    ['one delete on this post (a typo fixed)', 1, 0.333],
    ['two cycles on this post', 2, 0.667],
    ['three cycles on this post', 3, 1],
  ])('%s → %s', (_name, count, expected) => {
    expect(valueOf(verdictFor(eventOf(), { prior: deletes(count) }), 'delete_recomment')).toBeCloseTo(expected, 2);
  });

  it('a habit over the week counts even on a new post', () => {
    const prior = [...deletes(2, 'p1', 3 * 86_400_000), ...deletes(3, 'p2', 2 * 86_400_000)];
    expect(valueOf(verdictFor(eventOf(), { prior }), 'delete_recomment')).toBe(1);
  });

  it('one delete elsewhere this week is nothing', () => {
    expect(valueOf(verdictFor(eventOf(), { prior: deletes(1, 'p1', 2 * 86_400_000) }), 'delete_recomment')).toBe(0);
  });

  it('only a new top-level comment closes a cycle', () => {
    expect(valueOf(verdictFor(eventOf({ kind: 'reply' }), { prior: deletes(2) }), 'delete_recomment')).toBe(0);
  });
});

describe('duplicate_text and near_duplicate_text', () => {
  const TEMPLATE = 'والله أفضل قهوة جربتها في حياتي أنصح الجميع يجربونها 👌';
  const copiesBy = (members: number, text: string, minutesAgo = 30): EngagementEvent[] =>
    Array.from({ length: members }, (_, i) => eventOf({ user: `copier-${i}`, text, at: T0 - minutesAgo * MINUTE, mediaId: `post-${i}` }));

  it.each([
    ['no one else', 0, 0],
    ['one other account', 1, 0.333],
    ['two other accounts', 2, 0.667],
    ['three other accounts', 3, 1],
  ])('exact copy (after folding) of %s → %s', (_name, members, expected) => {
    const prior = copiesBy(members, 'واللـــه افضل قهوه جربتهاااا في حياتي انصح الجميع يجربونها 😍');
    expect(valueOf(verdictFor(eventOf({ text: TEMPLATE }), { prior }), 'duplicate_text')).toBeCloseTo(expected, 2);
  });

  it('an edited copy (a word swapped) is a near duplicate, not an exact one', () => {
    const prior = copiesBy(4, 'والله احسن قهوة جربتها في حياتي أنصح الجميع يجربونها');
    const verdict = verdictFor(eventOf({ text: TEMPLATE }), { prior });
    expect(valueOf(verdict, 'duplicate_text')).toBe(0);
    expect(valueOf(verdict, 'near_duplicate_text')).toBe(1);
  });

  it('short common texts are never compared: many honest people write them', () => {
    const prior = copiesBy(10, 'كم سعر الموكا؟');
    const verdict = verdictFor(eventOf({ text: 'كم سعر الموكا؟' }), { prior });
    expect(valueOf(verdict, 'duplicate_text')).toBe(0);
    expect(valueOf(verdict, 'near_duplicate_text')).toBe(0);
  });

  it('a common question needs more copies than a long sentence to count as much', () => {
    const question = 'كم نقطة احتاج عشان القهوة المجانية؟';
    const statement = 'كم نقطة احتاج عشان القهوة المجانية';
    const copies = (text: string, count: number) => valueOf(verdictFor(eventOf({ text }), { prior: copiesBy(count, text) }), 'duplicate_text');
    expect(copies(statement, 2)).toBeCloseTo(0.5, 2);
    expect(copies(question, 2)).toBe(0);
    expect(copies(question, 4)).toBeCloseTo(0.4, 2);
    expect(copies(question, 7)).toBe(1);
    expect(copies(TEMPLATE, 2)).toBeCloseTo(0.667, 2);
  });

  it('the member repeating itself, or copies older than a day, do not count', () => {
    const own = [eventOf({ text: TEMPLATE, at: T0 - 60 * MINUTE }), eventOf({ text: TEMPLATE, at: T0 - 50 * MINUTE })];
    const old = copiesBy(3, TEMPLATE, 25 * 60);
    expect(valueOf(verdictFor(eventOf({ text: TEMPLATE }), { prior: [...own, ...old] }), 'duplicate_text')).toBe(0);
  });
});

describe('generic_comment', () => {
  it.each([
    ['🔥🔥', 1],
    ['جميل', 1],
    ['ما شاء الله تبارك الله', 1],
    ['Love it 😍', 1],
    ['جربت اللاتيه امس وكان رهيب', 0],
  ])('%j → %s', (text, expected) => {
    expect(valueOf(verdictFor(eventOf({ text })), 'generic_comment')).toBe(expected);
  });

  it('one honest generic comment is allowed', () => {
    for (const text of ['🔥🔥', 'جميل', 'رووووعة 😍']) expect(verdictFor(eventOf({ text })).decision).toBe('allow');
  });
});
