/**
 * Every reason the engine gives, with its sentence in English and Arabic. The
 * code is the stable contract; the sentences may be reworded freely.
 */
import type { EventKind } from '../../domain/event.js';
import type { Localized } from '../../domain/localized.js';
import type { Reason, ReasonCode, RuleConditionName } from './types.js';
import { charactersText, daysText, durationText, kindName, pointsText } from '../../domain/wording.js';

interface ReasonParams {
  EARNED: { points: number; rule: string };
  FIRST_TIME_BONUS: { points: number; rule: string };
  CHALLENGE_BONUS: { points: number; challenge: string };
  STREAK_BONUS: { points: number; days: number };
  TIER_CHANGED: { from: string; to: string };
  REVERSED_DELETED: { points: number; rule: string };
  REVERSED_NO_LONGER_QUALIFIES: { points: number; bonus: string };
  DELETED_BEFORE_SCORED: Record<string, never>;
  EXPIRED: { points: number; days: number };
  REDEEMED: { points: number; reward: Localized };
  VOUCHER_CANCELLED: { points: number; reward: Localized; code: string };
  NO_RULE_FOR_KIND: { kind: EventKind };
  EARNED_AS_HASHTAG_POST: Record<string, never>;
  OUTSIDE_CAMPAIGN_WINDOW: { side: 'before' | 'after'; edge: string };
  CAMPAIGN_PAUSED: { since: string };
  UNVERIFIED_NOT_ACCEPTED: { rule: string };
  CONDITION_FAILED: { rule: string; condition: RuleConditionName; expected: string };
  EVENT_DELETED: { rule: string };
  FIRST_TIME_ALREADY_AWARDED: { rule: string };
  LIMIT_PER_DAY: { rule: string; max: number };
  LIMIT_PER_WEEK: { rule: string; max: number };
  LIMIT_PER_CAMPAIGN: { rule: string; max: number };
  COOLDOWN: { rule: string; cooldownMs: number };
  REFERRAL_BONUS: { points: number; code: string; program: string };
  REFERRER_BONUS: { points: number; code: string; buyer: string };
  REFERRAL_CODE_UNKNOWN: { code: string };
  REFERRAL_CODE_NOT_VALID: { code: string; side: 'before' | 'after'; edge: string };
  REFERRAL_OWN_CODE: { code: string };
  REFERRAL_CODE_EXHAUSTED: { code: string; max: number };
  REFERRAL_MEMBER_LIMIT: { code: string; max: number };
  REFERRAL_NOT_FIRST_ORDER: { code: string };
  REFERRAL_BELOW_MINIMUM: { code: string; minimum: string; amount: string };
  REVERSED_REFUNDED: { points: number; rule: string };
  REFUNDED_BEFORE_SCORED: Record<string, never>;
  ORDER_REFUNDED: { rule: string };
}

