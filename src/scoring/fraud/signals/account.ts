/**
 * What the platform or the brand told us about the account. Every check reads
 * only facts that are present: a missing profile or field adds nothing.
 */
import { usernamePattern, type UsernamePattern } from '../username.js';
import { counted } from '../wording.js';
import type { FraudText } from '../types.js';
import { ramp, reading, type Signal } from './signal.js';

const DAY_MS = 86_400_000;

/** Fully new at 3 days or younger, no longer new at 30. */
export const newAccount: Signal = ({ event, at }) => {
  const createdAt = event.actor.profile?.accountCreatedAt;
  // A creation date after the action is bad data, not a young account.
  if (createdAt === undefined || createdAt.getTime() > at) return undefined;
  const days = Math.floor((at - createdAt.getTime()) / DAY_MS);
  const age = counted(days, 'day');
  return reading('new_account', 1 - ramp(days, 3, 30), {
    en: days === 0 ? 'Account created the same day' : `Account created ${age.en} earlier`,
    ar: days === 0 ? 'أُنشئ الحساب في اليوم نفسه' : `أُنشئ الحساب قبل ${age.ar}`,
  });
};

/** Default picture, no posts, almost no followers: each known one counts a third. */
export const thinProfile: Signal = ({ event }) => {
  const profile = event.actor.profile;
  if (profile === undefined) return undefined;
  const found: FraudText[] = [];
  if (profile.hasDefaultAvatar === true) found.push({ en: 'default picture', ar: 'صورة افتراضية' });
  if (profile.mediaCount === 0) found.push({ en: 'no posts', ar: 'بلا منشورات' });
  if (profile.followersCount !== undefined && profile.followersCount < 10) found.push(counted(profile.followersCount, 'follower'));
  return reading('thin_profile', found.length / 3, {
    en: `Profile looks empty: ${found.map((fact) => fact.en).join(', ')}`,
    ar: `الملف الشخصي شبه فارغ: ${found.map((fact) => fact.ar).join('، ')}`,
  });
};

/**
 * Following out of proportion: thousands of accounts followed and almost no
 * followers (follow-for-follow), or hundreds followed within days of being
 * created (automation; people set up a new account a few follows at a time).
 */
export const followRatio: Signal = ({ event, at }) => {
  const profile = event.actor.profile;
  const following = profile?.followingCount;
  if (following === undefined) return undefined;
  const followingText = counted(following, 'account');
  const followers = profile?.followersCount;
  const byFollowers =
    followers === undefined ? 0 : ramp(following, 800, 2_500) * ramp(following / Math.max(1, followers), 20, 80);
  const createdAt = profile?.accountCreatedAt?.getTime();
  const days = createdAt === undefined || createdAt > at ? undefined : Math.max(1, Math.ceil((at - createdAt) / DAY_MS));
  const byAge = days === undefined || following < 300 ? 0 : ramp(following / days, 150, 600);
  if (byAge > byFollowers && days !== undefined) {
    const age = counted(days, 'day');
    return reading('follow_ratio', byAge, {
      en: `Follows ${followingText.en} although the account is ${age.en} old`,
      ar: `يتابع ${followingText.ar} مع أن عمر الحساب ${age.ar}`,
    });
  }
  const followersText = counted(followers ?? 0, 'follower');
  return reading('follow_ratio', byFollowers, {
    en: `Follows ${followingText.en} but has ${followersText.en}`,
    ar: `يتابع ${followingText.ar} ولديه ${followersText.ar}`,
  });
};

const PATTERN_TEXT: Record<UsernamePattern, FraudText> = {
  default_handle: { en: 'the platform default, never changed', ar: 'الاسم الافتراضي للمنصة دون تغيير' },
  digit_run: { en: 'a long run of digits', ar: 'سلسلة أرقام طويلة' },
  serial: { en: 'letters and digits alternating like a serial number', ar: 'حروف وأرقام متناوبة كرقم تسلسلي' },
  consonant_cluster: { en: 'a random-looking string of letters', ar: 'حروف عشوائية المظهر' },
};

export const usernameLooksGenerated: Signal = ({ event }) => {
  const username = event.actor.username;
  const found = username === undefined ? undefined : usernamePattern(username);
  if (found === undefined) return undefined;
  const pattern = PATTERN_TEXT[found.pattern];
  return reading('username_pattern', found.value, {
    en: `Username looks generated: ${pattern.en}`,
    ar: `اسم المستخدم يبدو مولّدًا آليًا: ${pattern.ar}`,
  });
};
