import { foldArabicLetters } from './arabic.js';

/** `#قهوة_نقطة`, `قَهوة_نقطة` and `#Nuqta` compare as `قهوه_نقطه` and `nuqta`. */
export function normalizeHashtag(tag: string): string {
  return foldArabicLetters(tag.trim().replace(/^[#＃]+/, '')).toLowerCase();
}
