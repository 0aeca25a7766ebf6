/**
 * A number with its noun, in English and Arabic. Arabic agreement depends on
 * the number: one and two have their own words ("نقطة واحدة", "نقطتان"),
 * 3–10 take the plural ("5 نقاط"), 11–99 the singular accusative ("40 نقطة",
 * "15 يومًا"), and 0, 100, 101, 102, 200… the singular genitive ("100 يوم").
 * The last two digits decide, so 103 reads like 3 and 111 like 11.
 */

import type { Localized } from './localized.js';

export interface ArabicNumberForms {
  one: string;
  two: string;
  /** 3–10: plural. */
  few: string;
  /** 11–99: singular, accusative. */
  many: string;
  /** 0, 100, 101, 102, 200…: singular, genitive. */
  hundreds: string;
}

export interface CountableNoun {
  en: readonly [singular: string, plural: string];
  ar: ArabicNumberForms;
}

/** "10 points" / "10 نقاط"; a negative count is worded by its magnitude and keeps its sign. */
export function counted(count: number, noun: CountableNoun): Localized {
  const magnitude = Math.abs(count);
  const en = `${count} ${magnitude === 1 ? noun.en[0] : noun.en[1]}`;
  if (magnitude === 1) return { en, ar: noun.ar.one };
  if (magnitude === 2) return { en, ar: noun.ar.two };
  const lastTwo = magnitude % 100;
  const form = lastTwo >= 3 && lastTwo <= 10 ? noun.ar.few : lastTwo <= 2 ? noun.ar.hundreds : noun.ar.many;
  return { en, ar: `${count} ${form}` };
}
