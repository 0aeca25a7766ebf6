/**
 * The awards a deleted comment still has standing, for the clawback. The
 * member state remembers the last week of awards, which covers almost every
 * deletion; an older comment's awards are read by key: its decision lists
 * the seqs of its entries and of later entries about them (a reversal, an
 * expiry, a replay adjustment), all of which may also be waiting in the
 * current batch.
 */
import { isAward, isCampaignBonus, isClawback, refKey } from '../domain/ledger.js';
import type { LedgerEntry, MemberFact } from '../ledger/entry.js';
import type { LedgerStore } from '../ledger/ledger-store.js';
import type { AwardNote, MemberState } from '../ledger/member-state.js';
import type { BatchRecords } from './batch-records.js';
import type { MongoDecisionStore } from './decision-store.js';

export interface EventEntriesDeps {
  ledger: Pick<LedgerStore, 'entries'>;
  decisions: Pick<MongoDecisionStore, 'get'>;
}

/**
 * A member's ledger entries about some events, found by key: each event's
 * decision lists its own entries and the later ones about it, any of which
 * may still be waiting in the current batch.
 */
export async function entriesAbout(
  deps: EventEntriesDeps,
  target: { campaignId: string; memberId: string; eventKeys: readonly string[] },
  batch: { records: BatchRecords; entries: readonly LedgerEntry[] },
): Promise<LedgerEntry[]> {
  const { campaignId, memberId, eventKeys } = target;
  const seqs = new Set<number>();
  for (const eventKey of eventKeys) {
    const decision = batch.records.decided(campaignId, eventKey) ?? (await deps.decisions.get(campaignId, eventKey));
    if (!decision || decision.memberId !== memberId) continue;
    for (const seq of [...decision.entrySeqs, ...(decision.laterSeqs ?? []), ...batch.records.linkedTo(campaignId, eventKey)]) seqs.add(seq);
  }
  if (seqs.size === 0) return [];
  const pending = new Map(batch.entries.filter((entry) => entry.campaignId === campaignId && entry.memberId === memberId).map((entry) => [entry.seq, entry]));
  const stored = await deps.ledger.entries(campaignId, memberId, [...seqs].filter((seq) => !pending.has(seq)));
  return [...stored, ...[...seqs].flatMap((seq) => pending.get(seq) ?? [])].sort((a, b) => a.seq - b.seq);
}

export async function deletedAwards(
  deps: EventEntriesDeps,
  target: { campaignId: string; memberId: string; state: MemberState; eventKeys: readonly string[] },
  batch: { records: BatchRecords; entries: readonly LedgerEntry[] },
): Promise<AwardNote[]> {
  const keys = new Set(target.eventKeys);
  const remembered = target.state.awards.filter((award) => keys.has(award.eventKey) && !isCampaignBonus(award.ruleId));
  if (remembered.length > 0) return remembered;
  return standingAwardsOf(await entriesAbout(deps, target, batch), keys);
}

/** The comment's own awards still standing among `entries` (the rule the member state folds by), with what expired of each. */
export function standingAwardsOf(entries: readonly MemberFact[], keys: ReadonlySet<string>): AwardNote[] {
  const awards = entries.filter((entry) => keys.has(entry.eventKey) && isAward(entry) && !isCampaignBonus(entry.ruleId) && entry.status !== 'rejected');
  const held = new Set(awards.filter((award) => award.status === 'held').map(refKey));
  // A posted reversal undoes its award; so does a held deletion's reversal of a held award.
  const reversed = new Set(entries.flatMap((entry) => {
    if (entry.kind !== 'reverse' || !entry.refersTo) return [];
    const undoes = entry.status === 'posted' || (entry.status === 'held' && isClawback(entry) && held.has(refKey(entry.refersTo)));
    return undoes ? [refKey(entry.refersTo)] : [];
  }));
  const expired = (award: MemberFact): number => entries
    .filter((entry) => entry.kind === 'expire' && entry.status === 'posted' && entry.refersTo && refKey(entry.refersTo) === refKey(award))
    .reduce((sum, entry) => sum - entry.points, 0);
  return awards
    .filter((award) => !reversed.has(refKey(award)))
    .sort((a, b) => a.seq - b.seq)
    .map((award) => ({
      seq: award.seq, eventKey: award.eventKey, ruleId: award.ruleId, kind: award.kind as AwardNote['kind'], points: award.points,
      status: award.status === 'held' ? 'held' : 'posted', at: award.occurredAt.getTime(), expired: expired(award),
    }));
}
