/**
 * What re-scoring a member's stored events against the current campaign file
 * would give, event by event, next to what the ledger holds — and the
 * `adjust` entries that would make the two agree. Pure: the replay command
 * loads events and facts and writes what this returns.
 *
 * Compared are the points events earned: earn, bonus and reverse entries,
 * plus earlier replay adjustments. Redemptions, expiry and manual
 * adjustments are not re-scored and stay as they are; a review decision is
 * kept by re-scoring the event with the status the ledger gave its awards.
 * Referral awards rest on the codes' counters when the order was scored,
 * which the rules cannot read again: they are kept as the ledger has them,
 * in the re-scored state at their place (they count towards tiers) and out
 * of the comparison.
 */
import type { Campaign } from '../config/campaign-schema.js';
import type { EngagementEvent } from '../domain/event.js';
import { REFERRAL_RULE_PREFIX, REFERRER_RULE_PREFIX, REPLAY_RULE_PREFIX, REVERSE_RULE_PREFIX, REVIEW_RULE_PREFIX, type LedgerKind, type LedgerStatus } from '../domain/ledger.js';
import { pointsText } from '../domain/wording.js';
import type { EntryDecision, MemberFact } from '../ledger/entry.js';
import { applyEntry, emptyState } from '../ledger/member-state.js';
import { stateSpecOf } from '../ledger/state-spec.js';
import { standingAwardsOf } from './event-entries.js';
import { deletedEventKeys, scoreEvent } from './rules/index.js';

export interface EventReplay {
  eventKey: string;
  occurredAt: Date;
  /** Points the ledger holds for the event. */
  now: number;
  /** Points re-scoring gives it. */
  wouldBe: number;
}

export interface MemberReplay {
  memberId: string;
  now: number;
  wouldBe: number;
  /** Only the events whose points differ. */
  events: EventReplay[];
}

const EVENT_KINDS: ReadonlySet<LedgerKind> = new Set(['earn', 'bonus', 'reverse']);

/** A referral award, or its reversal after a refund. */
function isReferralAward(fact: MemberFact): boolean {
  const ruleId = fact.ruleId.startsWith(REVERSE_RULE_PREFIX) ? fact.ruleId.slice(REVERSE_RULE_PREFIX.length) : fact.ruleId;
  return ruleId.startsWith(REFERRAL_RULE_PREFIX) || ruleId.startsWith(REFERRER_RULE_PREFIX);
}

function isReplayAdjustment(fact: MemberFact): boolean {
  return fact.kind === 'adjust' && fact.ruleId.startsWith(REPLAY_RULE_PREFIX);
}

function pointsByEvent(facts: readonly MemberFact[], counts: (fact: MemberFact) => boolean): Map<string, number> {
  const points = new Map<string, number>();
  for (const fact of facts) {
    if (fact.status === 'posted' && counts(fact)) points.set(fact.eventKey, (points.get(fact.eventKey) ?? 0) + fact.points);
  }
  return points;
}

/** The status the ledger gave the event's awards (a fraud hold, a review decision); posted when it has none. */
function statusOf(eventKey: string, facts: readonly MemberFact[]): LedgerStatus {
  return facts.find((fact) => fact.eventKey === eventKey && (fact.kind === 'earn' || fact.kind === 'bonus'))?.status ?? 'posted';
}

/** Re-scores `events` (one member's, in occurredAt order) from an empty state and compares each with the ledger's `facts`. */
export function replayMember(input: { memberId: string; campaign: Campaign; events: readonly EngagementEvent[]; facts: readonly MemberFact[] }): MemberReplay {
  const { memberId, campaign, events, facts } = input;
  const spec = stateSpecOf(campaign);
  const state = emptyState(spec);
  const replayed: MemberFact[] = [];
  const kept = facts.filter(isReferralAward).sort((a, b) => a.occurredAt.getTime() - b.occurredAt.getTime() || a.seq - b.seq);
  const keep = (which: (fact: MemberFact) => boolean): void => {
    for (const fact of kept.filter(which)) {
      kept.splice(kept.indexOf(fact), 1);
      applyEntry(state, { ...fact, seq: state.seq + 1 }, spec);
    }
  };
  for (const event of events) {
    keep((fact) => fact.eventKey !== event.eventKey && fact.occurredAt <= event.occurredAt);
    const deletedAwards = event.kind === 'comment_deleted' || event.kind === 'order_refunded' ? standingAwardsOf(replayed, new Set(deletedEventKeys(event))) : undefined;
    const result = scoreEvent({ event, campaign, state, status: statusOf(event.eventKey, facts), ...(deletedAwards ? { deletedAwards } : {}) });
    for (const entry of result.entries) {
      // Scored as it was first scored: written when it was received.
      const fact: MemberFact = { ...entry, seq: state.seq + 1, createdAt: event.receivedAt };
      replayed.push(fact);
      applyEntry(state, fact, spec);
    }
    keep((fact) => fact.eventKey === event.eventKey);
  }
  // Review reversals are a reviewer's decision, not the rules': like redemptions, replay leaves them be.
  const now = pointsByEvent(facts, (fact) => (EVENT_KINDS.has(fact.kind) && !fact.ruleId.startsWith(REVIEW_RULE_PREFIX) && !isReferralAward(fact)) || isReplayAdjustment(fact));
  const wouldBe = pointsByEvent(replayed, (fact) => EVENT_KINDS.has(fact.kind));
  const compared = events.map((event) => ({ eventKey: event.eventKey, occurredAt: event.occurredAt, now: now.get(event.eventKey) ?? 0, wouldBe: wouldBe.get(event.eventKey) ?? 0 }));
  return {
    memberId,
    now: compared.reduce((sum, event) => sum + event.now, 0),
    wouldBe: compared.reduce((sum, event) => sum + event.wouldBe, 0),
    events: compared.filter((event) => event.now !== event.wouldBe),
  };
}

/**
 * One `adjust` entry per differing event, at the event's time so it lands on
 * the same leaderboard week and month. Keyed `replay:<revision>` (then
 * `replay:<revision>:2`, …), so applying the same replay twice writes once.
 */
export function replayAdjustments(replay: MemberReplay, facts: readonly MemberFact[], revision: string): EntryDecision[] {
  return replay.events.map((event) => {
    const earlier = facts.filter((fact) => fact.eventKey === event.eventKey && isReplayAdjustment(fact) && fact.ruleId.startsWith(`${REPLAY_RULE_PREFIX}${revision}`)).length;
    const points = event.wouldBe - event.now;
    const amount = pointsText(Math.abs(points));
    return {
      eventKey: event.eventKey,
      ruleId: `${REPLAY_RULE_PREFIX}${revision}${earlier === 0 ? '' : `:${earlier + 1}`}`,
      kind: 'adjust',
      points,
      status: 'posted',
      occurredAt: event.occurredAt,
      reason: {
        code: 'REPLAY_ADJUSTED',
        text: points > 0
          ? { en: `${amount.en} added: re-scored with campaign revision ${revision}`, ar: `أُضيفت ${amount.ar} بعد إعادة الاحتساب وفق نسخة الحملة ${revision}` }
          : { en: `${amount.en} taken back: re-scored with campaign revision ${revision}`, ar: `خُصمت ${amount.ar} بعد إعادة الاحتساب وفق نسخة الحملة ${revision}` },
      },
      explain: { replay: { revision, now: event.now, wouldBe: event.wouldBe } },
    };
  });
}
