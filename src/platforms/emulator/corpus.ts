/**
 * Words the emulated followers use: Gulf names with the Latin spelling people
 * choose for their handles, and comments a café or a clothing store really
 * gets (Arabic first, English, emoji-only, questions, complaints, friends
 * tagged). Plain data: no randomness here.
 */
export type CampaignTheme = 'cafe' | 'clothing';
export type FollowerLocale = 'ar' | 'en';

export interface TransliteratedName {
  ar: string;
  en: string;
}

export const GIVEN_NAMES: readonly TransliteratedName[] = [
  { ar: 'نورة', en: 'Noura' },
  { ar: 'سارة', en: 'Sara' },
  { ar: 'ريم', en: 'Reem' },
  { ar: 'لطيفة', en: 'Latifa' },
  { ar: 'منيرة', en: 'Munira' },
  { ar: 'هيا', en: 'Haya' },
  { ar: 'العنود', en: 'Alanoud' },
  { ar: 'الجوهرة', en: 'Aljohara' },
  { ar: 'شهد', en: 'Shahad' },
  { ar: 'دانة', en: 'Dana' },
  { ar: 'لمى', en: 'Lama' },
  { ar: 'جود', en: 'Jood' },
  { ar: 'روان', en: 'Rawan' },
  { ar: 'غلا', en: 'Ghala' },
  { ar: 'مها', en: 'Maha' },
  { ar: 'عائشة', en: 'Aisha' },
  { ar: 'فاطمة', en: 'Fatima' },
  { ar: 'مريم', en: 'Maryam' },
  { ar: 'حصة', en: 'Hessa' },
  { ar: 'شيخة', en: 'Sheikha' },
  { ar: 'رهف', en: 'Rahaf' },
  { ar: 'وعد', en: 'Waad' },
  { ar: 'فيصل', en: 'Faisal' },
  { ar: 'عبدالله', en: 'Abdullah' },
  { ar: 'محمد', en: 'Mohammed' },
  { ar: 'خالد', en: 'Khalid' },
  { ar: 'سلطان', en: 'Sultan' },
  { ar: 'تركي', en: 'Turki' },
  { ar: 'بندر', en: 'Bandar' },
  { ar: 'فهد', en: 'Fahad' },
  { ar: 'نايف', en: 'Naif' },
  { ar: 'ماجد', en: 'Majed' },
  { ar: 'سعود', en: 'Saud' },
  { ar: 'عبدالعزيز', en: 'Abdulaziz' },
  { ar: 'راشد', en: 'Rashed' },
  { ar: 'حمد', en: 'Hamad' },
  { ar: 'سالم', en: 'Salem' },
  { ar: 'يوسف', en: 'Yousef' },
  { ar: 'عمر', en: 'Omar' },
  { ar: 'مشاري', en: 'Mishari' },
  { ar: 'بدر', en: 'Badr' },
  { ar: 'ناصر', en: 'Nasser' },
  { ar: 'زايد', en: 'Zayed' },
  { ar: 'منصور', en: 'Mansour' },
  { ar: 'طلال', en: 'Talal' },
];

export const FAMILY_NAMES: readonly TransliteratedName[] = [
  { ar: 'العتيبي', en: 'Al-Otaibi' },
  { ar: 'الحربي', en: 'Al-Harbi' },
  { ar: 'القحطاني', en: 'Al-Qahtani' },
  { ar: 'الدوسري', en: 'Al-Dosari' },
  { ar: 'الشمري', en: 'Al-Shammari' },
  { ar: 'المطيري', en: 'Al-Mutairi' },
  { ar: 'الغامدي', en: 'Al-Ghamdi' },
  { ar: 'الزهراني', en: 'Al-Zahrani' },
  { ar: 'العنزي', en: 'Al-Anazi' },
  { ar: 'السبيعي', en: 'Al-Subaie' },
  { ar: 'الشهري', en: 'Al-Shehri' },
  { ar: 'المري', en: 'Al-Marri' },
  { ar: 'الكعبي', en: 'Al-Kaabi' },
  { ar: 'النعيمي', en: 'Al-Nuaimi' },
  { ar: 'الهاجري', en: 'Al-Hajri' },
  { ar: 'البلوشي', en: 'Al-Balushi' },
  { ar: 'الكواري', en: 'Al-Kuwari' },
  { ar: 'الرشيدي', en: 'Al-Rashidi' },
  { ar: 'العجمي', en: 'Al-Ajmi' },
  { ar: 'الفلاسي', en: 'Al-Falasi' },
  { ar: 'السويدي', en: 'Al-Suwaidi' },
  { ar: 'المنصوري', en: 'Al-Mansouri' },
];

