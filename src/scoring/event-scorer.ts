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
  member: MemberProjection;
}

export class EventScorer {
  constructor(private readonly deps: EventScorerDeps) {}

  /** Safe to call again for the same event: nothing is written twice, and an interrupted earlier call is completed. */
  async score(loaded: LoadedCampaign, event: EngagementEvent): Promise<ScoreOutcome> {
    const { campaign, revision } = loaded;
    const memberId = memberIdOf(event.platform, event.actor.platformUserId);
    const seen = await this.deps.members.upsertMember(campaign.id, memberId, event.platform, event.actor);
    // Entries written before a crash, not yet in the projection, are applied first.
    const pending = await this.deps.ledger.entriesAfter(campaign.id, memberId, seen.appliedSeq);
    const before = pending.length === 0 ? seen : (await this.deps.members.applyEntries(campaign.id, memberId, pending)) ?? seen;
    // Decide against the state without this event, so a retry decides as the first attempt did.
    const facts = before.facts.filter((fact) => fact.eventKey !== event.eventKey);
    const now = this.deps.now?.() ?? new Date();
    const result = this.deps.decide({ event, campaign, state: { facts }, now });
    const written = await this.deps.ledger.append(
      result.entries.map((draft) => ({ ...draft, campaignId: campaign.id, memberId, campaignRevision: revision, by: 'system', explain: { ...draft.explain } })),
      before.appliedSeq,
    );
    const member = written.length === 0 ? before : (await this.deps.members.applyEntries(campaign.id, memberId, written)) ?? before;
    const entrySeqs = [...before.facts.filter((fact) => fact.eventKey === event.eventKey), ...written].map((entry) => entry.seq);
    await this.deps.decisions.record({ campaignId: campaign.id, eventKey: event.eventKey, memberId, campaignRevision: revision, nonAwards: result.nonAwards, entrySeqs, decidedAt: now });
    if (written.length > 0 || pending.length > 0) await this.index(campaign, member);
    for (const entry of written) {
      this.deps.metrics.awards.inc({ campaign: campaign.id, kind: entry.kind, status: entry.status });
      this.deps.metrics.points.inc({ campaign: campaign.id, kind: entry.kind }, Math.abs(entry.points));
    }
    if (result.negativeBalance) {
      this.deps.logger.warn({ campaignId: campaign.id, memberId, balance: result.balance.after }, 'clawback left a negative balance');
    }
    return { memberId, written, member };
  }

  /** Puts the member's current standing on the campaign's leaderboards. */
  private async index(campaign: Campaign, member: MemberProjection): Promise<void> {
    await this.deps.leaderboard.setScore(campaign.id, 'all', member.memberId, { points: member.earned, reachedAt: member.reachedAt, epoch: campaign.starts_at });
  }
}
