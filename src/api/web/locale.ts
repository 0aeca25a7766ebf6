/**
 * The pages' two languages: Arabic first (right to left), English on request
 * (`?lang=en`). Numbers and dates are written in the page's locale.
 */
import { pointsText } from '../../domain/wording.js';

export type Lang = 'ar' | 'en';

export function langOf(query: unknown): Lang {
  const wanted = typeof query === 'object' && query !== null ? (query as Record<string, unknown>).lang : undefined;
  return wanted === 'en' ? 'en' : 'ar';
}

export function dirOf(lang: Lang): 'rtl' | 'ltr' {
  return lang === 'ar' ? 'rtl' : 'ltr';
}

/** The Intl locale of a page: Arabic as written in Saudi Arabia (Arabic-Indic digits), English with Western digits. */
export function localeOf(lang: Lang): string {
  return lang === 'ar' ? 'ar-SA' : 'en-GB';
}

export function formatNumber(lang: Lang, value: number): string {
  return new Intl.NumberFormat(localeOf(lang)).format(value);
}

export function formatDate(lang: Lang, date: Date, timeZone: string): string {
  return new Intl.DateTimeFormat(localeOf(lang), { dateStyle: 'medium', timeZone }).format(date);
}

/** Fills `{name}` slots of a page string. */
export function fill(template: string, values: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (slot, name: string) => values[name] ?? slot);
}

const ARABIC_INDIC = '٠١٢٣٤٥٦٧٨٩';

/** Sentences the API writes with Western digits ("باقي 300 نقطة"), in the digits of the page. */
export function localDigits(lang: Lang, text: string): string {
  return lang === 'ar' ? text.replace(/[0-9]/g, (digit) => ARABIC_INDIC[Number(digit)] ?? digit) : text;
}

/** "1,500 points" / "١٥٠٠ نقطة", the Arabic noun agreeing with the number. */
export function pointsIn(lang: Lang, count: number): string {
  return lang === 'en' ? `${formatNumber(lang, count)} ${Math.abs(count) === 1 ? 'point' : 'points'}` : localDigits(lang, pointsText(count).ar);
}