/** Residents who write in English and do not carry a Gulf family name. */
export const EXPAT_GIVEN_NAMES: readonly string[] = ['Sarah', 'James', 'Priya', 'Maria', 'Daniel', 'Ryan', 'Hannah', 'Arjun', 'Chloe', 'Lina', 'Karim', 'Joanna'];
export const EXPAT_FAMILY_NAMES: readonly string[] = ['Mitchell', 'Nair', 'Santos', 'Carter', 'Haddad', 'Khan', 'Fernandes', 'Walker', 'Rahman', 'Costa'];

/** `{friend}` is replaced by another follower's handle. */
const COMMENTS: Record<CampaignTheme, Record<FollowerLocale, readonly string[]>> = {
  cafe: {
    ar: [
      'القهوة عندكم رهيبة ☕',
      'أحلى لاتيه جربته في الرياض 😍',
      'متى تفتحون فرع في جدة؟',
      'الكورتادو عندكم ما له حل 👌',
      'صباح الخير ☀️ أول قهوة اليوم من عندكم',
      'الموظفين قمة في الذوق والله',
      'وش اسم الحلى اللي في الصورة؟',
      'تجربتي أمس كانت ممتازة، شكراً لكم',
      'القهوة السعودية عندكم بالهيل؟',
      '@{friend} تعالي نجربه اليوم',
      'المكان رايق والجلسات حلوة',
      'سعر الكوب كم؟',
      'ما شاء الله تبارك الله 🤍',
      'الكيك بالتمر خرافي',
      'أفضل كافيه في الحي بدون منافس',
      'ليش الطلب تأخر اليوم؟ 😕',
      'يا ليت ترجعون الموكا بالبندق',
      'رمضان كريم وكل عام وأنتم بخير 🌙',
      'قهوة اليوم مع الشلة، شكراً على الضيافة',
      '🔥🔥🔥',
      '❤️',
    ],
    en: [
      'Best flat white in town ☕',
      'Love the new cold brew!',
      'What time do you open on Fridays?',
      'The saffron latte is unreal 😍',
      'Cozy spot, great vibes',
      'Any oat milk options?',
      'Came for the coffee, stayed for the date cake',
      '@{friend} we need to go here',
      'Service was a bit slow today',
      '10/10 would recommend',
      'Is the V60 single origin?',
      '👏👏',
    ],
  },
  clothing: {
    ar: [
      'الجاكيت هذا يجنن 😍',
      'كم سعره؟',
      'متوفر مقاس لارج؟',
      'اللون الأسود أحلى',
      'وصلني الطلب اليوم والخامة ممتازة 👌',
      'تشحنون للكويت؟',
      'الثوب تفصيله مرتب ما شاء الله',
      'ودي باللون الكحلي',
      'متى ينزل التخفيض؟',
      '@{friend} شف هذا',
      'أخذت منه اثنين 😅',
      'جودة وسعر مناسب، الله يوفقكم',
      'لبسة العيد جاهزة من عندكم 🤍',
      '🔥',
      '😍😍',
    ],
    en: [
      'Love this jacket!',
      'Does it come in navy?',
      'Need this in size M 🙏',
      'Ordered last week, fits perfectly',
      'Do you ship to Bahrain?',
      'The fabric quality is amazing',
      'When is the sale starting?',
      'This hoodie is a whole vibe',
      '@{friend} matching fits?',
      'Restock please!!',
      '🔥🔥',
    ],
  },
};

