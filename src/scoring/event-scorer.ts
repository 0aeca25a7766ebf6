/**
 * src/scoring turns a stored event into ledger entries. The decisions are pure
 * (rules/, fraud/); this shell loads the member's state, records what the
 * rules decided and brings the projections and leaderboards up to date.
 */
import type { Campaign } from '../config/campaign-schema.js';
import type { LoadedCampaign } from '../config/campaign-loader.js';
import { memberIdOf, type EngagementEvent } from '../domain/event.js';
import type { LedgerEntry } from '../ledger/entry.js';
import type { LedgerStore } from '../ledger/ledger-store.js';
import type { MemberProjection, MemberStore } from '../ledger/member-store.js';
import type { LeaderboardIndex } from '../leaderboard/leaderboard-index.js';
import type { Logger } from '../log.js';
import type { Metrics } from '../metrics.js';
import type { DecisionStore } from './decision-store.js';
import type { MemberScoringState, ScoringResult } from './rules/types.js';

export type DecideAwards = (input: { event: EngagementEvent; campaign: Campaign; state: MemberScoringState; now: Date }) => ScoringResult;

export interface EventScorerDeps {
  decide: DecideAwards;
  ledger: LedgerStore;
  members: MemberStore;
  decisions: DecisionStore;
  leaderboard: LeaderboardIndex;
  metrics: Metrics;
  logger: Logger;
  now?: () => Date;
}

export interface ScoreOutcome {
  memberId: string;
  written: LedgerEntry[];
  member: MemberProjection | null;
}

export class EventScorer {
  constructor(private readonly deps: EventScorerDeps) {}

  /** Safe to call again for the same event: nothing is written twice, and an interrupted earlier call is completed. */
  async score(loaded: LoadedCampaign, event: EngagementEvent): Promise<ScoreOutcome> {
    const { campaign, revision } = loaded;
    const memberId = memberIdOf(event.platform, event.actor.platformUserId);
    await this.deps.members.upsertMember(campaign.id, memberId, event.platform, event.actor);
    const history = await this.deps.ledger.memberEntries(campaign.id, memberId);
    // Decide against the state before this event, so a retry decides exactly as the first attempt did.
    const facts = history.filter((entry) => entry.eventKey !== event.eventKey);
    const now = this.deps.now?.() ?? new Date();
    const result = this.deps.decide({ event, campaign, state: { facts }, now });
    const recorded = await this.deps.ledger.append(
      result.entries.map((draft) => ({
        ...draft,
        campaignId: campaign.id,
        memberId,
        campaignRevision: revision,
        by: 'system',
        explain: { ...draft.explain },
      })),
    );
    const written = recorded.filter((entry) => !history.some((old) => old.seq === entry.seq));
    await this.deps.decisions.record({ campaignId: campaign.id, eventKey: event.eventKey, memberId, campaignRevision: revision, nonAwards: result.nonAwards, decidedAt: now });
    const member = await this.syncMember(campaign, memberId);
    for (const entry of written) {
      this.deps.metrics.awards.inc({ campaign: campaign.id, kind: entry.kind, status: entry.status });
      this.deps.metrics.points.inc({ campaign: campaign.id, kind: entry.kind }, Math.abs(entry.points));
    }
    if (result.negativeBalance) {
      this.deps.logger.warn({ campaignId: campaign.id, memberId, balance: result.balance.after }, 'clawback left a negative balance');
    }
    return { memberId, written, member };
  }

  /** Applies ledger entries the projection has not seen (after a crash, or now), then re-indexes the member. */
  async syncMember(campaign: Campaign, memberId: string): Promise<MemberProjection | null> {
    const campaignId = campaign.id;
    const current = await this.deps.members.get(campaignId, memberId);
    if (!current) return null;
    const pending = await this.deps.ledger.entriesAfter(campaignId, memberId, current.appliedSeq);
    const member = pending.length === 0 ? current : await this.deps.members.applyEntries(campaignId, memberId, pending);
    if (member && (member.earned !== 0 || pending.length > 0)) {
      await this.deps.leaderboard.setScore(campaignId, 'all', memberId, { points: member.earned, reachedAt: member.reachedAt, epoch: campaign.starts_at });
    }
    return member;
  }
}
