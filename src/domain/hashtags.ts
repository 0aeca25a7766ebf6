import { foldArabicLetters } from './arabic.js';

/**
 * A hashtag has two forms. Its spelling is what people type and what the
 * platform searches: Instagram treats `قهوة_نقطة` and `قهوه_نقطه` as two
 * hashtags. Its folded form is what nuqta matches on, so every spelling of
 * the same word counts for the campaign.
 */

/** The hashtag as written, without `#` and surrounding spaces (Unicode NFC, nothing else changed): for the platform's search. */
export function hashtagSpelling(tag: string): string {
  return tag.trim().replace(/^[#＃]+/, '').normalize('NFC');
}

/** `#قهوة_نقطة`, `قَهوة_نقطة`, `قهـوه_نقطه` and `#Nuqta` compare as `قهوه_نقطه` and `nuqta`. */
export function normalizeHashtag(tag: string): string {
  return foldArabicLetters(hashtagSpelling(tag)).toLowerCase();
}
