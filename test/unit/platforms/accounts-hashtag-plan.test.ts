import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HASHTAG_SEARCH_LIMIT, HASHTAG_SEARCH_WINDOW_MS, planHashtagSearches } from '../../../src/platforms/instagram/poller-hashtags.js';

const now = new Date('2027-03-08T12:00:00Z');
const daysAgo = (days: number): Date => new Date(now.getTime() - days * 86_400_000);

describe('planHashtagSearches (30 unique hashtags per account per 7 days)', () => {
  it('reuses ids searched within 7 days, searches new hashtags while the allowance lasts, and leaves the rest out', () => {
    const previous = [
      { name: 'qahwacorner', id: '17843000000000001', searchedAt: daysAgo(6) },
      { name: 'old_tag', id: '17843000000000002', searchedAt: daysAgo(8) },
      ...Array.from({ length: 27 }, (_, i) => ({ name: `other${i}`, id: `1784300000000010${i}`, searchedAt: daysAgo(1) })),
    ];
    const plan = planHashtagSearches(previous, ['qahwacorner', 'قهوه_نقطه', 'new_one', 'new_two', 'qahwacorner'], now);
    expect(plan.known).toEqual([{ name: 'qahwacorner', id: '17843000000000001' }]);
    // 28 searches stand within the window (old_tag has left it): two left.
    expect(plan.search).toEqual(['قهوه_نقطه', 'new_one']);
    expect(plan.overBudget).toEqual(['new_two']);
    expect(plan.recent.map((search) => search.name)).not.toContain('old_tag');
  });

  it('never plans more unique searches than the allowance in any 7 days', () => {
    const tag = fc.stringMatching(/^[a-z]{1,6}$/);
    fc.assert(
      fc.property(
        fc.array(fc.record({ name: tag, days: fc.double({ min: 0, max: 10, noNaN: true }) }), { maxLength: 40 }),
        fc.array(tag, { maxLength: 60 }),
        (history, wanted) => {
          const seen = new Map(history.map((h) => [h.name, { name: h.name, id: `id-${h.name}`, searchedAt: daysAgo(h.days) }]));
          const plan = planHashtagSearches([...seen.values()], wanted, now);
          const recent = [...seen.values()].filter((s) => now.getTime() - s.searchedAt.getTime() < HASHTAG_SEARCH_WINDOW_MS);
          expect(plan.recent).toHaveLength(recent.length);
          expect(Math.max(recent.length, HASHTAG_SEARCH_LIMIT)).toBeGreaterThanOrEqual(recent.length + plan.search.length);
          expect(new Set([...plan.known.map((k) => k.name), ...plan.search, ...plan.overBudget])).toEqual(new Set(wanted));
        },
      ),
    );
  });
});
