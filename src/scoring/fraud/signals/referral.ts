/**
 * Referral codes: a member referring themselves through a second account
 * (the order is the owner's own shop customer, or goes to the owner's
 * delivery address), and farms that pour orders through one code (other
 * accounts of the same shop customer or address using it, or a member's
 * code, meant for friends, used by many accounts in a day). An influencer
 * code is meant for a crowd: its volume alone says nothing.
 */
import { counted } from '../wording.js';
import { ramp, reading, type Signal } from './signal.js';

const DAY_MS = 86_400_000;

export const selfReferral: Signal = ({ referral }) => {
  if (referral?.ownerShares === undefined) return undefined;
  return referral.ownerShares === 'customer'
    ? reading('self_referral', 1, {
        en: `The order was placed by the shop customer who owns code ${referral.code}, from another account`,
        ar: `الطلب من عميل المتجر صاحب الرمز ${referral.code} نفسه، ولكن من حساب آخر`,
      })
    : reading('self_referral', 0.75, {
        en: `The order goes to the delivery address of the owner of code ${referral.code}`,
        ar: `الطلب مُرسل إلى عنوان التوصيل الخاص بصاحب الرمز ${referral.code}`,
      });
};

export const referralFarm: Signal = ({ referral, memberId, event, at }) => {
  if (referral === undefined) return undefined;
  const { customerRef, shippingRef } = event.order ?? {};
  const sharing = new Set(referral.recent
    .filter((use) => use.buyerId !== memberId && ((customerRef !== undefined && use.customerRef === customerRef) || (shippingRef !== undefined && use.shippingRef === shippingRef)))
    .map((use) => use.buyerId));
  const dayBuyers = referral.codes === 'member'
    ? new Set(referral.recent.filter((use) => use.buyerId !== memberId && use.at > at - DAY_MS).map((use) => use.buyerId))
    : new Set<string>();
  const shared = sharing.size === 0 ? 0 : Math.min(1, 0.6 + 0.2 * (sharing.size - 1));
  const burst = ramp(dayBuyers.size, 3, 10);
  if (shared >= burst) {
    const accounts = counted(sharing.size, 'account');
    return reading('referral_farm', shared, {
      en: `Code ${referral.code} was used this week by ${accounts.en} more as the same shop customer or to the same address`,
      ar: `استُخدم الرمز ${referral.code} هذا الأسبوع من ${accounts.ar} أخرى بعميل المتجر نفسه أو إلى العنوان نفسه`,
    });
  }
  const accounts = counted(dayBuyers.size, 'account');
  return reading('referral_farm', burst, {
    en: `Member code ${referral.code} was used by ${accounts.en} more in the last day (a member's code is meant for friends)`,
    ar: `استُخدم رمز العضو ${referral.code} خلال اليوم الأخير من ${accounts.ar} أخرى (رمز العضو مخصص للأصدقاء)`,
  });
};
