/** Campaign lists: the block list and brand staff, who are excluded from earning. */
import { memberIdOf, type EngagementEvent } from '../../../domain/event.js';
import { reading, type Signal } from './signal.js';

/** The keys a list entry may use for this actor: its member id and, when known, `@username`. */
export function listKeysOf(event: EngagementEvent): string[] {
  const keys = [memberIdOf(event.platform, event.actor.platformUserId)];
  if (event.actor.username !== undefined) keys.push(`@${event.actor.username.replace(/^@/, '').toLowerCase()}`);
  return keys;
}

export const blockedMember: Signal = ({ event, lists }) =>
  listKeysOf(event).some((key) => lists.blocked.has(key))
    ? reading('blocked_member', 1, {
        en: 'The account is on the campaign block list',
        ar: 'الحساب مدرج في قائمة الحظر الخاصة بالحملة',
      })
    : undefined;

export const staffMember: Signal = ({ event, lists }) =>
  listKeysOf(event).some((key) => lists.staff.has(key))
    ? reading('staff_member', 1, {
        en: 'Brand staff account: staff are excluded from this campaign',
        ar: 'حساب من موظفي العلامة التجارية، والموظفون مستبعدون من هذه الحملة',
      })
    : undefined;
