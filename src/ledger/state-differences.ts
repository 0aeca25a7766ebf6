/**
 * How a stored member state differs from the one folded from the ledger,
 * part by part, in words `nuqta verify` can print. Pure.
 */
import type { MemberState } from './member-state.js';

export type StateField = 'record' | 'seq' | 'balance' | 'earned' | 'tier' | 'tallies' | 'challenges' | 'boards' | 'held' | 'lots' | 'awards' | 'deletions' | 'ledger';

export interface StateDifference {
  field: StateField;
  stored: string | number | null;
  ledger: string | number | null;
}

/** Every part where the stored state (null: no record) disagrees with the ledger's. */
export function stateDifferences(stored: MemberState | null, ledger: MemberState, missingSeqs: readonly number[] = []): StateDifference[] {
  const differences: StateDifference[] = [];
  if (missingSeqs.length > 0) differences.push({ field: 'ledger', stored: null, ledger: `seq ${missingSeqs.join(', ')} missing` });
  if (stored === null) {
    if (ledger.seq > 0) differences.push({ field: 'record', stored: null, ledger: `${ledger.seq} entries` });
    return differences;
  }
  const compare = (field: StateField, storedValue: string | number | null, ledgerValue: string | number | null): void => {
    if (storedValue !== ledgerValue) differences.push({ field, stored: storedValue, ledger: ledgerValue });
  };
  const summary = (value: unknown): string => JSON.stringify(value);
  compare('seq', stored.seq, ledger.seq);
  compare('balance', stored.balance, ledger.balance);
  compare('earned', stored.earned, ledger.earned);
  compare('tier', stored.tierId, ledger.tierId);
  compareWhole('tallies', stored.rules, ledger.rules);
  compareWhole('challenges', stored.challenges, ledger.challenges);
  compareWhole('boards', stored.boards, ledger.boards);
  compareWhole('held', stored.held, ledger.held);
  compareWhole('lots', { lots: stored.lots, debt: stored.debt }, { lots: ledger.lots, debt: ledger.debt });
  compareWhole('awards', stored.awards, ledger.awards);
  compareWhole('deletions', stored.deletions, ledger.deletions);
  return differences;

  function compareWhole(field: StateField, storedValue: unknown, ledgerValue: unknown): void {
    const [left, right] = [canonical(storedValue), canonical(ledgerValue)];
    if (left !== right) differences.push({ field, stored: shorten(summary(storedValue)), ledger: shorten(summary(ledgerValue)) });
  }
}

/** JSON with object keys sorted, so two equal states compare equal whatever order their keys were set in. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_, item: unknown) =>
    item !== null && typeof item === 'object' && !Array.isArray(item)
      ? Object.fromEntries(Object.entries(item as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : item);
}

function shorten(text: string): string {
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}
