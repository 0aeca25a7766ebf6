/**
 * `nuqta verify [--repair]`: recomputes every projection of a campaign from
 * the ledger — member balances, earned points, facts, leaderboards, reward
 * stock — reports where the stored ones differ, and on repair rewrites them.
 * The ledger is read once, member by member; nothing here changes it.
 */
import type { Nuqta } from '../app.js';
import type { LoadedCampaign } from '../config/campaign-loader.js';
import { BoardRebuild, type BoardDifference } from '../leaderboard/rebuild.js';
import type { LedgerEntry } from './entry.js';
import { projectionDifferences, projectionOf, repairedProjection, type ProjectionDifference } from './projection.js';
import { holdsStock } from './reward-stock.js';

export interface MemberDifferences {
  memberId: string;
  differences: ProjectionDifference[];
  /** On repair: rewritten, or left alone because the member was scored meanwhile (run verify again). */
  repair?: 'repaired' | 'changed-meanwhile';
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
  projections: MemberDifferences[];
  boards: BoardDifference[];
  stock: StockDifference[];
  repaired: boolean;
}

export interface VerifyOptions {
  repair: boolean;
  /** Members checked so far, of `total` (which grows when the ledger has members without a projection). */
  onProgress?: (done: number, total: number) => void;
}

export async function verifyCampaign(nuqta: Nuqta, loaded: LoadedCampaign, options: VerifyOptions): Promise<VerifyReport> {
  const { campaign } = loaded;
  const unchecked = new Set<string>();
  for await (const memberId of nuqta.members.memberIds(campaign.id)) unchecked.add(memberId);
  let total = unchecked.size;
  const report: VerifyReport = { campaignId: campaign.id, members: 0, entries: 0, projections: [], boards: [], stock: [], repaired: options.repair };
  const boards = new BoardRebuild(nuqta.redis, nuqta.config.NUQTA_QUEUE_PREFIX, campaign);
  const limitedRewards = campaign.rewards.filter((reward) => reward.stock !== undefined);
  const holders = new Map(limitedRewards.map((reward) => [reward.id, [] as string[]]));

  const checkMember = async (memberId: string, scanned: readonly LedgerEntry[]): Promise<void> => {
    if (!unchecked.delete(memberId)) total += 1;
    // Entries appended since the scan passed this member belong to the comparison too.
    const entries = [...scanned, ...(await nuqta.ledger.entriesAfter(campaign.id, memberId, scanned.at(-1)?.seq ?? 0))];
    const stored = await nuqta.members.get(campaign.id, memberId);
    const ledger = projectionOf(entries);
    const differences = projectionDifferences(stored, ledger);
    if (differences.length > 0) {
      const found: MemberDifferences = { memberId, differences };
      if (options.repair) {
        const replaced = await nuqta.members.replace(repairedProjection(campaign.id, memberId, stored, ledger), stored?.appliedSeq ?? null);
        found.repair = replaced ? 'repaired' : 'changed-meanwhile';
      }
      report.projections.push(found);
    }
    await boards.add(memberId, ledger.facts);
    for (const entry of entries) {
      for (const reward of limitedRewards) if (holdsStock(entry, reward.id)) holders.get(reward.id)?.push(entry.eventKey);
    }
    report.members += 1;
    report.entries += entries.length;
    options.onProgress?.(report.members, total);
  };

  try {
    let memberId: string | undefined;
    let group: LedgerEntry[] = [];
    for await (const entry of nuqta.ledger.campaignEntries(campaign.id)) {
      if (entry.memberId !== memberId) {
        if (memberId !== undefined) await checkMember(memberId, group);
        memberId = entry.memberId;
        group = [];
      }
      group.push(entry);
    }
    if (memberId !== undefined) await checkMember(memberId, group);
    // Projections with no ledger entry at all: they should be empty.
    for (const lone of [...unchecked]) await checkMember(lone, []);

    report.boards = await boards.differences();
    if (options.repair) await boards.commit();
  } finally {
    await boards.discard();
  }
  for (const reward of limitedRewards) {
    const expected = holders.get(reward.id) ?? [];
    const live = await nuqta.stock.holders(campaign.id, reward.id);
    // A set never built is built from the ledger on the reward's next redemption: nothing to report.
    if (live !== null) {
      const [liveSet, expectedSet] = [new Set(live), new Set(expected)];
      const difference = { rewardId: reward.id, missing: expected.filter((holder) => !liveSet.has(holder)), extra: live.filter((holder) => !expectedSet.has(holder)) };
      if (difference.missing.length + difference.extra.length > 0) report.stock.push(difference);
    }
    if (options.repair) await nuqta.stock.replaceHolders(campaign.id, reward.id, expected);
  }
  return report;
}
