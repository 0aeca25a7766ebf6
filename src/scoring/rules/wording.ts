/**
 * Counted nouns and names in English and Arabic. Arabic agreement depends on
 * the number (1, 2, 3–10, 11–99, hundreds), so "5 نقاط" but "40 نقطة".
 */
import type { EventKind } from '../../domain/event.js';
import type { Localized } from './types.js';

interface ArabicForms {
  one: string;
  two: string;
  /** 3–10: plural. */
  few: string;
  /** 11–99: singular, accusative. */
  many: string;
  /** 100, 101, 102, 200…: singular, genitive. */
  hundreds: string;
}

interface Noun {
  en: [singular: string, plural: string];
  ar: ArabicForms;
}

const POINT: Noun = {
  en: ['point', 'points'],
  ar: { one: 'نقطة واحدة', two: 'نقطتان', few: 'نقاط', many: 'نقطة', hundreds: 'نقطة' },
};
const DAY: Noun = {
  en: ['day', 'days'],
  ar: { one: 'يوم واحد', two: 'يومان', few: 'أيام', many: 'يومًا', hundreds: 'يوم' },
};
const LETTER: Noun = {
  en: ['character', 'characters'],
  ar: { one: 'حرف واحد', two: 'حرفان', few: 'أحرف', many: 'حرفًا', hundreds: 'حرف' },
};
const SECOND: Noun = {
  en: ['second', 'seconds'],
  ar: { one: 'ثانية واحدة', two: 'ثانيتان', few: 'ثوانٍ', many: 'ثانية', hundreds: 'ثانية' },
};
const MINUTE: Noun = {
  en: ['minute', 'minutes'],
  ar: { one: 'دقيقة واحدة', two: 'دقيقتان', few: 'دقائق', many: 'دقيقة', hundreds: 'دقيقة' },
};
const HOUR: Noun = {
  en: ['hour', 'hours'],
  ar: { one: 'ساعة واحدة', two: 'ساعتان', few: 'ساعات', many: 'ساعة', hundreds: 'ساعة' },
};

function counted(count: number, noun: Noun): Localized {
  const magnitude = Math.abs(count);
  const en = `${count} ${magnitude === 1 ? noun.en[0] : noun.en[1]}`;
  if (magnitude === 1) return { en, ar: noun.ar.one };
  if (magnitude === 2) return { en, ar: noun.ar.two };
  const lastTwo = magnitude % 100;
  const form = lastTwo >= 3 && lastTwo <= 10 ? noun.ar.few : lastTwo <= 2 ? noun.ar.hundreds : noun.ar.many;
  return { en, ar: `${count} ${form}` };
}

export const pointsText = (count: number): Localized => counted(count, POINT);
export const daysText = (count: number): Localized => counted(count, DAY);
export const charactersText = (count: number): Localized => counted(count, LETTER);

const UNITS: readonly [ms: number, noun: Noun][] = [
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
};

export function kindName(kind: EventKind): Localized {
  return KIND_NAMES[kind];
}
