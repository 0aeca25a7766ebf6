/**
 * src/scoring turns a stored event into ledger entries. The decisions are pure
 * (rules/, fraud/); this shell loads the member's state, records what the
 * rules decided and brings the projections and leaderboards up to date.
 */
import type { Campaign } from '../config/campaign-schema.js';
import type { LoadedCampaign } from '../config/campaign-loader.js';
import { memberIdOf, type EngagementEvent } from '../domain/event.js';
import type { LedgerEntry, LedgerEntryDraft, LedgerStatus, MemberFact } from '../ledger/entry.js';
import { NuqtaError } from '../errors.js';
import type { LedgerStore } from '../ledger/ledger-store.js';
import type { MemberProjection, MemberStore } from '../ledger/member-store.js';
import { projectionOf, repairedProjection } from '../ledger/projection.js';
import type { LeaderboardIndex } from '../leaderboard/leaderboard-index.js';
import { boardsOf, standingsOf } from '../leaderboard/standings.js';
import type { Logger } from '../log.js';
import type { Metrics } from '../metrics.js';
import { awardsInReviewWindow, underReviewEntries } from '../review/retro-review.js';
import type { DecisionStore } from './decision-store.js';
import type { FraudHistory } from './fraud-history.js';
import { buildRecentActivity, fraudListsFor, scoreFraud, type FraudDecision, type FraudSignalCode, type FraudVerdict } from './fraud/index.js';
import type { MemberScoringState, ScoredEntry, ScoringResult } from './rules/types.js';

export type DecideAwards = (input: { event: EngagementEvent; campaign: Campaign; state: MemberScoringState; now: Date; status?: LedgerStatus }) => ScoringResult;

/** An event the fraud scorer held or rejected that left entries to review, handed to the review queue. */
export interface HeldAward {
  campaignId: string;
  eventKey: string;
  memberId: string;
  verdict: FraudVerdict;
  /** The event's held entries: its own held awards and the reversals putting earlier awards under review. */
  entries: readonly MemberFact[];
  occurredAt: Date;
  heldAt: Date;
}

export interface ReviewQueue {
  /** Opens a review flag for the held award, once; true when this call opened it. */
  hold(held: HeldAward): Promise<boolean>;
  /** The events among `eventKeys` that had a review flag of their own. */
  reviewedEvents(campaignId: string, eventKeys: readonly string[]): Promise<ReadonlySet<string>>;
}

export interface BlockList {
  isBlocked(memberId: string): Promise<boolean>;
}

/** What reviewers' approvals have cleared the member of (src/review/clearances.ts). */
export interface ClearanceReader {
  clearedFor(campaignId: string, memberId: string, now: Date): Promise<ReadonlySet<FraudSignalCode>>;
}

export interface EventScorerDeps {
  decide: DecideAwards;
  ledger: LedgerStore;
  members: MemberStore;
  decisions: DecisionStore;
  leaderboard: LeaderboardIndex;
  /** The recent activity the fraud scorer reads. */
  fraudHistory: FraudHistory;
  blocks: BlockList;
  clearances: ClearanceReader;
  reviewQueue: ReviewQueue;
  metrics: Metrics;
  logger: Logger;
  now?: () => Date;
}

const STATUS_OF: Record<FraudDecision, LedgerStatus> = { allow: 'posted', hold: 'held', reject: 'rejected' };

/** Removals take points back: holding them would leave the member the points of a deleted comment. */
const UNJUDGED_KINDS: ReadonlySet<EngagementEvent['kind']> = new Set(['comment_deleted', 'unfollow']);

