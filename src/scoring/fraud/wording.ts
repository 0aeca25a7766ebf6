/**
 * Counted nouns for reason texts; the Arabic agreement ("3 حسابات" but
 * "40 حسابًا") comes from `counted` in src/domain.
 */
import { counted as countedNoun, type CountableNoun } from '../../domain/counted.js';
import type { FraudText } from './types.js';

const NOUNS = {
  day: { en: ['day', 'days'], ar: { one: 'يوم واحد', two: 'يومان', few: 'أيام', many: 'يومًا', hundreds: 'يوم' } },
  second: { en: ['second', 'seconds'], ar: { one: 'ثانية واحدة', two: 'ثانيتان', few: 'ثوانٍ', many: 'ثانية', hundreds: 'ثانية' } },
  minute: { en: ['minute', 'minutes'], ar: { one: 'دقيقة واحدة', two: 'دقيقتان', few: 'دقائق', many: 'دقيقة', hundreds: 'دقيقة' } },
  account: { en: ['account', 'accounts'], ar: { one: 'حساب واحد', two: 'حسابان', few: 'حسابات', many: 'حسابًا', hundreds: 'حساب' } },
  action: { en: ['action', 'actions'], ar: { one: 'تفاعل واحد', two: 'تفاعلان', few: 'تفاعلات', many: 'تفاعلًا', hundreds: 'تفاعل' } },
  post: { en: ['post', 'posts'], ar: { one: 'منشور واحد', two: 'منشوران', few: 'منشورات', many: 'منشورًا', hundreds: 'منشور' } },
  follower: { en: ['follower', 'followers'], ar: { one: 'متابع واحد', two: 'متابعان', few: 'متابعين', many: 'متابعًا', hundreds: 'متابع' } },
  comment: { en: ['comment', 'comments'], ar: { one: 'تعليق واحد', two: 'تعليقان', few: 'تعليقات', many: 'تعليقًا', hundreds: 'تعليق' } },
  participant: { en: ['participant', 'participants'], ar: { one: 'مشارك واحد', two: 'مشاركان', few: 'مشاركين', many: 'مشاركًا', hundreds: 'مشارك' } },
  time: { en: ['time', 'times'], ar: { one: 'مرة واحدة', two: 'مرتان', few: 'مرات', many: 'مرة', hundreds: 'مرة' } },
} as const satisfies Record<string, CountableNoun>;

export type CountedNoun = keyof typeof NOUNS;

export function counted(count: number, noun: CountedNoun): FraudText {
  return countedNoun(count, NOUNS[noun]);
}
