/**
 * Expiry lots, first in first out. Every posted entry that adds points is a
 * lot that expires `after_days` calendar days (campaign zone) after it was
 * written. Spending (a redemption, a negative adjustment) uses the oldest
 * lots first, in the order they were posted (an approved award's lot joins
 * when it is approved); a reversal or an expiry takes from the lot it names first.
 * Points spent beyond all lots are a debt that the next lots pay first, so a
 * lot never expires points the balance does not hold. Emptied lots are dropped.
 */
import { addLocalDays } from '../domain/calendar.js';
import type { LedgerRef } from '../domain/ledger.js';
import type { MemberFact } from './entry.js';

export interface LotNote extends LedgerRef {
  seq: number;
  points: number;
  remaining: number;
  /** Epoch ms. */
  expiresAt: number;
  /**
   * Where the lot stands in posting order: its seq, or just after the seq a
   * review settled it at (decisions at the same point keep seq order).
   */
  postedAt: number;
}

/** Books a posted entry on the lots (mutating them) and returns the debt after it. */
export function creditLots(lots: LotNote[], debt: number, entry: MemberFact, afterDays: number, timeZone: string): number {
  if (entry.points > 0) {
    const paid = Math.min(debt, entry.points);
    if (entry.points > paid) {
      const lot: LotNote = {
        eventKey: entry.eventKey, ruleId: entry.ruleId, seq: entry.seq, points: entry.points, remaining: entry.points - paid,
        expiresAt: addLocalDays(entry.createdAt, afterDays, timeZone).getTime(),
        postedAt: entry.settledAtSeq === undefined ? entry.seq : entry.settledAtSeq + 0.5,
      };
      const after = lots.findIndex((other) => other.postedAt > lot.postedAt || (other.postedAt === lot.postedAt && other.seq > lot.seq));
      lots.splice(after === -1 ? lots.length : after, 0, lot);
    }
    return debt - paid;
  }
  let left = -entry.points;
  const target = entry.refersTo && (entry.kind === 'reverse' || entry.kind === 'expire')
    ? lots.find((lot) => lot.eventKey === entry.refersTo?.eventKey && lot.ruleId === entry.refersTo.ruleId)
    : undefined;
  if (target) left -= take(target, left);
  for (const lot of lots) {
    if (left === 0) break;
    left -= take(lot, left);
  }
  for (let index = lots.length - 1; index >= 0; index -= 1) if (lots[index]?.remaining === 0) lots.splice(index, 1);
  return debt + left;
}

function take(lot: LotNote, amount: number): number {
  const taken = Math.min(lot.remaining, amount);
  lot.remaining -= taken;
  return taken;
}