/** Rebuilding a projection gives way to concurrent writers this many times before failing (retryably). */
const REBUILD_ATTEMPTS = 5;

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
    const now = this.deps.now?.() ?? new Date();
    const seen = await this.deps.members.upsertMember(campaign.id, memberId, event.platform, event.actor);
    const [before, verdict] = await Promise.all([this.caughtUp(loaded, memberId, seen), this.judge(loaded, event, memberId, now)]);
    const status = verdict ? STATUS_OF[verdict.decision] : 'posted';
    const result = this.deps.decide({ event, campaign, state: { facts: before.facts }, now, status });
    const underReview = await this.underReview(campaign, before.facts, event, verdict);
    const { written, member } = await this.write(loaded, before, [...withFraudReasons(result.entries, verdict), ...underReview], 'system');
    const eventFacts = [...before.facts.filter((fact) => fact.eventKey === event.eventKey), ...written];
    const entrySeqs = eventFacts.map((entry) => entry.seq);
    await this.deps.decisions.record({
      campaignId: campaign.id, eventKey: event.eventKey, memberId, campaignRevision: revision, nonAwards: result.nonAwards, entrySeqs, decidedAt: now,
      ...(verdict ? { fraud: verdict } : {}),
    });
    // A held event that earned nothing (a cap, a failed condition) and put nothing under review leaves nobody anything to review.
    const held = eventFacts.filter((fact) => fact.status === 'held');
    if (verdict && verdict.decision !== 'allow' && held.length > 0) {
      const opened = await this.deps.reviewQueue.hold({ campaignId: campaign.id, eventKey: event.eventKey, memberId, verdict, entries: held, occurredAt: event.occurredAt, heldAt: now });
      if (opened) this.deps.metrics.flagsOpened.inc({ campaign: campaign.id });
    }
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

  /**
   * Rebuilds the member's projection from all their ledger entries, and their
   * standing on every board: after a review decision changed held entries in
   * place, applying new entries alone would miss the change.
   */
  async rebuild(loaded: LoadedCampaign, memberId: string): Promise<MemberProjection> {
    const { campaign } = loaded;
    for (let attempt = 1; ; attempt += 1) {
      const stored = await this.deps.members.get(campaign.id, memberId);
      const entries = await this.deps.ledger.entriesAfter(campaign.id, memberId, 0);
      const rebuilt = repairedProjection(campaign.id, memberId, stored, projectionOf(entries));
      // Replaced only if nobody applied an entry meanwhile (a redemption); otherwise read again.
      if (await this.deps.members.replace(rebuilt, stored?.appliedSeq ?? null)) {
        await this.index(campaign, rebuilt, entries);
        return rebuilt;
      }
      if (attempt >= REBUILD_ATTEMPTS) throw new NuqtaError('NUQTA_STORE_UNAVAILABLE', `the projection of ${memberId} kept changing while it was rebuilt; retrying`);
    }
  }

  /** The member's projection with every ledger entry applied, including any written before a crash; `known`, a fresh copy, saves a read. */
  async caughtUp(loaded: LoadedCampaign, memberId: string, known?: MemberProjection): Promise<MemberProjection> {
    const { campaign } = loaded;
    const seen = known ?? (await this.deps.members.get(campaign.id, memberId));
    if (!seen) throw new NuqtaError('NUQTA_MEMBER_NOT_FOUND', `no member "${memberId}" in campaign "${campaign.id}"`);
    const pending = await this.deps.ledger.entriesAfter(campaign.id, memberId, seen.appliedSeq);
    if (pending.length === 0) return seen;
    const member = (await this.deps.members.applyEntries(campaign.id, memberId, pending, seen)) ?? seen;
    await this.index(campaign, member, pending);
    return member;
  }

  /**
   * The fraud verdict for the event, with the campaign's weights, thresholds
   * and lists plus the shared block list. The event joins the recent-activity
   * windows first: the member's first-seen time may be this very event, and
   * a deletion, never judged itself, is what a later delete-and-comment-again
   * cycle is read from.
   */
  private async judge(loaded: LoadedCampaign, event: EngagementEvent, memberId: string, now: Date): Promise<FraudVerdict | undefined> {
    const { campaign } = loaded;
    await this.deps.fraudHistory.remember(event, campaign.id);
    if (UNJUDGED_KINDS.has(event.kind)) return undefined;
    const [source, blocked, cleared] = await Promise.all([
      this.deps.fraudHistory.load(event, campaign),
      this.deps.blocks.isBlocked(memberId),
      this.deps.clearances.clearedFor(campaign.id, memberId, now),
    ]);
    const lists = fraudListsFor(campaign, blocked ? [memberId] : []);
    return scoreFraud({ event, campaign, history: buildRecentActivity(event, source), lists, now, cleared });
  }

  /**
   * A held or rejected event puts the member's recent posted awards under
   * review with it (src/review/retro-review.ts); events a reviewer already
   * decided on are left out.
   */
  private async underReview(campaign: Campaign, facts: readonly MemberFact[], event: EngagementEvent, verdict: FraudVerdict | undefined): Promise<EntryDecision[]> {
    if (!verdict || verdict.decision === 'allow') return [];
    const flagged = { eventKey: event.eventKey, occurredAt: event.occurredAt, decision: verdict.decision };
    const awards = awardsInReviewWindow(facts, flagged);
    if (awards.length === 0) return [];
    const reviewedEvents = await this.deps.reviewQueue.reviewedEvents(campaign.id, [...new Set(awards.map((award) => award.eventKey))]);
    return underReviewEntries({ campaign, facts, flagged, reviewedEvents });
  }

  private async write(loaded: LoadedCampaign, before: MemberProjection, drafts: readonly EntryDecision[], by: string): Promise<{ written: LedgerEntry[]; member: MemberProjection }> {
    const { campaign, revision } = loaded;
    const written = await this.deps.ledger.append(
      drafts.map((draft) => ({ ...draft, campaignId: campaign.id, memberId: before.memberId, campaignRevision: revision, by, explain: { ...draft.explain } })),
      before.appliedSeq,
    );
    if (written.length === 0) return { written, member: before };
    const member = (await this.deps.members.applyEntries(campaign.id, before.memberId, written, before)) ?? before;
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

/** Held and rejected awards carry the verdict that held or rejected them, so their history explains why. */
function withFraudReasons(entries: readonly ScoredEntry[], verdict: FraudVerdict | undefined): ScoredEntry[] {
  return entries.map((entry) => (verdict && entry.status !== 'posted' ? { ...entry, explain: { ...entry.explain, fraud: verdict } } : entry));
}
