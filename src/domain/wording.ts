/**
 * Counted nouns and names in English and Arabic. The Arabic agreement
 * ("5 نقاط" but "40 نقطة") comes from `counted` in src/domain.
 */
import { counted, type CountableNoun } from './counted.js';
import type { EventKind } from './event.js';
import type { Localized } from './localized.js';

const POINT: CountableNoun = {
  en: ['point', 'points'],
  ar: { one: 'نقطة واحدة', two: 'نقطتان', few: 'نقاط', many: 'نقطة', hundreds: 'نقطة' },
};
const DAY: CountableNoun = {
  en: ['day', 'days'],
  ar: { one: 'يوم واحد', two: 'يومان', few: 'أيام', many: 'يومًا', hundreds: 'يوم' },
};
const LETTER: CountableNoun = {
  en: ['character', 'characters'],
  ar: { one: 'حرف واحد', two: 'حرفان', few: 'أحرف', many: 'حرفًا', hundreds: 'حرف' },
};
const SECOND: CountableNoun = {
  en: ['second', 'seconds'],
  ar: { one: 'ثانية واحدة', two: 'ثانيتان', few: 'ثوانٍ', many: 'ثانية', hundreds: 'ثانية' },
};
const MINUTE: CountableNoun = {
  en: ['minute', 'minutes'],
  ar: { one: 'دقيقة واحدة', two: 'دقيقتان', few: 'دقائق', many: 'دقيقة', hundreds: 'دقيقة' },
};
const HOUR: CountableNoun = {
  en: ['hour', 'hours'],
  ar: { one: 'ساعة واحدة', two: 'ساعتان', few: 'ساعات', many: 'ساعة', hundreds: 'ساعة' },
};

export const pointsText = (count: number): Localized => counted(count, POINT);
export const daysText = (count: number): Localized => counted(count, DAY);
export const charactersText = (count: number): Localized => counted(count, LETTER);

const UNITS: readonly [ms: number, noun: CountableNoun][] = [
  [86_400_000, DAY],
  [3_600_000, HOUR],
  [60_000, MINUTE],
  [1_000, SECOND],
];

/** A cooldown in the largest unit that divides it: 600000 → "10 minutes" / "10 دقائق". */
export function durationText(ms: number): Localized {
  for (const [unit, noun] of UNITS) {
    if (ms >= unit && ms % unit === 0) return counted(ms / unit, noun);
  }
  return { en: `${ms} ms`, ar: `${ms} ملي ثانية` };
}

const KIND_NAMES: Record<EventKind, Localized> = {
  comment: { en: 'comment', ar: 'التعليق' },
  reply: { en: 'reply', ar: 'الرد' },
  mention: { en: 'mention', ar: 'الإشارة' },
  story_mention: { en: 'story mention', ar: 'الإشارة في القصة' },
  hashtag_post: { en: 'hashtag post', ar: 'المنشور بالوسم' },
  like: { en: 'like', ar: 'الإعجاب' },
  share: { en: 'share', ar: 'المشاركة' },
  save: { en: 'save', ar: 'الحفظ' },
  follow: { en: 'follow', ar: 'المتابعة' },
  dm: { en: 'direct message', ar: 'الرسالة الخاصة' },
  comment_deleted: { en: 'deleted comment', ar: 'حذف التعليق' },
  unfollow: { en: 'unfollow', ar: 'إلغاء المتابعة' },
  purchase: { en: 'purchase', ar: 'الشراء' },
  order_refunded: { en: 'refunded order', ar: 'استرداد الطلب' },
};

export function kindName(kind: EventKind): Localized {
  return KIND_NAMES[kind];
}
