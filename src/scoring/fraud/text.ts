/**
 * What the text signals need to know about a comment, computed once per event.
 * The comparison key comes from `foldForComparison`; mentions, links and
 * hashtags are dropped first because they differ between copies of one
 * comment ("@friend") or are campaign boilerplate ("#قهوة_نقطة").
 */
import { foldForComparison } from '../../domain/arabic.js';
import type { EngagementEvent } from '../../domain/event.js';
import { GENERIC_WORDS } from './generic-words.js';

export interface TextFeatures {
  /** The comparison key: folded, without mentions, links, hashtags and emoji. */
  key: string;
  /** Only emoji, stock words or nothing at all once mentions and hashtags are gone. */
  generic: boolean;
  /** Words that are not stock words: how specific the text is. */
  contentWords: number;
  /**
   * Long and specific enough that two members writing it independently is
   * unlikely; only such texts are compared for copies.
   */
  comparable: boolean;
  /** Asks something ("?" or "؟"): the brand's followers ask the same things independently. */
  question: boolean;
  /**
   * For short texts (not comparable), the key with its spaces removed, so
   * "ما شاء الله" and "ماشاءالله" are one: what a crowd of accounts posting
   * the same stock text share. Undefined for long texts and empty keys.
   */
  waveKey: string | undefined;
  /** Character 3-grams of the key, for near-copy similarity (empty unless comparable). */
  shingles: ReadonlySet<string>;
}

const NOISE = /(?:https?:\/\/|www\.)\S+|[@＠][\p{L}\p{N}._]+|[#＃][\p{L}\p{M}\p{N}_]+/gu;
const MIN_CONTENT_WORDS = 5;
const MIN_KEY_LENGTH = 25;

export function textFeaturesOfText(text: string): TextFeatures {
  const key = foldForComparison(text.replace(NOISE, ' '));
  const words = key.length === 0 ? [] : key.split(' ');
  const contentWords = words.filter((word) => word.length > 1 && !GENERIC_WORDS.has(word)).length;
  const generic = words.every((word) => GENERIC_WORDS.has(word) || word.length === 1);
  const comparable = contentWords >= MIN_CONTENT_WORDS && key.length >= MIN_KEY_LENGTH;
  const question = /[?؟]/.test(text);
  const waveKey = comparable || key.length === 0 ? undefined : key.replace(/ /g, '');
  return { key, generic, contentWords, comparable, question, waveKey, shingles: comparable ? shinglesOf(key) : new Set() };
}

// History is rebuilt for every scored event and the same stored event shows up
// in hundreds of them; folding its text once per event object keeps scoring
// linear. Keyed weakly by the object, so nothing outlives the event.
const cache = new WeakMap<EngagementEvent, TextFeatures | null>();

export function textFeaturesOf(event: EngagementEvent): TextFeatures | undefined {
  const cached = cache.get(event);
  if (cached !== undefined) return cached ?? undefined;
  const features = event.text === undefined ? null : textFeaturesOfText(event.text);
  cache.set(event, features);
  return features ?? undefined;
}

function shinglesOf(key: string): Set<string> {
  const padded = ` ${key} `;
  const shingles = new Set<string>();
  for (let i = 0; i + 3 <= padded.length; i += 1) shingles.add(padded.slice(i, i + 3));
  return shingles;
}

/** Jaccard similarity of two texts' 3-grams: 1 for the same key, near 0 for unrelated texts. */
export function textSimilarity(a: TextFeatures, b: TextFeatures): number {
  if (a.key === b.key) return 1;
  const [small, large] = a.shingles.size <= b.shingles.size ? [a.shingles, b.shingles] : [b.shingles, a.shingles];
  if (small.size === 0) return 0;
  let shared = 0;
  for (const shingle of small) if (large.has(shingle)) shared += 1;
  return shared / (small.size + large.size - shared);
}
