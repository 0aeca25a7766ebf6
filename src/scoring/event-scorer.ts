/**
 * src/scoring turns a stored event into ledger entries. The decisions are pure
 * (rules/, fraud/); this shell loads the member's state, records what the
 * rules decided and brings the projections and leaderboards up to date.
 */
import type { Campaign } from '../config/campaign-schema.js';
import type { LoadedCampaign } from '../config/campaign-loader.js';
import { memberIdOf, type EngagementEvent } from '../domain/event.js';
import type { LedgerEntry, LedgerEntryDraft } from '../ledger/entry.js';
import { NuqtaError } from '../errors.js';
import type { LedgerStore } from '../ledger/ledger-store.js';
import type { MemberProjection, MemberStore } from '../ledger/member-store.js';
import type { LeaderboardIndex } from '../leaderboard/leaderboard-index.js';
import { boardsOf, standingsOf } from '../leaderboard/standings.js';
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

/** An entry as scoring, redemption or review decides it; the shell adds campaign, member, revision and author. */
export type EntryDecision = Omit<LedgerEntryDraft, 'campaignId' | 'memberId' | 'campaignRevision' | 'by' | 'explain'> & { explain: object };

export interface ScoreOutcome {
  memberId: string;
  written: LedgerEntry[];
  member: MemberProjection;
}

export class EventScorer {
  constructor(private readonly deps: EventScorerDeps) {}

  /** Safe to call again for the same event: nothing is written twice, and an interrupted earlier call is completed. */
  async score(loaded: LoadedCampaign, event: EngagementEvent): Promise<ScoreOutcome> {
    const { campaign, revision } = loaded;
    const memberId = memberIdOf(event.platform, event.actor.platformUserId);
    await this.deps.members.upsertMember(campaign.id, memberId, event.platform, event.actor);
    const before = await this.caughtUp(loaded, memberId);
    const now = this.deps.now?.() ?? new Date();
    const result = this.deps.decide({ event, campaign, state: { facts: before.facts }, now });
    const { written, member } = await this.write(loaded, before, result.entries, 'system');
    const entrySeqs = [...before.facts.filter((fact) => fact.eventKey === event.eventKey), ...written].map((entry) => entry.seq);
    await this.deps.decisions.record({ campaignId: campaign.id, eventKey: event.eventKey, memberId, campaignRevision: revision, nonAwards: result.nonAwards, entrySeqs, decidedAt: now });
    if (result.negativeBalance) {
      this.deps.logger.warn({ campaignId: campaign.id, memberId, balance: result.balance.after }, 'clawback left a negative balance');
    }
    return { memberId, written, member };
  }

  /**
   * Records entries decided outside event scoring (redemptions, expiry, review
   * decisions, replays) for a known member: same sequencing, projections and boards.
   */
  async record(loaded: LoadedCampaign, memberId: string, drafts: readonly EntryDecision[], by: string): Promise<ScoreOutcome> {
    const before = await this.caughtUp(loaded, memberId);
    const { written, member } = await this.write(loaded, before, drafts, by);
    return { memberId, written, member };
  }

  /** The member's projection with every ledger entry applied, including any written before a crash. */
  async caughtUp(loaded: LoadedCampaign, memberId: string): Promise<MemberProjection> {
    const { campaign } = loaded;
    const seen = await this.deps.members.get(campaign.id, memberId);
    if (!seen) throw new NuqtaError('NUQTA_MEMBER_NOT_FOUND', `no member "${memberId}" in campaign "${campaign.id}"`);
    const pending = await this.deps.ledger.entriesAfter(campaign.id, memberId, seen.appliedSeq);
    if (pending.length === 0) return seen;
    const member = (await this.deps.members.applyEntries(campaign.id, memberId, pending)) ?? seen;
    await this.index(campaign, member, pending);
    return member;
  }

  private async write(loaded: LoadedCampaign, before: MemberProjection, drafts: readonly EntryDecision[], by: string): Promise<{ written: LedgerEntry[]; member: MemberProjection }> {
    const { campaign, revision } = loaded;
    const written = await this.deps.ledger.append(
      drafts.map((draft) => ({ ...draft, campaignId: campaign.id, memberId: before.memberId, campaignRevision: revision, by, explain: { ...draft.explain } })),
      before.appliedSeq,
    );
    if (written.length === 0) return { written, member: before };
    const member = (await this.deps.members.applyEntries(campaign.id, before.memberId, written)) ?? before;
    await this.index(campaign, member, written);
    for (const entry of written) {
      this.deps.metrics.awards.inc({ campaign: campaign.id, kind: entry.kind, status: entry.status });
      this.deps.metrics.points.inc({ campaign: campaign.id, kind: entry.kind }, Math.abs(entry.points));
    }
    return { written, member };
  }

  /** Sets the member's standing on every board the new entries count on (absolute scores: replays converge). */
  private async index(campaign: Campaign, member: MemberProjection, entries: readonly LedgerEntry[]): Promise<void> {
    const boards = new Set(entries.flatMap((entry) => boardsOf(entry, campaign)));
    if (boards.size === 0) return;
    const standings = standingsOf(member.facts, campaign, boards);
    for (const board of boards) {
      const standing = standings.get(board);
      if (standing && standing.points > 0) {
        await this.deps.leaderboard.setScore(campaign.id, board, member.memberId, { ...standing, epoch: campaign.starts_at });
      } else {
        await this.deps.leaderboard.remove(campaign.id, board, member.memberId);
      }
    }
  }
}
