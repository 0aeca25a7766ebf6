import { mulberry32 } from '../domain/seeded.js';

/** A small seeded random source, so every synthetic population can be rebuilt from its seed. */
export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
  between(min: number, max: number): number;
  int(min: number, maxInclusive: number): number;
  chance(probability: number): boolean;
  pick<T>(items: readonly T[]): T;
  /** Exponential with the given mean. */
  exponential(mean: number): number;
  /** Log-normal around a median; `spread` is the sigma of the underlying normal. */
  logNormal(median: number, spread: number): number;
  shuffle<T>(items: readonly T[]): T[];
}

export function seededRng(seed: number): Rng {
  const next = mulberry32(seed);
  const normal = (): number => Math.sqrt(-2 * Math.log(1 - next())) * Math.cos(2 * Math.PI * next());
  const rng: Rng = {
    next,
    between: (min, max) => min + (max - min) * next(),
    int: (min, maxInclusive) => min + Math.floor(next() * (maxInclusive - min + 1)),
    chance: (probability) => next() < probability,
    pick: (items) => {
      const item = items[Math.floor(next() * items.length)];
      if (item === undefined) throw new RangeError('pick from an empty list');
      return item;
    },
    exponential: (mean) => -mean * Math.log(1 - next()),
    logNormal: (median, spread) => median * Math.exp(spread * normal()),
    shuffle: <T>(items: readonly T[]): T[] => {
      const copy = [...items];
      for (let i = copy.length - 1; i > 0; i -= 1) {
        const j = Math.floor(next() * (i + 1));
        const swap = copy[i] as T;
        copy[i] = copy[j] as T;
        copy[j] = swap;
      }
      return copy;
    },
  };
  return rng;
}
