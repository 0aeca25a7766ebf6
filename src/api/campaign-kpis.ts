import type { LedgerStore } from '../ledger/ledger-store.js';
import type { MemberDirectory } from '../ledger/member-directory.js';

export interface CampaignKpis {
  participants: number;
  pointsIssued: number;
  pointsRedeemed: number;
  /** Rewards handed out: one per posted redemption. */
  rewardsRedeemed: number;
  pointsExpired: number;
  pointsReversed: number;
  /** Share of issued points redeemed. */
  redemptionRate: number;
  /** Share of award entries held or rejected by the fraud scorer. */
  flaggedShare: number;
}

export async function campaignKpis(deps: { directory: Pick<MemberDirectory, 'count'>; ledger: Pick<LedgerStore, 'totals'> }, campaignId: string): Promise<CampaignKpis> {
  const [participants, totals] = await Promise.all([deps.directory.count(campaignId), deps.ledger.totals(campaignId)]);
  const sum = (predicate: (total: (typeof totals)[number]) => boolean, field: 'points' | 'entries'): number =>
    totals.filter(predicate).reduce((acc, total) => acc + total[field], 0);
  const isAward = (total: (typeof totals)[number]): boolean => total.kind === 'earn' || total.kind === 'bonus';
  const pointsIssued = sum((t) => isAward(t) && t.status === 'posted', 'points');
  const pointsRedeemed = -sum((t) => t.kind === 'redeem' && t.status === 'posted', 'points');
  const awardEntries = sum(isAward, 'entries');
  const flaggedEntries = sum((t) => isAward(t) && t.status !== 'posted', 'entries');
  return {
    participants,
    pointsIssued,
    pointsRedeemed,
    rewardsRedeemed: sum((t) => t.kind === 'redeem' && t.status === 'posted', 'entries'),
    pointsExpired: -sum((t) => t.kind === 'expire' && t.status === 'posted', 'points'),
    pointsReversed: -sum((t) => t.kind === 'reverse' && t.status === 'posted', 'points'),
    redemptionRate: pointsIssued === 0 ? 0 : round(pointsRedeemed / pointsIssued),
    flaggedShare: awardEntries === 0 ? 0 : round(flaggedEntries / awardEntries),
  };
}

function round(value: number): number {
  return Math.round(value * 10_000) / 10_000;
}
