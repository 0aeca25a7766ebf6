/**
 * `nuqta verify [--repair]`: folds every member state of a campaign from the
 * ledger, in one pass over its entries, and reports where the stored member
 * records, leaderboards and reward stock differ. On repair the records are
 * rebuilt through the members' partitions (so a consumer holding one never
 * writes it back stale), the boards are swapped for rebuilt ones and the
 * stock reset. Nothing here changes the ledger.
 *
 * The pass reads the ledger in the order the store keeps it, which holds
 * each member's entries in seq order (the writer inserts them so); an entry
 * that arrives early waits for the ones before it.
 */
import type { Redis } from 'ioredis';
import type { LoadedCampaign } from '../config/campaign-loader.js';
import { BoardRebuild, type BoardDifference } from '../leaderboard/rebuild.js';
import type { LedgerEntry } from './entry.js';
import type { LedgerStore } from './ledger-store.js';
import type { MemberDirectory } from './member-directory.js';
import { applyEntry, emptyState, settleEntry, type MemberState } from './member-state.js';
import type { RedisMemberStates } from './member-states.js';
import { REFUND_RULE_PREFIX } from '../domain/ledger.js';
import { holdsStock, type RedisRewardStock } from './reward-stock.js';
import { stateDifferences, type StateDifference } from './state-differences.js';
import { stateSpecOf, type StateSpec } from './state-spec.js';

/** Member records compared per Redis round trip. */
const COMPARED_TOGETHER = 1_000;

export interface MemberDifferences {
  memberId: string;
  differences: StateDifference[];
}

export interface StockDifference {
  rewardId: string;
  /** Redemptions in the ledger that Redis does not count. */
  missing: string[];
  /** Units Redis counts as taken with no redemption in the ledger (a request cut short, or in flight). */
  extra: string[];
}

export interface VerifyReport {
  campaignId: string;
  members: number;
  entries: number;
  records: MemberDifferences[];
  boards: BoardDifference[];
  stock: StockDifference[];
  repaired: boolean;
}

export interface VerifyDeps {
  redis: Redis;
  config: { NUQTA_QUEUE_PREFIX: string };
  ledger: Pick<LedgerStore, 'campaignEntries'>;
  states: Pick<RedisMemberStates, 'getMany'>;
  directory: Pick<MemberDirectory, 'memberIds'>;
  stock: Pick<RedisRewardStock, 'holders' | 'replaceHolders'>;
}

export interface VerifyOptions {
  /** Rebuilds these members' records from the ledger (through their partitions); set only to repair. */
  repair?: (memberIds: readonly string[]) => Promise<void>;
  /** Entries folded so far. */
  onProgress?: (entries: number) => void;
}

/** One member's fold: the state so far, and entries that came before their turn. */
class Fold {
  readonly state: MemberState;
  private readonly early = new Map<number, LedgerEntry>();
  private readonly settlements = new Map<number, LedgerEntry[]>();

  constructor(private readonly spec: StateSpec) {
    this.state = emptyState(spec);
  }

  add(entry: LedgerEntry): void {
    this.early.set(entry.seq, entry);
    for (let next = this.early.get(this.state.seq + 1); next; next = this.early.get(this.state.seq + 1)) {
      this.early.delete(next.seq);
      if (next.settledAtSeq !== undefined) this.settlements.set(next.settledAtSeq, [...(this.settlements.get(next.settledAtSeq) ?? []), next]);
      applyEntry(this.state, next, this.spec);
      for (const settled of this.settlements.get(next.seq) ?? []) settleEntry(this.state, settled.seq, settled.status === 'held' ? 'posted' : settled.status, this.spec);
    }
  }

  /** Seqs the ledger lacks: entries after a hole never apply. */
  missingSeqs(): number[] {
    if (this.early.size === 0) return [];
    const highest = Math.max(...this.early.keys());
    return Array.from({ length: highest - this.state.seq }, (_, index) => this.state.seq + 1 + index).filter((seq) => !this.early.has(seq));
  }
}

export async function verifyCampaign(deps: VerifyDeps, loaded: LoadedCampaign, options: VerifyOptions = {}): Promise<VerifyReport> {
  const { campaign } = loaded;
  const spec = stateSpecOf(campaign);
  const folds = new Map<string, Fold>();
  const limitedRewards = campaign.rewards.filter((reward) => reward.stock !== undefined);
  const holders = new Map(limitedRewards.map((reward) => [reward.id, [] as string[]]));
  // A cancelled voucher's redemption holds no unit any more.
  const refunded = new Set<string>();
  let entries = 0;
  for await (const entry of deps.ledger.campaignEntries(campaign.id)) {
    let fold = folds.get(entry.memberId);
    if (!fold) folds.set(entry.memberId, (fold = new Fold(spec)));
    fold.add(entry);
    for (const reward of limitedRewards) if (holdsStock(entry, reward.id)) holders.get(reward.id)?.push(entry.eventKey);
    if (entry.kind === 'redeem' && entry.ruleId.startsWith(REFUND_RULE_PREFIX) && entry.refersTo) refunded.add(entry.refersTo.eventKey);
    entries += 1;
    if (entries % 10_000 === 0) options.onProgress?.(entries);
  }
  options.onProgress?.(entries);
  // Members the directory lists with no ledger entry: their records should be empty.
  for await (const memberId of deps.directory.memberIds(campaign.id)) if (!folds.has(memberId)) folds.set(memberId, new Fold(spec));

  const report: VerifyReport = { campaignId: campaign.id, members: folds.size, entries, records: [], boards: [], stock: [], repaired: options.repair !== undefined };
  const boards = new BoardRebuild(deps.redis, deps.config.NUQTA_QUEUE_PREFIX, campaign);
  try {
    const memberIds = [...folds.keys()];
    for (let start = 0; start < memberIds.length; start += COMPARED_TOGETHER) {
      const chunk = memberIds.slice(start, start + COMPARED_TOGETHER);
      const stored = await deps.states.getMany(campaign.id, chunk);
      const pipeline = deps.redis.pipeline();
      chunk.forEach((memberId, index) => {
        const fold = folds.get(memberId);
        if (!fold) return;
        const differences = stateDifferences(stored[index]?.state ?? null, fold.state, fold.missingSeqs());
        const recordless = stored[index] === null && fold.state.seq === 0;
        if (differences.length > 0 && !recordless) report.records.push({ memberId, differences });
        boards.add(pipeline, memberId, fold.state.boards);
      });
      await pipeline.exec();
    }
    report.boards = await boards.differences();
    if (options.repair) {
      await options.repair(report.records.map((member) => member.memberId));
      await boards.commit();
    }
  } finally {
    await boards.discard();
  }
  for (const reward of limitedRewards) {
    const expected = (holders.get(reward.id) ?? []).filter((holder) => !refunded.has(holder));
    const live = await deps.stock.holders(campaign.id, reward.id);
    // A set never built is built from the ledger on the reward's next redemption: nothing to report.
    if (live !== null) {
      const [liveSet, expectedSet] = [new Set(live), new Set(expected)];
      const difference = { rewardId: reward.id, missing: expected.filter((holder) => !liveSet.has(holder)), extra: live.filter((holder) => !expectedSet.has(holder)) };
      if (difference.missing.length + difference.extra.length > 0) report.stock.push(difference);
    }
    if (options.repair) await deps.stock.replaceHolders(campaign.id, reward.id, expected);
  }
  return report;
}
