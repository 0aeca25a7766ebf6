/**
 * Material for synthetic comments about a Gulf coffee brand: stock reactions
 * and slot-filled specific comments in Gulf Arabic and English, the way
 * followers actually write them (spelling varies, emoji everywhere).
 */
import type { Rng } from './rng.js';

export type Language = 'ar' | 'en' | 'mixed';

const GENERIC_AR = [
  'جميل', 'جميل 😍', 'حلو', 'رووعه', 'روعة 👏', 'يجنن', 'يهبل 😍', 'ما شاء الله', 'ماشاءالله تبارك الله',
  'تبارك الرحمن', 'الله يوفقكم', 'بالتوفيق', 'كفو', 'لذيذ 😋', 'احبكم ❤️', 'رهيب', 'فخم 👌', 'ابداع',
  'الله يعطيكم العافية', 'يسلمو', 'واو', 'خطير 🔥',
];
const GENERIC_EN = ['Nice', 'Love it 😍', 'wow', 'So good!!', 'Amazing ✨', 'Yum 😋', 'Beautiful', 'Perfect 👌', 'omg love this', 'cute', 'Great!'];
const GENERIC_EMOJI = ['🔥🔥', '❤️', '😍😍', '👏👏👏', '☕️❤️', '🔥', '😋', '🙌', '💯', '🤎🤎'];
const ENTRY = ['تم ✅', 'مشاركة 🙏', 'تم المشاركة', 'done ✅', 'مشارك 🤞', 'تم #قهوة_نقطة'];

const DRINK_AR = ['اللاتيه', 'الكابتشينو', 'القهوة السعودية', 'السبانش لاتيه', 'الكورتادو', 'الموكا', 'الايس لاتيه', 'الفلات وايت', 'الV60', 'شاي الكرك', 'الماتشا', 'الكولد برو'];
const DRINK_EN = ['latte', 'cappuccino', 'spanish latte', 'cortado', 'mocha', 'iced latte', 'flat white', 'V60', 'karak', 'matcha', 'cold brew'];
const ITEM_AR = ['كيكة التمر', 'الكوكيز', 'الكرواسون', 'التشيز كيك', 'البراونيز', 'ساندويش الحلوم', 'المعمول', 'كيكة الزعفران'];
const ITEM_EN = ['date cake', 'cookies', 'croissant', 'cheesecake', 'brownies', 'halloumi sandwich', 'saffron cake'];
const ADJ_AR = ['رهيب', 'خيالي', 'ممتاز', 'مضبوط', 'لذيذ مره', 'عادي', 'احلى من قبل', 'ثقيل شوي', 'بارد زيادة', 'يعدل المزاج'];
const ADJ_EN = ['amazing', 'so smooth', 'a bit too sweet', 'perfect', 'really strong', 'just ok', 'better than last time'];
const CITY = ['الرياض', 'جدة', 'الدمام', 'الخبر', 'مكة', 'المدينة', 'ابها', 'الطائف', 'الكويت', 'دبي', 'الدوحة', 'المنامة', 'مسقط', 'تبوك', 'حائل'];
const CITY_EN = ['Riyadh', 'Jeddah', 'Dammam', 'Khobar', 'Kuwait', 'Dubai', 'Doha', 'Manama', 'Muscat', 'Abha'];
const DISTRICT = ['النرجس', 'الملقا', 'العليا', 'الروضة', 'الشاطئ', 'السلامة', 'الفيصلية', 'الياسمين', 'الحمراء'];
const WHEN_AR = ['امس', 'اليوم الصبح', 'بعد التراويح', 'الويكند', 'قبل الدوام', 'مع الشلة', 'بعد الفطور', 'الساعة ١١ بالليل'];
const WHEN_EN = ['yesterday', 'this morning', 'after work', 'last weekend', 'with the girls', 'before class'];
const OPENER_AR = ['', '', '', 'والله ', 'بصراحة ', 'صراحة ', 'يا جماعة ', 'امس '];

type Slots = (rng: Rng, friend: string) => string;

const SPECIFIC_AR: Slots[] = [
  (r) => `${r.pick(OPENER_AR)}جربت ${r.pick(DRINK_AR)} ${r.pick(WHEN_AR)} وكان ${r.pick(ADJ_AR)}`,
  (r) => `${r.pick(DRINK_AR)} عندكم ${r.pick(ADJ_AR)} بس الزحمة ${r.pick(['كثيرة', 'مو طبيعية', 'تطفش'])}`,
  (r) => `متى تفتحون فرع في ${r.pick(CITY)}${r.pick(['؟', '؟؟', ' 🙏', ''])}`,
  (r) => `هل فيه توصيل لحي ${r.pick(DISTRICT)}${r.pick(['؟', ' ؟', ''])}`,
  (r) => `كم سعر ${r.pick(DRINK_AR)} ${r.pick(['الحجم الكبير', 'الوسط', 'الجديد', ''])}؟`,
  (_r, friend) => `@${friend} لازم نروح ${_r.pick(WHEN_AR)}`,
  (r) => `افضل ${r.pick(DRINK_AR)} في ${r.pick(CITY)} ${r.pick(['بدون مبالغة', 'وبس', 'بلا منازع', ''])}`,
  (r) => `الموظف في فرع ${r.pick(DISTRICT)} تعامله ${r.pick(['راقي', 'ممتاز', 'يفتح النفس', 'يحتاج تدريب'])}`,
  (r) => `ياليت ترجعون ${r.pick(ITEM_AR)} ${r.pick(['كان يجنن', 'اشتقنا له', 'الله يخليكم', ''])}`,
  (r) => `${r.pick(ITEM_AR)} مع ${r.pick(DRINK_AR)} احلى ${r.pick(['صباح', 'بداية يوم', 'سهرة', 'ويكند'])} ${r.pick(['☕️', '🤎', '', '😋'])}`,
  (r) => `نبي ${r.pick(ITEM_AR)} ${r.pick(['بدون سكر', 'قلوتين فري', 'نباتي', 'بحجم اكبر'])} لو سمحتوا`,
  (r) => `وصلني الطلب ${r.pick(['بسرعة', 'متأخر شوي', 'خلال نص ساعة'])} و${r.pick(DRINK_AR)} ${r.pick(['حار', 'بارد', 'مضبوط'])}`,
  (r) => `كل ${r.pick(['يوم', 'صباح', 'جمعة'])} اطلب ${r.pick(DRINK_AR)} من فرع ${r.pick(DISTRICT)} ${r.pick(['❤️', '', '🔥'])}`,
  (r) => `كم نقطة احتاج عشان ${r.pick(['القهوة المجانية', 'الكوب', 'الخصم'])}؟`,
  (r) => `ليش ${r.pick(DRINK_AR)} صار ${r.pick(['اغلى', 'اصغر', 'احلى'])} ${r.pick(['من قبل', 'هالفترة', ''])}`,
];

