/**
 * Reading members the way the stores keep them: the record in Redis
 * (identity and state), the ledger's entries, and the state folded from the
 * ledger, which the stored one must equal.
 */
import type { Nuqta } from '../../src/app.js';
import type { LedgerEntry } from '../../src/ledger/entry.js';
import { stateOf, type MemberState } from '../../src/ledger/member-state.js';
import type { MemberRecord } from '../../src/ledger/member-states.js';
import { stateDifferences, type StateDifference } from '../../src/ledger/state-differences.js';
import { stateSpecOf } from '../../src/ledger/state-spec.js';

type Stores = Pick<Nuqta, 'states' | 'ledger' | 'campaigns' | 'db'>;

/** The member's record as Redis holds it; null when there is none. */
export async function memberRecord(nuqta: Stores, campaignId: string, memberId: string): Promise<MemberRecord | null> {
  return nuqta.states.get(campaignId, memberId);
}

/** The member's stored state; undefined when there is no record. */
export async function memberState(nuqta: Stores, campaignId: string, memberId: string): Promise<MemberState | undefined> {
  return (await nuqta.states.get(campaignId, memberId))?.state;
}

/** Every ledger entry of the member, in seq order. */
export async function memberEntries(nuqta: Stores, campaignId: string, memberId: string): Promise<LedgerEntry[]> {
  return nuqta.ledger.entriesAfter(campaignId, memberId, 0);
}

/** The member's state folded from the ledger under the campaign's current settings. */
export async function ledgerState(nuqta: Stores, campaignId: string, memberId: string): Promise<MemberState> {
  const { campaign } = nuqta.campaigns.get(campaignId);
  return stateOf(await memberEntries(nuqta, campaignId, memberId), stateSpecOf(campaign));
}

/**
 * How the stored record differs from the ledger: [] when it follows it.
 * Also reports a hole in the member's seqs (entriesAfter stops at the first
 * missing one, so the entries the collection holds are counted too).
 */
export async function recordVersusLedger(nuqta: Stores, campaignId: string, memberId: string): Promise<StateDifference[]> {
  const [stored, folded, held] = await Promise.all([
    memberState(nuqta, campaignId, memberId),
    ledgerState(nuqta, campaignId, memberId),
    nuqta.db.collection('ledger').countDocuments({ campaignId, memberId }),
  ]);
  const missing = held > folded.seq ? [`${held - folded.seq} entries after a missing seq`] : [];
  return [
    ...missing.map((ledger): StateDifference => ({ field: 'ledger', stored: null, ledger })),
    ...stateDifferences(stored ?? null, folded),
  ];
}
