import { describe, expect, it } from 'vitest';
import { createPopulation } from '../../../src/platforms/emulator/population.js';

const ARABIC = /[\u0600-\u06FF]/;

describe('createPopulation', () => {
  it('gives the same followers for the same seed and different ones for another seed', () => {
    const first = createPopulation({ seed: 42, size: 200 });
    expect(createPopulation({ seed: 42, size: 200 })).toEqual(first);
    const other = createPopulation({ seed: 43, size: 200 });
    expect(other.followers.map((f) => f.instagram.id)).not.toEqual(first.followers.map((f) => f.instagram.id));
  });

  it('mixes Arabic and English display names, in the requested proportion', () => {
    const { followers } = createPopulation({ seed: 1, size: 1000 });
    const arabic = followers.filter((f) => f.locale === 'ar');
    expect(arabic.length / followers.length).toBeGreaterThan(0.58);
    expect(arabic.length / followers.length).toBeLessThan(0.72);
    expect(arabic.every((f) => ARABIC.test(f.displayName) && /^\S+ \S+$/u.test(f.displayName))).toBe(true);
    expect(followers.filter((f) => f.locale === 'en').every((f) => /^[A-Z][a-z]+ [A-Z][A-Za-z-]+$/.test(f.displayName))).toBe(true);
    expect(createPopulation({ seed: 1, size: 300, arabicShare: 1 }).followers.every((f) => f.locale === 'ar')).toBe(true);
  });

  it('writes Gulf family names the way their owners do ("Faisal Al-Harbi")', () => {
    const names = createPopulation({ seed: 3, size: 1000 }).followers.map((f) => f.displayName);
    expect(names.some((name) => / Al-[A-Z][a-z]+$/.test(name))).toBe(true);
    expect(names.some((name) => /^\S+ ال\S+$/u.test(name))).toBe(true);
  });

  it('gives every follower unique, platform-shaped ids and handles', () => {
    const { followers } = createPopulation({ seed: 9, size: 2000 });
    const unique = (values: string[]): number => new Set(values).size;
    expect(unique(followers.map((f) => f.instagram.id))).toBe(followers.length);
    expect(unique(followers.map((f) => f.instagram.username))).toBe(followers.length);
    expect(unique(followers.map((f) => f.tiktok.userId))).toBe(followers.length);
    expect(unique(followers.map((f) => f.tiktok.uniqueIdentifier))).toBe(followers.length);
    expect(unique(followers.map((f) => f.tiktok.username))).toBe(followers.length);
    for (const follower of followers) {
      expect(follower.instagram.id).toMatch(/^\d{17}$/);
      expect(follower.instagram.username).toMatch(/^[a-z0-9._]{1,30}$/);
      expect(follower.tiktok.userId).toMatch(/^[0-9a-f]{64}$/);
      expect(follower.tiktok.uniqueIdentifier).toMatch(/^[A-Za-z0-9+/]{64}$/);
      expect(follower.tiktok.displayName).toBe(follower.displayName);
    }
  });

  it('makes activity heavy-tailed: a few followers weigh as much as the many', () => {
    const activity = createPopulation({ seed: 5, size: 1000 }).followers.map((f) => f.activity).sort((a, b) => b - a);
    const total = activity.reduce((sum, a) => sum + a, 0);
    const topTenth = activity.slice(0, 100).reduce((sum, a) => sum + a, 0);
    expect(topTenth / total).toBeGreaterThan(0.3);
    const median = activity[500] ?? 0;
    expect(activity[0] ?? 0).toBeGreaterThan(20 * median);
  });

  it('refuses a population without followers', () => {
    expect(() => createPopulation({ seed: 1, size: 0 })).toThrow(RangeError);
  });
});