const SPECIFIC_EN: Slots[] = [
  (r) => `Tried the ${r.pick(DRINK_EN)} ${r.pick(WHEN_EN)}, ${r.pick(ADJ_EN)}`,
  (r) => `When are you opening in ${r.pick(CITY_EN)}?`,
  (r) => `Do you deliver to ${r.pick(['Al Narjis', 'Al Malqa', 'Olaya', 'the corniche', 'Salmiya'])}?`,
  (r) => `${r.pick(ITEM_EN)} + ${r.pick(DRINK_EN)} = perfect ${r.pick(['morning', 'weekend', 'study break'])}`,
  (r, friend) => `@${friend} we need to go ${r.pick(WHEN_EN)}`,
  (r) => `Best ${r.pick(DRINK_EN)} in ${r.pick(CITY_EN)}, ${r.pick(['no cap', 'hands down', 'honestly'])}`,
  (r) => `Please bring back the ${r.pick(ITEM_EN)}${r.pick(['!', '!!', ' 🙏'])}`,
  (r) => `How many points for the ${r.pick(['free coffee', 'mug', 'tote bag'])}?`,
  (r) => `The ${r.pick(DRINK_EN)} at the ${r.pick(['Olaya', 'Malqa', 'airport'])} branch was ${r.pick(ADJ_EN)}`,
];

const SPECIFIC_MIXED: Slots[] = [
  (r) => `الـ ${r.pick(DRINK_EN)} عندكم ${r.pick(ADJ_AR)}`,
  (r) => `${r.pick(ITEM_AR)} so good ${r.pick(['😍', '🔥', ''])}`,
  (r, friend) => `@${friend} yalla ${r.pick(WHEN_AR)}؟`,
];

const REPLY = ['😂😂', 'يلا', 'متى؟', 'اكيد', 'tomorrow?', 'حجزت لنا', 'انا جاهز', 'ههههه صح', 'yes!!', 'تم 👍'];

export function genericComment(rng: Rng, language: Language): string {
  if (rng.chance(0.3)) return rng.pick(GENERIC_EMOJI);
  return rng.pick(language === 'en' ? GENERIC_EN : language === 'ar' ? GENERIC_AR : [...GENERIC_AR, ...GENERIC_EN]);
}

const LEAD_AR = ['سؤال', 'لو سمحتوا', 'يا جماعة', 'طيب', 'هلا والله', 'مساء الخير', 'صباح الخير'];
const TAIL_AR = ['🙏', 'الله يعافيكم', 'ضروري', 'بليز', 'ترا', 'من جد', 'للامانة', 'عاد'];
const LEAD_EN = ['Quick question', 'Hey', 'Honestly', 'Ok so', 'Guys'];
const TAIL_EN = ['pls', 'please', 'lol', 'tbh', 'ngl', '🙏'];

/** Each person words the same thought a little differently: a greeting, a tail word, a trailing emoji. */
function personalTouch(rng: Rng, language: Language, text: string): string {
  const english = language === 'en';
  const lead = rng.chance(0.3) ? `${rng.pick(english ? LEAD_EN : LEAD_AR)} ` : '';
  const tail = rng.chance(0.35) ? ` ${rng.pick(english ? TAIL_EN : TAIL_AR)}` : '';
  return `${lead}${text}${tail}`;
}

export function specificComment(rng: Rng, language: Language, friend: string): string {
  const templates = language === 'en' ? SPECIFIC_EN : language === 'ar' ? SPECIFIC_AR : SPECIFIC_MIXED;
  return personalTouch(rng, language, rng.pick(templates)(rng, friend)).replace(/\s+/g, ' ').trim();
}

export const entryComment = (rng: Rng): string => rng.pick(ENTRY);
export const replyText = (rng: Rng): string => rng.pick(REPLY);

/** One-word answers to a brand's question; most fans give the favourite. */
const ANSWER_AR = ['لاتيه', 'سبانش', 'كورتادو', 'موكا', 'الكرك'];
const ANSWER_EN = ['latte', 'spanish', 'cortado', 'mocha'];

export function brandAnswer(rng: Rng, language: Language): string {
  const answers = language === 'en' ? ANSWER_EN : ANSWER_AR;
  const answer = rng.chance(0.6) ? answers[0] ?? '' : rng.pick(answers);
  return `${answer}${rng.chance(0.4) ? ` ${rng.pick(GENERIC_EMOJI)}` : ''}`;
}
