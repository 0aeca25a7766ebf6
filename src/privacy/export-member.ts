/** Everything nuqta holds about one person (right of access), gathered from the same places an erasure clears. */
import type { Db } from 'mongodb';
import type { CampaignRegistry } from '../config/campaign-registry.js';
import type { EngagementEvent } from '../domain/event.js';
import type { LedgerEntry } from '../ledger/entry.js';
import type { LedgerStore } from '../ledger/ledger-store.js';
import type { MemberIdentity } from '../ledger/member-directory.js';
import type { MemberState } from '../ledger/member-state.js';
import type { RedisMemberStates } from '../ledger/member-states.js';
import type { RedemptionAnswer } from '../ledger/redemption-store.js';
import type { RedisLeaderboardIndex } from '../leaderboard/leaderboard-index.js';
import type { Block, MongoBlockList } from '../review/block-list.js';
import type { Clearance, MongoClearances } from '../review/clearances.js';
import type { Flag } from '../review/flags.js';
import type { ReviewRecord } from '../review/review-store.js';
import type { MongoDecisionStore, ScoringDecision } from '../scoring/decision-store.js';
import type { ActivityRecord } from '../scoring/activity-record.js';
import type { RedisFraudHistory } from '../scoring/fraud-history.js';
import { FRAUD_WINDOWS } from '../scoring/fraud/index.js';
import type { Voucher, Vouchers } from '../ledger/vouchers.js';
import type { ReferralCode, ReferralCodes } from '../referrals/codes.js';
import type { ReferralOrder, ReferralOrders } from '../referrals/orders.js';
import { findMemberData, flagsOf, redemptionsOf, reviewsOf, type Stored } from './member-data.js';
import { personOf } from './scrub.js';

/** More than the recent-activity set keeps: the export lists all of it. */
const EXPORT_ACTIVITY_LIMIT = 10_000;

export interface ExportDeps {
  db: Db;
  campaigns: CampaignRegistry;
  ledger: Pick<LedgerStore, 'entriesAfter'>;
  states: Pick<RedisMemberStates, 'get'>;
  decisions: Pick<MongoDecisionStore, 'get'>;
  leaderboard: Pick<RedisLeaderboardIndex, 'rankOf'>;
  blocks: Pick<MongoBlockList, 'ofMember'>;
  clearances: Pick<MongoClearances, 'get'>;
  fraudHistory: Pick<RedisFraudHistory, 'memberActivity'>;
  vouchers: Pick<Vouchers, 'ofMember'>;
  referralCodes: Pick<ReferralCodes, 'ownedBy'>;
  referralOrders: Pick<ReferralOrders, 'naming'>;
}

export interface CampaignExport {
  campaignId: string;
  member: MemberIdentity;
  /** What scoring keeps about the member (balance, tallies, recent awards), as the member record holds it. */
  state: MemberState | null;
  ledger: LedgerEntry[];
  decisions: ScoringDecision[];
  leaderboards: { board: string; rank: number; points: number }[];
  /** What reviewers' approvals cleared the member of in this campaign, if anything. */
  clearance: Clearance | null;
}

export interface MemberExport {
  memberId: string;
  exportedAt: Date;
  events: EngagementEvent[];
  campaigns: CampaignExport[];
  flags: Omit<Flag, 'id'>[];
  reviews: Omit<ReviewRecord, 'id'>[];
  /** In one campaign each, or (no campaignId) in every campaign. */
  blocks: Block[];
  redemptions: RedemptionAnswer[];
  /** The fraud scorer's recent-activity records (the last week). */
  recentActivity: ActivityRecord[];
  /** Vouchers the member's redemptions issued. */
  vouchers: Voucher[];
  /** The member's own referral codes, and the orders they bought with a code or that used theirs. */
  referralCodes: ReferralCode[];
  referralOrders: ReferralOrder[];
}

export async function exportMember(deps: ExportDeps, memberId: string, now: Date): Promise<MemberExport> {
  const person = personOf(memberId);
  const data = await findMemberData(deps.db, deps.ledger, person);
  const eventKeys = data.events.map((event) => event.eventKey);
  const campaigns = await Promise.all(data.memberships.map(async ({ _id, entries, ...member }): Promise<CampaignExport> => {
    const keys = new Set([...eventKeys, ...entries.map((entry) => entry.eventKey)]);
    const [record, decisions, clearance] = await Promise.all([
      deps.states.get(member.campaignId, memberId),
      Promise.all([...keys].map((eventKey) => deps.decisions.get(member.campaignId, eventKey))),
      deps.clearances.get(member.campaignId, memberId),
    ]);
    const boards = new Set(['all', ...Object.keys(record?.state.boards ?? {})]);
    const ranks = await Promise.all([...boards].map(async (board) => ({ board, ranked: await deps.leaderboard.rankOf(member.campaignId, board, memberId) })));
    return {
      campaignId: member.campaignId,
      member,
      state: record?.state ?? null,
      ledger: entries,
      decisions: decisions.filter((decision): decision is ScoringDecision => decision !== null && decision.memberId === memberId),
      leaderboards: ranks.flatMap(({ board, ranked }) => (ranked ? [{ board, rank: ranked.rank, points: ranked.points }] : [])),
      clearance,
    };
  }));
  const [flags, reviews, blocks, redemptions, recentActivity, vouchers, referralCodes, referralOrders] = await Promise.all([
    flagsOf(deps.db, memberId),
    reviewsOf(deps.db, memberId),
    deps.blocks.ofMember(memberId, deps.campaigns.all.map(({ campaign }) => campaign.id)),
    redemptionsOf(deps.db, memberId),
    deps.fraudHistory.memberActivity(memberId, [...new Set(data.events.map((event) => event.target.accountId))], new Date(now.getTime() - FRAUD_WINDOWS.memberLookbackMs), now, EXPORT_ACTIVITY_LIMIT),
    deps.vouchers.ofMember(memberId),
    deps.referralCodes.ownedBy(memberId),
    deps.referralOrders.naming(memberId),
  ]);
  return {
    memberId,
    exportedAt: now,
    events: data.events.map(withoutId),
    campaigns,
    flags: flags.map(withoutId),
    reviews: reviews.map(withoutId),
    blocks,
    redemptions: redemptions.map(withoutId),
    recentActivity,
    vouchers,
    referralCodes,
    referralOrders: referralOrders.map(withoutId),
  };
}

function withoutId<T>({ _id, ...rest }: Stored<T>): T {
  return rest as T;
}