const REPLIES: Record<FollowerLocale, readonly string[]> = {
  ar: ['صادق 👍', 'فعلاً أحلى شي عندهم', '@{friend} أتفق معك', 'وأنا بعد!', 'لا والله الفرع الثاني أحسن 😅', 'جربتها أمس وما ندمت', 'نفس السؤال 🙋‍♀️'],
  en: ['Agreed!', 'Same here 😂', 'Totally', '@{friend} told you', 'Facts', 'Was just about to say this'],
};

/** `{tag}` is replaced by the campaign hashtag, written with its `#`. */
const HASHTAG_CAPTIONS: Record<CampaignTheme, Record<FollowerLocale, readonly string[]>> = {
  cafe: {
    ar: ['قهوتي اليوم من عندهم ☕ {tag}', 'صباح الورد والقهوة {tag}', 'جلسة رايقة مع الشلة {tag} ✨', 'أحلى بداية للويكند {tag}'],
    en: ['Morning fuel ☕ {tag}', 'Weekend vibes {tag}', 'Latte art on point {tag}'],
  },
  clothing: {
    ar: ['لبسة العيد جاهزة {tag} 🤍', 'طقم اليوم {tag}', 'أخيراً وصل الثوب {tag} 👌'],
    en: ['New fit 🔥 {tag}', 'OOTD {tag}', 'Finally got the jacket {tag}'],
  },
};

/** Followers @mentioning the brand on other posts: `{brand}` is replaced by its handle, written with its `@`. */
const MENTIONS: Record<CampaignTheme, Record<FollowerLocale, readonly string[]>> = {
  cafe: {
    ar: ['أحلى قهوة بالرياض عند {brand} ☕', '{brand} لازم تجربونه', 'جلسة اليوم برعاية {brand} ✨', 'مين يبي يروح {brand} الليلة؟'],
    en: ['Best flat white in town is at {brand}', 'Thanks {brand} for the morning fix ☕', '{brand} you need to open a branch near us'],
  },
  clothing: {
    ar: ['ثوب العيد من {brand} 🤍', 'شكراً {brand} على التوصيل السريع', 'لبستي اليوم كلها من {brand}', '{brand} متى ينزل المقاس الكبير؟'],
    en: ['Fit from {brand} 🔥', 'Obsessed with my new jacket from {brand}', '{brand} please restock the black one'],
  },
};

const BRAND_CAPTIONS: Record<CampaignTheme, readonly string[]> = {
  cafe: ['قهوة اليوم: إثيوبي مختص ☕ Today’s pour: Ethiopian single origin', 'جديدنا: لاتيه بالزعفران 🌼 New: saffron latte', 'علّق واكسب نقاط 🎁 Comment to earn points'],
  clothing: ['تشكيلة العيد وصلت 🤍 The Eid collection is here', 'جاكيت الشتاء بثلاثة ألوان New winter jacket, three colours', 'صوّر لبستك مع الهاشتاق واكسب نقاط Post your fit with our hashtag'],
};

export function commentTexts(theme: CampaignTheme, locale: FollowerLocale): readonly string[] {
  return COMMENTS[theme][locale];
}

export function replyTexts(locale: FollowerLocale): readonly string[] {
  return REPLIES[locale];
}

export function hashtagCaptions(theme: CampaignTheme, locale: FollowerLocale): readonly string[] {
  return HASHTAG_CAPTIONS[theme][locale];
}

export function mentionTexts(theme: CampaignTheme, locale: FollowerLocale): readonly string[] {
  return MENTIONS[theme][locale];
}

export function brandCaptions(theme: CampaignTheme): readonly string[] {
  return BRAND_CAPTIONS[theme];
}
