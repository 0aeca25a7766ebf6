/**
 * Counted nouns for reason texts. Arabic agreement depends on the number
 * (1, 2, 3–10, 11–99, hundreds): "3 حسابات" but "40 حسابًا".
 */
import type { FraudText } from './types.js';

interface Noun {
  en: [singular: string, plural: string];
  ar: { one: string; two: string; few: string; many: string; hundreds: string };
}

const NOUNS = {
  day: { en: ['day', 'days'], ar: { one: 'يوم واحد', two: 'يومان', few: 'أيام', many: 'يومًا', hundreds: 'يوم' } },
  minute: { en: ['minute', 'minutes'], ar: { one: 'دقيقة واحدة', two: 'دقيقتان', few: 'دقائق', many: 'دقيقة', hundreds: 'دقيقة' } },
  account: { en: ['account', 'accounts'], ar: { one: 'حساب واحد', two: 'حسابان', few: 'حسابات', many: 'حسابًا', hundreds: 'حساب' } },
  action: { en: ['action', 'actions'], ar: { one: 'تفاعل واحد', two: 'تفاعلان', few: 'تفاعلات', many: 'تفاعلًا', hundreds: 'تفاعل' } },
  post: { en: ['post', 'posts'], ar: { one: 'منشور واحد', two: 'منشوران', few: 'منشورات', many: 'منشورًا', hundreds: 'منشور' } },
  follower: { en: ['follower', 'followers'], ar: { one: 'متابع واحد', two: 'متابعان', few: 'متابعين', many: 'متابعًا', hundreds: 'متابع' } },
  comment: { en: ['comment', 'comments'], ar: { one: 'تعليق واحد', two: 'تعليقان', few: 'تعليقات', many: 'تعليقًا', hundreds: 'تعليق' } },
  participant: { en: ['participant', 'participants'], ar: { one: 'مشارك واحد', two: 'مشاركان', few: 'مشاركين', many: 'مشاركًا', hundreds: 'مشارك' } },
  time: { en: ['time', 'times'], ar: { one: 'مرة واحدة', two: 'مرتان', few: 'مرات', many: 'مرة', hundreds: 'مرة' } },
} as const satisfies Record<string, Noun>;

export type CountedNoun = keyof typeof NOUNS;

export function counted(count: number, noun: CountedNoun): FraudText {
  const forms: Noun = NOUNS[noun];
  const en = `${count} ${count === 1 ? forms.en[0] : forms.en[1]}`;
  if (count === 0) return { en, ar: `0 ${forms.ar.hundreds}` };
  if (count === 1) return { en, ar: forms.ar.one };
  if (count === 2) return { en, ar: forms.ar.two };
  const lastTwo = count % 100;
  const form = lastTwo >= 3 && lastTwo <= 10 ? forms.ar.few : lastTwo <= 2 ? forms.ar.hundreds : forms.ar.many;
  return { en, ar: `${count} ${form}` };
}
