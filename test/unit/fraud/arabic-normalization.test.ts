import { describe, expect, it } from 'vitest';
import { foldArabicLetters, foldForComparison, isEmojiOnly, stripEmoji } from '../../../src/domain/arabic.js';
import { textFeaturesOfText, textSimilarity } from '../../../src/scoring/fraud/text.js';

describe('foldForComparison: texts a reader calls the same get one key', () => {
  it.each([
    ['tatweel', 'جمـــيل', 'جميل'],
    ['hamza on alef', 'أحمد', 'احمد'],
    ['alef below and madda', 'إبداع آخر', 'ابداع اخر'],
    ['taa marbuta', 'مدرسة', 'مدرسه'],
    ['alef maqsura', 'على', 'علي'],
    ['repeated letters', 'رائعععع', 'رائع'],
    ['repeated letters in English', 'Sooooo goood', 'so good'],
    ['diacritics', 'مَدْرَسَةٌ جَمِيلَةٌ', 'مدرسة جميلة'],
    ['shadda and tanween', 'شكرًا جزيلاً', 'شكرا جزيلا'],
    ['emoji and skin tones', 'حلو 👍🏽🔥❤️', 'حلو'],
    ['English case and punctuation', 'LOVE it!!!', 'love it'],
    ['Arabic punctuation', 'متى الفرع؟! ، طيب؛', 'متى الفرع طيب'],
    ['Arabic-Indic digits', '١٢٣ و۴۵', '123 و45'],
    ['Persian letters', 'کیک ی', 'كيك ي'],
    ['direction marks and zero-width joiners', 'جميل\u200f\u200c', 'جميل'],
    ['presentation forms', 'ﻻ', 'لا'],
    ['spaces', '  جميل    جدا  ', 'جميل جدا'],
  ])('%s', (_name, a, b) => {
    expect(foldForComparison(a)).toBe(foldForComparison(b));
  });

  it.each([
    ['different words stay apart', 'جميل', 'حلو'],
    ['a changed letter stays apart', 'كتب', 'كلب'],
    ['digits are kept', 'فرع 1', 'فرع 2'],
  ])('%s', (_name, a, b) => {
    expect(foldForComparison(a)).not.toBe(foldForComparison(b));
  });

  it('leaves foldArabicLetters (used by hashtags) as it was: no case, emoji or repeat folding', () => {
    expect(foldArabicLetters('Nuqta رائعععع 🔥')).toBe('Nuqta رايعععع 🔥');
  });
});

describe('emoji helpers', () => {
  it.each([
    ['🔥🔥', true],
    ['❤️ !!', true],
    ['👏🏽👏🏽', true],
    ['جميل 🔥', false],
    ['', false],
    ['!!', false],
  ])('isEmojiOnly(%j) is %s', (text, expected) => {
    expect(isEmojiOnly(text)).toBe(expected);
  });

  it('stripEmoji keeps letters, digits and punctuation', () => {
    expect(stripEmoji('تم ✅ 100%!')).toBe('تم  100%!');
  });
});

describe('text features', () => {
  it.each([
    ['🔥🔥'],
    ['جميل'],
    ['جمـــييييل 😍'],
    ['ما شاء الله تبارك الله'],
    ['Love it 😍 @sara #nuqtacafe'],
    ['wow so good!!'],
    ['تم ✅ @friend'],
    ['@friend'],
  ])('%j is generic', (text) => {
    expect(textFeaturesOfText(text).generic).toBe(true);
  });

  it.each([['جربت اللاتيه امس وكان رهيب'], ['When are you opening in Dammam?'], ['كم سعر الموكا؟']])('%j is not generic', (text) => {
    expect(textFeaturesOfText(text).generic).toBe(false);
  });

  it('only long, specific texts are compared for copies', () => {
    expect(textFeaturesOfText('كم سعر الموكا؟').comparable).toBe(false);
    expect(textFeaturesOfText('ما شاء الله تبارك الله الله يوفقكم يارب').comparable).toBe(false);
    expect(textFeaturesOfText('والله أفضل قهوة جربتها في حياتي أنصح الجميع يجربونها').comparable).toBe(true);
  });

  it('mentions, links and hashtags do not make two copies different', () => {
    const a = textFeaturesOfText('والله أفضل قهوة جربتها في حياتي أنصح الجميع يجربونها @noura #قهوة');
    const b = textFeaturesOfText('واللـــه افضل قهوه جربتهاااا في حياتي انصح الجميع يجربونها 👌 https://x.co/a');
    expect(a.key).toBe(b.key);
    expect(textSimilarity(a, b)).toBe(1);
  });

  it('similarity is high for an edited copy and low for unrelated texts', () => {
    const original = textFeaturesOfText('تعامل راقي وجودة عالية وأسعار مناسبة الله يوفقكم ويزيدكم من فضله');
    const edited = textFeaturesOfText('تعامل مميز وجودة عالية وأسعار مناسبة الله يوفقكم ويزيدكم من فضله');
    const unrelated = textFeaturesOfText('الموظف في فرع النرجس تعامله يحتاج تدريب والطلب تأخر');
    expect(textSimilarity(original, edited)).toBeGreaterThan(0.7);
    expect(textSimilarity(original, unrelated)).toBeLessThan(0.3);
  });
});
