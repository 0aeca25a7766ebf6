/**
 * A small seeded random source (mulberry32). Everything the emulator invents
 * (people, texts, ids, times) comes from one of these, so a seed replays the
 * same campaign byte for byte.
 */
import { fnv1a, mulberry32 } from '../../domain/seeded.js';

export interface Random {
  /** Uniform in [0, 1). */
  next(): number;
  /** Integer in [min, max], both inclusive. */
  int(min: number, max: number): number;
  chance(probability: number): boolean;
  pick<T>(items: readonly T[]): T;
  /** `length` decimal digits; the first is never 0 so the id keeps its length as a number. */
  digits(length: number): string;
  hex(length: number): string;
  base64(length: number): string;
  /** An independent stream, so adding draws in one part does not shift another part. */
  fork(label: string): Random;
}

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

export function createRandom(seed: number): Random {
  const next = mulberry32(seed);
  const int = (min: number, max: number): number => min + Math.floor(next() * (max - min + 1));
  const charsFrom = (alphabet: string, length: number, first = alphabet): string => {
    let out = first.charAt(Math.floor(next() * first.length));
    for (let i = 1; i < length; i += 1) out += alphabet.charAt(Math.floor(next() * alphabet.length));
    return out;
  };
  return {
    next,
    int,
    chance: (probability) => next() < probability,
    pick: <T>(items: readonly T[]): T => {
      const item = items[Math.floor(next() * items.length)];
      if (item === undefined) throw new RangeError('cannot pick from an empty list');
      return item;
    },
    digits: (length) => charsFrom('0123456789', length, '123456789'),
    hex: (length) => charsFrom('0123456789abcdef', length),
    base64: (length) => charsFrom(BASE64, length),
    fork: (label) => createRandom(seed ^ fnv1a(label)),
  };
}


/** Picks an index with probability proportional to its weight (cumulative sums, binary search). */
export function weightedPicker(weights: readonly number[]): (random: Random) => number {
  const cumulative: number[] = [];
  let total = 0;
  for (const weight of weights) {
    total += weight;
    cumulative.push(total);
  }
  if (total <= 0) throw new RangeError('weights must add up to more than 0');
  return (random) => {
    const target = random.next() * total;
    let low = 0;
    let high = cumulative.length - 1;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if ((cumulative[middle] ?? 0) > target) high = middle;
      else low = middle + 1;
    }
    return low;
  };
}
