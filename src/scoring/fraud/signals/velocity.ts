/** How fast one member acts: bursts overall, repeats on one post, delete-and-comment-again cycles. */
import { FRAUD_WINDOWS } from '../windows.js';
import { counted } from '../wording.js';
import type { PriorAction } from '../types.js';
import { ramp, reading, UNDO_KINDS, type Signal } from './signal.js';

function countSince(actions: readonly PriorAction[], since: number, keep: (action: PriorAction) => boolean): number {
  let count = 0;
  for (const action of actions) if (action.at >= since && keep(action)) count += 1;
  return count;
}

/**
 * People reply in a lively thread a few times in ten minutes; scripts act
 * dozens of times. The short window catches machine-speed bursts early.
 */
export const memberBurst: Signal = ({ history, at }) => {
  const isAction = (action: PriorAction): boolean => !UNDO_KINDS.has(action.kind);
  const inShort = countSince(history.member, at - FRAUD_WINDOWS.burstShortMs, isAction) + 1;
  const inLong = countSince(history.member, at - FRAUD_WINDOWS.burstLongMs, isAction) + 1;
  const shortValue = ramp(inShort, 2, 5);
  const longValue = ramp(inLong, 4, 8);
  const [count, minutes] = shortValue >= longValue ? [inShort, 1] : [inLong, 10];
  const actions = counted(count, 'action');
  const window = counted(minutes, 'minute');
  return reading('member_burst', Math.max(shortValue, longValue), {
    en: `${actions.en} in ${window.en}`,
    ar: `${actions.ar} خلال ${window.ar}`,
  });
};

/** Top-level comments only: replies are conversation, and a lively thread is not farming. */
export const mediaBurst: Signal = ({ event, history, at }) => {
  const mediaId = event.target.mediaId;
  if (mediaId === undefined || event.kind !== 'comment') return undefined;
  const comments =
    countSince(history.member, at - FRAUD_WINDOWS.mediaRepeatMs, (action) => action.mediaId === mediaId && action.kind === 'comment') + 1;
  const text = counted(comments, 'comment');
  return reading('media_burst', ramp(comments, 4, 9), {
    en: `${text.en} on this post within 30 minutes`,
    ar: `${text.ar} على هذا المنشور خلال 30 دقيقة`,
  });
};

/**
 * Deleting and commenting again re-triggers first-comment bonuses and slips
 * past cooldowns. One delete is a typo fixed; the signal grows with further
 * cycles on the same post today, or with a habit of them over the week.
 */
export const deleteRecomment: Signal = ({ event, history, at }) => {
  const mediaId = event.target.mediaId;
  if (mediaId === undefined || event.kind !== 'comment') return undefined;
  const isDelete = (action: PriorAction): boolean => action.kind === 'comment_deleted';
  const onThisPost = countSince(
    history.member,
    at - FRAUD_WINDOWS.deleteCycleMs,
    (action) => isDelete(action) && action.mediaId === mediaId,
  );
  const thisWeek = countSince(history.member, at - FRAUD_WINDOWS.memberLookbackMs, isDelete);
  const post = counted(onThisPost, 'time');
  const week = counted(thisWeek, 'time');
  return reading('delete_recomment', Math.max(ramp(onThisPost, 0, 3), ramp(thisWeek, 1, 4)), {
    en: `Deletes comments and comments again: ${post.en} on this post today, ${week.en} this week`,
    ar: `يحذف تعليقاته ثم يعلّق من جديد: ${post.ar} على هذا المنشور اليوم، و${week.ar} هذا الأسبوع`,
  });
};
