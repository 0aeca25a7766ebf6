/**
 * Finishing a commit that was cut short between the ledger and the records
 * that follow it. The member loader hands back the entries the ledger had
 * beyond a member's stored state; the events they belong to were scored, so
 * they get the decision (marked `recovered`), the review flag and the
 * decision links they would have had, and are never scored again; a
 * redemption gets the answer its request should have had.
 */
import type { CampaignRegistry } from '../config/campaign-registry.js';
import { EXPIRE_RULE_PREFIX, REFERRAL_RULE_PREFIX, REFUND_RULE_PREFIX, REPLAY_RULE_PREFIX } from '../domain/ledger.js';
import type { IngestQueue, QueuedTask } from '../ingestion/ingest-queue.js';
import { referrerTask } from './referrer-task.js';
import type { ReferralExplain } from './rules/index.js';
import type { LedgerEntry } from '../ledger/entry.js';
import type { LoadedMember } from '../ledger/member-loader.js';
import type { RedemptionStore } from '../ledger/redemption-store.js';
import type { Vouchers } from '../ledger/vouchers.js';
import type { BatchRecords } from './batch-records.js';
import type { MongoDecisionStore } from './decision-store.js';
import type { FraudVerdict } from './fraud/index.js';
import { keepVoucher, recoveredAnswer } from './redemption.js';
import { settle } from './voucher-cancel.js';

/** Entries an event's own scoring wrote (not later ones about it: expiry, replay adjustments), nor redemptions. */
function isScoringEntry(entry: LedgerEntry): boolean {
  return entry.kind !== 'redeem' && !entry.ruleId.startsWith(EXPIRE_RULE_PREFIX) && !entry.ruleId.startsWith(REPLAY_RULE_PREFIX);
}

/** A buyer's referral bonus names the code owner's award, which the cut-short commit may not have queued (queueing it again adds nothing). */
function referrerTasksOf(campaignId: string, entries: readonly LedgerEntry[]): QueuedTask[] {
  return entries.flatMap((entry) => {
    const referral = entry.explain.referral as ReferralExplain | undefined;
    if (!entry.ruleId.startsWith(REFERRAL_RULE_PREFIX) || entry.status === 'rejected' || referral?.referrer === undefined) return [];
    const verdict = entry.explain.fraud as FraudVerdict | undefined;
    return [referrerTask(campaignId, { referral: { ...referral, referrer: referral.referrer }, buyer: { memberId: entry.memberId }, occurredAt: entry.occurredAt, status: entry.status, verdict })];
  });
}

/** Returns `campaignId|eventKey` of the events decided by recovery. */
export async function recoverCutShort(
  deps: {
    decisions: Pick<MongoDecisionStore, 'get'>;
    campaigns: Pick<CampaignRegistry, 'find'>;
    redemptions: Pick<RedemptionStore, 'remember'>;
    vouchers: Pick<Vouchers, 'queueIssued' | 'recordIssued' | 'queueStatus' | 'recordStatus'>;
    queue: Pick<IngestQueue, 'enqueueMemberTasks'>;
  },
  loadedMembers: ReadonlyMap<string, ReadonlyMap<string, LoadedMember>>,
  records: BatchRecords,
): Promise<Set<string>> {
  const decided = new Set<string>();
  for (const [campaignId, members] of loadedMembers) {
    for (const member of members.values()) {
      if (member.recovered.length === 0) continue;
      const byEvent = new Map<string, LedgerEntry[]>();
      for (const entry of member.recovered) {
        if (entry.refersTo) records.link(campaignId, entry.refersTo.eventKey, entry.seq);
        if (entry.ruleId.startsWith(REPLAY_RULE_PREFIX)) records.link(campaignId, entry.eventKey, entry.seq);
        if (isScoringEntry(entry)) byEvent.set(entry.eventKey, [...(byEvent.get(entry.eventKey) ?? []), entry]);
        const answer = entry.kind === 'redeem' ? recoveredAnswer(deps.campaigns, entry) : undefined;
        if (answer) {
          records.rememberRedemption(answer);
          records.afterLedger(() => deps.redemptions.remember(answer));
          keepVoucher(deps, records, entry);
        } else if (entry.kind === 'redeem' && entry.ruleId.startsWith(REFUND_RULE_PREFIX)) {
          settle(deps, records, entry, member.record.state.balance, entry.createdAt);
        }
      }
      for (const [eventKey, entries] of byEvent) {
        if (await deps.decisions.get(campaignId, eventKey)) continue;
        const [first] = entries;
        if (!first) continue;
        const fraud = entries.map((entry) => entry.explain.fraud as FraudVerdict | undefined).find((verdict) => verdict !== undefined);
        records.decide({
          campaignId, eventKey, memberId: first.memberId, campaignRevision: first.campaignRevision, nonAwards: [],
          entrySeqs: entries.map((entry) => entry.seq), decidedAt: first.createdAt, recovered: true, ...(fraud ? { fraud } : {}),
        });
        const held = entries.filter((entry) => entry.status === 'held');
        if (fraud && fraud.decision !== 'allow' && held.length > 0) {
          records.hold({ campaignId, eventKey, memberId: first.memberId, verdict: fraud, entries: held, occurredAt: first.occurredAt, heldAt: first.createdAt });
        }
        for (const task of referrerTasksOf(campaignId, entries)) records.afterLedger(() => deps.queue.enqueueMemberTasks([task], { removeOnComplete: true }));
        decided.add(`${campaignId}|${eventKey}`);
      }
    }
  }
  return decided;
}
