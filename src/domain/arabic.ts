/**
 * Arabic text folding shared by hashtags and text comparison: the same word
 * typed with or without diacritics, tatweel or letter variants folds to one form.
 */
const DIACRITICS = /[\u0610-\u061A\u064B-\u065F\u0670\u06D6-\u06ED]/g;
const TATWEEL = /\u0640/g;

export function foldArabicLetters(text: string): string {
  return text
    .normalize('NFKC')
    .replace(DIACRITICS, '')
    .replace(TATWEEL, '')
    .replace(/[\u0622\u0623\u0625\u0671]/g, '\u0627') // آ أ إ ٱ → ا
    .replace(/\u0649/g, '\u064A') // ى → ي
    .replace(/\u0629/g, '\u0647') // ة → ه
    .replace(/\u0624/g, '\u0648') // ؤ → و
    .replace(/\u0626/g, '\u064A'); // ئ → ي
}

// Emoji, their joiners, variation selectors and skin tones: decoration that
// says nothing about whether two comments are the same comment.
const EMOJI = /[\p{Extended_Pictographic}\p{Regional_Indicator}\u{1F3FB}-\u{1F3FF}\u200D\uFE0E\uFE0F\u20E3]/gu;
// Direction marks and zero-width joiners copied along with text from other apps.
const INVISIBLE = /[\u200B\u200C\u200E\u200F\u202A-\u202E\u2066-\u2069\u061C]/g;
const ARABIC_INDIC_DIGIT = /[\u0660-\u0669\u06F0-\u06F9]/g;

/** Emoji and the invisible marks around them removed; everything else untouched. */
export function stripEmoji(text: string): string {
  return text.replace(EMOJI, '').replace(INVISIBLE, '');
}

/** True when a text has at least one emoji and nothing else but spaces and punctuation. */
export function isEmojiOnly(text: string): boolean {
  EMOJI.lastIndex = 0;
  return EMOJI.test(text) && !/[\p{L}\p{N}]/u.test(stripEmoji(text));
}

/**
 * A comparison key for short social texts, not for display: two comments a
 * reader would call "the same words" get the same key. On top of
 * `foldArabicLetters`: Persian letter forms, Arabic-Indic digits, case,
 * punctuation and emoji dropped, and every run of a repeated letter collapsed
 * to one ("رائعععع" → "رائع", "sooo" → "so"). Collapsing doubles too
 * ("الله" → "اله") keeps "مممتاز" and "ممتاز" together, which matters more for
 * comparison than readability.
 */
export function foldForComparison(text: string): string {
  return foldArabicLetters(stripEmoji(text))
    .replace(/\u06A9/g, '\u0643') // ک → ك
    .replace(/[\u06CC\u06D2]/g, '\u064A') // ی ے → ي
    .replace(/[\u06C1\u06C2\u06C3\u06D5]/g, '\u0647') // ہ ۂ ۃ ە → ه
    .replace(ARABIC_INDIC_DIGIT, (digit) => String((digit.charCodeAt(0) - (digit >= '\u06F0' ? 0x06f0 : 0x0660)) % 10))
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s]/gu, ' ')
    .replace(/(\p{L})\1+/gu, '$1')
    .replace(/\s+/g, ' ')
    .trim();
}
