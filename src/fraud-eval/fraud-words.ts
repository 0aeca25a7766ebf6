/**
 * What fraudsters write: pod praise, the one long comment an operator pastes
 * from many accounts (with the small edits that defeat naive matching), and
 * the filler of fresh and burst accounts.
 */
import type { Rng } from './rng.js';

const POD_PRAISE = [
  'Love this! 😍', 'Amazing content 🔥', 'So beautiful ✨', 'Wow this looks amazing! 😍', 'Great post!', 'Stunning 😍',
  'This is 🔥', 'Obsessed 😍', 'رائع جداً 👏', 'ابداع 🔥', 'تصوير رهيب 😍', 'محتوى جميل 👏', '👏👏', '🔥🔥🔥', 'Yesss 🙌',
];

const FRESH_FILLER = ['ابي اشارك', 'انا مشارك', 'ابي الجائزة 🙏', 'اريد افوز', 'دخلت المسابقة', 'تم', '😍😍', 'جميل', 'follow back', 'nice 🔥', 'مشاركة', '❤️❤️'];

const BURST_FILLER = ['🔥', 'nice', 'جميل', 'واو', '👏', 'love', 'حلو', '#قهوة_نقطة', 'top', '😍', 'رائع', 'yes', 'تم', 'ok 👍'];

export const COPY_TEMPLATES = [
  'والله أفضل قهوة جربتها في حياتي أنصح الجميع يجربونها 👌',
  'تعامل راقي وجودة عالية وأسعار مناسبة الله يوفقكم ويزيدكم من فضله',
  'أفضل مقهى في المملكة بدون منافس طعم القهوة ولا أروع ☕️',
  'شاركت في المسابقة وإن شاء الله أكون من الفائزين تابعوني ودعموني',
  'خدمة سريعة وطعم خيالي والموظفين قمة في الأخلاق شكراً لكم',
  'من أجمل المقاهي اللي زرتها المكان مريح والقهوة مختصة وطازجة',
] as const;

// Word swaps an operator uses so that copies are not byte-identical.
const SYNONYMS: Record<string, readonly string[]> = {
  'أفضل': ['احسن', 'أحلى'],
  'الجميع': ['الكل', 'كل الناس'],
  'راقي': ['رائع', 'مميز'],
  'خيالي': ['رهيب', 'ممتاز'],
  'أجمل': ['احلى', 'افضل'],
  'سريعة': ['ممتازة', 'سريعه جدا'],
};

const DIACRITICS = ['\u064E', '\u064F', '\u0650', '\u0651', '\u0652', '\u064B'];
const EMOJI = ['😍', '👌', '☕️', '🔥', '❤️', '🙏', '✨'];

type Edit = (rng: Rng, text: string) => string;

const CHARACTER_EDITS: Edit[] = [
  (r, t) => t.replace(/[\u0621-\u064A]/g, (letter) => (r.chance(0.25) ? letter + r.pick(DIACRITICS) : letter)),
  (r, t) => t.replace(/([\u0628-\u064A])([\u0628-\u064A])/, (_m, a: string, b: string) => `${a}${'ـ'.repeat(r.int(1, 4))}${b}`),
  (r, t) => t.replace(/([\u0621-\u064A])(?=\s|$)/, (letter: string) => letter.repeat(r.int(2, 5))),
  (_r, t) => t.replace(/أ/g, 'ا').replace(/إ/g, 'ا'),
  (_r, t) => t.replace(/ة(?=\s|$)/g, 'ه'),
  (r, t) => `${t} ${r.pick(EMOJI)}${r.chance(0.5) ? r.pick(EMOJI) : ''}`,
  (_r, t) => t.replace(/\p{Extended_Pictographic}\uFE0F?/gu, '').trim(),
  (r, t) => `${t}${r.pick(['!!', '..', ' !', '،'])}`,
];

const WORD_EDITS: Edit[] = [
  (r, t) => {
    const words = Object.keys(SYNONYMS).filter((word) => t.includes(word));
    if (words.length === 0) return `${t} والله`;
    const word = r.pick(words);
    return t.replace(word, r.pick(SYNONYMS[word] ?? [word]));
  },
  (r, t) => `${r.pick(['صراحة', 'والله', 'بصراحه', 'يا جماعة'])} ${t}`,
  (r, t) => `${t} ${r.pick(['جربوها', 'انصحكم', 'تستاهل', 'من جد'])}`,
];

/** One pasted copy: a few character-level edits, sometimes a word changed too. */
export function pastedCopy(rng: Rng, template: string): string {
  let text = template;
  for (const edit of rng.shuffle(CHARACTER_EDITS).slice(0, rng.int(1, 3))) text = edit(rng, text);
  if (rng.chance(0.35)) text = rng.pick(WORD_EDITS)(rng, text);
  return text;
}

export function podPraise(rng: Rng, podmate: string | undefined): string {
  const praise = rng.pick(POD_PRAISE);
  return podmate === undefined ? praise : `${praise} @${podmate}`;
}

export const freshFiller = (rng: Rng): string => rng.pick(FRESH_FILLER);
export const burstFiller = (rng: Rng): string =>
  Array.from({ length: rng.int(1, 3) }, () => rng.pick(BURST_FILLER)).join(' ');

/**
 * The cheapest farm's material: a stock blessing or praise and a product
 * word ("ما شاء الله القهوة"), with the small differences a farm tool adds
 * between copies so that none is byte-identical: tatweel, diacritics, a
 * stretched last letter, the phrase run together, an emoji or two.
 */
const STOCK_PRAISE = ['ما شاء الله', 'تبارك الرحمن', 'الله يبارك', 'روعة', 'يا سلام على'];
const PRODUCT_WORDS = ['القهوة', 'اللاتيه', 'الكرواسون', 'السبانش', 'كيكة التمر', 'الموكا'];

/** The two or three phrases one farm run uses, all about one product. */
export function stockPhrases(rng: Rng, count: number): string[] {
  const product = rng.pick(PRODUCT_WORDS);
  return rng.shuffle(STOCK_PRAISE).slice(0, count).map((praise) => `${praise} ${product}`);
}

const STOCK_EDITS: Edit[] = [
  (r, t) => t.replace(/([\u0628-\u064A])([\u0628-\u064A])/, (_m, a: string, b: string) => `${a}${'ـ'.repeat(r.int(1, 3))}${b}`),
  (r, t) => t.replace(/[\u0621-\u064A]/g, (letter) => (r.chance(0.2) ? letter + r.pick(DIACRITICS) : letter)),
  (r, t) => t.replace(/([\u0621-\u064A])$/, (letter: string) => letter.repeat(r.int(2, 5))),
  (_r, t) => t.replace('ما شاء الله', 'ماشاءالله'),
  (_r, t) => t.replace(/ة$/, 'ه'),
  (r, t) => `${t} ${r.pick(EMOJI)}${r.chance(0.5) ? r.pick(EMOJI) : ''}`,
];

/** One farm copy of a stock phrase. */
export function stockCopy(rng: Rng, phrase: string): string {
  let text = phrase;
  for (const edit of rng.shuffle(STOCK_EDITS).slice(0, rng.int(1, 3))) text = edit(rng, text);
  return text;
}