const TEXTS: { [C in ReasonCode]: (p: ReasonParams[C]) => Localized } = {
  EARNED: ({ points, rule }) => ({
    en: `Earned ${pointsText(points).en} (rule ${rule})`,
    ar: `كسبت ${pointsText(points).ar} (القاعدة ${rule})`,
  }),
  FIRST_TIME_BONUS: ({ points, rule }) => ({
    en: `First-time bonus: ${pointsText(points).en} (rule ${rule})`,
    ar: `مكافأة المرة الأولى: ${pointsText(points).ar} (القاعدة ${rule})`,
  }),
  CHALLENGE_BONUS: ({ points, challenge }) => ({
    en: `Challenge "${challenge}" completed: ${pointsText(points).en}`,
    ar: `أكملت تحدي "${challenge}": ${pointsText(points).ar}`,
  }),
  STREAK_BONUS: ({ points, days }) => ({
    en: `Streak of ${daysText(days).en} in a row: ${pointsText(points).en}`,
    ar: `مكافأة المواظبة (${daysText(days).ar} متتالية): ${pointsText(points).ar}`,
  }),
  TIER_CHANGED: ({ from, to }) => ({
    en: `Tier changed from ${from} to ${to}`,
    ar: `تغيّر مستواك من ${from} إلى ${to}`,
  }),
  REVERSED_DELETED: ({ points, rule }) => ({
    en: `Comment deleted: ${pointsText(points).en} taken back (rule ${rule})`,
    ar: `حُذف التعليق: استُرجعت ${pointsText(points).ar} (القاعدة ${rule})`,
  }),
  REVERSED_NO_LONGER_QUALIFIES: ({ points, bonus }) => ({
    en: `Bonus "${bonus}" taken back (${pointsText(points).en}): it no longer qualifies after a deleted comment`,
    ar: `استُرجعت مكافأة "${bonus}" (${pointsText(points).ar}) لأنها لم تعد مستحقة بعد حذف التعليق`,
  }),
  DELETED_BEFORE_SCORED: () => ({
    en: 'Comment deleted before it was scored; it will not earn points',
    ar: 'حُذف التعليق قبل احتسابه، فلن يكسب نقاطًا',
  }),
  EXPIRED: ({ points, days }) => ({
    en: `${pointsText(points).en} expired (points last ${daysText(days).en})`,
    ar: `انتهت صلاحية ${pointsText(points).ar} (مدة صلاحية النقاط ${daysText(days).ar})`,
  }),
  VOUCHER_CANCELLED: ({ points, reward, code }) => ({
    en: `Voucher ${code} for ${reward.en} cancelled: ${pointsText(points).en} given back`,
    ar: `أُلغيت القسيمة ${code} (${reward.ar}) وأُعيدت ${pointsText(points).ar}`,
  }),
  REDEEMED: ({ points, reward }) => ({
    en: `Redeemed ${pointsText(points).en} for ${reward.en}`,
    ar: `استبدلت ${pointsText(points).ar} بـ${reward.ar}`,
  }),
  NO_RULE_FOR_KIND: ({ kind }) => ({
    en: `No rule of this campaign awards points for a ${kindName(kind).en}`,
    ar: `لا توجد قاعدة في هذه الحملة تمنح نقاطًا على ${kindName(kind).ar}`,
  }),
  EARNED_AS_HASHTAG_POST: () => ({
    en: 'This post carries a campaign hashtag and earns as a hashtag post; the campaign does not also reward it as a mention',
    ar: 'يحمل هذا المنشور وسم الحملة فيُكافأ بوصفه منشورًا بالوسم، ولا تكافئه الحملة مرة أخرى بوصفه إشارة',
  }),
  OUTSIDE_CAMPAIGN_WINDOW: ({ side, edge }) =>
    side === 'before'
      ? { en: `Happened before the campaign started (${edge})`, ar: `حدث قبل بدء الحملة (${edge})` }
      : { en: `Happened after the campaign ended (${edge})`, ar: `حدث بعد انتهاء الحملة (${edge})` },
  CAMPAIGN_PAUSED: ({ since }) => ({
    en: `Happened while the campaign was paused (since ${since})`,
    ar: `حدث أثناء إيقاف الحملة مؤقتًا (منذ ${since})`,
  }),
  UNVERIFIED_NOT_ACCEPTED: ({ rule }) => ({
    en: `The platform did not verify this action, and rule ${rule} accepts verified actions only`,
    ar: `لم تتحقق المنصة من هذا التفاعل، والقاعدة ${rule} لا تقبل إلا التفاعلات الموثّقة`,
  }),
  CONDITION_FAILED: ({ rule, condition, expected }) => conditionText(rule, condition, expected),
  EVENT_DELETED: ({ rule }) => ({
    en: `The comment was deleted, so it earns nothing (rule ${rule})`,
    ar: `حُذف التعليق، فلا يكسب نقاطًا (القاعدة ${rule})`,
  }),
  FIRST_TIME_ALREADY_AWARDED: ({ rule }) => ({
    en: `The first-time bonus of rule ${rule} was already awarded`,
    ar: `سبق منح مكافأة المرة الأولى للقاعدة ${rule}`,
  }),
  LIMIT_PER_DAY: ({ rule, max }) => ({
    en: `Daily limit of rule ${rule} reached (${max} per day)`,
    ar: `بلغت الحد اليومي للقاعدة ${rule} (${max} في اليوم)`,
  }),
  LIMIT_PER_WEEK: ({ rule, max }) => ({
    en: `Weekly limit of rule ${rule} reached (${max} per week)`,
    ar: `بلغت الحد الأسبوعي للقاعدة ${rule} (${max} في الأسبوع)`,
  }),
  LIMIT_PER_CAMPAIGN: ({ rule, max }) => ({
    en: `Campaign limit of rule ${rule} reached (${max} in the campaign)`,
    ar: `بلغت الحد الأقصى للقاعدة ${rule} في هذه الحملة (${max})`,
  }),
  COOLDOWN: ({ rule, cooldownMs }) => ({
    en: `Too soon after another award of rule ${rule} (awards must be ${durationText(cooldownMs).en} apart)`,
    ar: `جاء قريبًا جدًا من مكافأة أخرى للقاعدة ${rule} (يجب أن يفصل بينهما ${durationText(cooldownMs).ar})`,
  }),
  REFERRAL_BONUS: ({ points, code, program }) => ({
    en: `Order with code ${code}: ${pointsText(points).en} (referral program ${program})`,
    ar: `طلب بالرمز ${code}: ${pointsText(points).ar} (برنامج الإحالة ${program})`,
  }),
  REFERRER_BONUS: ({ points, code, buyer }) => ({
    en: `${buyer} ordered with your code ${code}: ${pointsText(points).en}`,
    ar: `طلب ${buyer} برمزك ${code}: ${pointsText(points).ar}`,
  }),
  REFERRAL_CODE_UNKNOWN: ({ code }) => ({
    en: `Code ${code} is not a referral code of this campaign`,
    ar: `الرمز ${code} ليس رمز إحالة في هذه الحملة`,
  }),
  REFERRAL_CODE_NOT_VALID: ({ code, side, edge }) =>
    side === 'before'
      ? { en: `Code ${code} was not valid yet (from ${edge})`, ar: `لم يكن الرمز ${code} صالحًا بعد (يبدأ ${edge})` }
      : { en: `Code ${code} had expired (${edge})`, ar: `انتهت صلاحية الرمز ${code} (${edge})` },
  REFERRAL_OWN_CODE: ({ code }) => ({
    en: `Code ${code} is the buyer's own: a referral needs someone else`,
    ar: `الرمز ${code} خاص بالمشتري نفسه، والإحالة تكون لشخص آخر`,
  }),
  REFERRAL_CODE_EXHAUSTED: ({ code, max }) => ({
    en: `Code ${code} has been used its ${max} times`,
    ar: `استُخدم الرمز ${code} عدد المرات المسموح به (${max})`,
  }),
  REFERRAL_MEMBER_LIMIT: ({ code, max }) => ({
    en: `The buyer has already used code ${code} the ${max} times one buyer may`,
    ar: `استخدم المشتري الرمز ${code} بالعدد المسموح به لكل مشترٍ (${max})`,
  }),
  REFERRAL_NOT_FIRST_ORDER: ({ code }) => ({
    en: `Not the buyer's first order: code ${code} earns on a first order only`,
    ar: `ليس أول طلب للمشتري، والرمز ${code} يكافئ على الطلب الأول فقط`,
  }),
  REFERRAL_BELOW_MINIMUM: ({ code, minimum, amount }) => ({
    en: `Order of ${amount} is below the ${minimum} code ${code} needs`,
    ar: `قيمة الطلب ${amount} أقل من الحد الأدنى ${minimum} للرمز ${code}`,
  }),
  REVERSED_REFUNDED: ({ points, rule }) => ({
    en: `Order refunded: ${pointsText(points).en} taken back (rule ${rule})`,
    ar: `استُرد الطلب: استُرجعت ${pointsText(points).ar} (القاعدة ${rule})`,
  }),
  REFUNDED_BEFORE_SCORED: () => ({
    en: 'Order refunded before it was scored; it will not earn points',
    ar: 'استُرد الطلب قبل احتسابه، فلن يكسب نقاطًا',
  }),
  ORDER_REFUNDED: ({ rule }) => ({
    en: `The order was refunded, so it earns nothing (rule ${rule})`,
    ar: `استُرد الطلب، فلا يكسب نقاطًا (القاعدة ${rule})`,
  }),
};

function conditionText(rule: string, condition: RuleConditionName, expected: string): Localized {
  switch (condition) {
    case 'min_text_length': {
      const length = charactersText(Number(expected));
      return {
        en: `Text shorter than ${length.en} (rule ${rule})`,
        ar: `النص أقصر من ${length.ar} (القاعدة ${rule})`,
      };
    }
    case 'on_campaign_media':
      return {
        en: `Not on one of the campaign's posts (rule ${rule})`,
        ar: `ليس على أحد منشورات الحملة (القاعدة ${rule})`,
      };
    case 'hashtag':
      return {
        en: `No campaign hashtag (${expected}) (rule ${rule})`,
        ar: `لا يحمل وسمًا من وسوم الحملة (${expected}) (القاعدة ${rule})`,
      };
    case 'platform':
      return { en: `Rule ${rule} is for ${expected} only`, ar: `القاعدة ${rule} خاصة بمنصة ${expected}` };
  }
}

export function reason<C extends ReasonCode>(code: C, params: ReasonParams[C]): Reason {
  return { code, text: TEXTS[code](params) };
}
