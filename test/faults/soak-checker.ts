/**
 * What a soak run must leave behind, proven from the stores alone (MongoDB:
 * events, decisions, ledger; Redis: member records and boards):
 * - every accepted event decided exactly once, its entries exactly the ones
 *   its decision lists (nothing lost, nothing doubled);
 * - every event's entries exactly what the pure rules engine gives for the
 *   member's state just before them: by induction over each member's ledger,
 *   re-scoring the member's events from scratch gives the same ledger; an
 *   event that earned nothing earns nothing at its place either;
 * - no rule's cap exceeded (day and campaign limits, by the campaign's clock);
 * - each balance the sum of the member's posted entries, and no redemption
 *   spent more than the posted points not under review (held points are
 *   never spendable); only a deleted comment's clawback may go below zero;
 * - the all-time board the sum of what each member earned and had posted,
 *   less the points under review (they stand on no board until approved).
 * The snapshot is read once; the checks are pure, so a test can break a
 * snapshot on purpose and see them fail.
 */
import type { Campaign } from '../../src/config/campaign-schema.js';
import { localDayId } from '../../src/domain/calendar.js';
import { memberIdOf, type EngagementEvent } from '../../src/domain/event.js';
import { balanceDelta, earnedDelta, isAward, refKey, REVIEW_RULE_PREFIX, type LedgerStatus } from '../../src/domain/ledger.js';
import type { LedgerEntry } from '../../src/ledger/entry.js';
import { applyEntry, emptyState, pointsUnderReview, type MemberState } from '../../src/ledger/member-state.js';
import { stateSpecOf, type StateSpec } from '../../src/ledger/state-spec.js';
import type { ScoringDecision } from '../../src/scoring/decision-store.js';
import { standingAwardsOf } from '../../src/scoring/event-entries.js';
import type { FraudDecision } from '../../src/scoring/fraud/index.js';
import { deletedEventKeys, scoreEvent } from '../../src/scoring/rules/index.js';

export interface StoreSnapshot {
  /** Events stored for the campaign. */
  events: EngagementEvent[];
  decisions: ScoringDecision[];
  ledger: LedgerEntry[];
  /** Member records (Redis), by member. */
  records: Map<string, MemberState | null>;
  /** The all-time board (Redis): points by member. */
  board: Map<string, number>;
}

export interface CheckReport {
  events: number;
  /** Ledger entries, and among them reversals of deleted comments, held awards and redemptions. */
  entries: { all: number; reversed: number; held: number; redeemed: number };
  /** Accepted events not decided, and entries a decision lists that the ledger lacks. */
  lost: string[];
  /** Entries beyond one per (event, rule), and entries no decision lists. */
  duplicated: string[];
  /** Awards the rules engine would not give, or would give differently. */
  misscored: string[];
  capViolations: string[];
  /** Records whose balance is not the sum of the member's posted entries, or went below zero. */
  balances: string[];
  /** Members whose all-time board points are not what they earned. */
  boards: string[];
}

export function failures(report: CheckReport): number {
  return report.lost.length + report.duplicated.length + report.misscored.length + report.capViolations.length + report.balances.length + report.boards.length;
}

const STATUS_OF: Record<FraudDecision, LedgerStatus> = { allow: 'posted', hold: 'held', reject: 'rejected' };

function groupBy<T>(items: readonly T[], keyOf: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) groups.set(keyOf(item), [...(groups.get(keyOf(item)) ?? []), item]);
  return groups;
}

/** The parts of an entry the rules decide, as one comparable string. */
function awardShape(entry: { ruleId: string; kind: string; points: number; status: string }): string {
  return `${entry.kind}:${entry.ruleId}:${entry.points}:${entry.status}`;
}

function sameShapes(a: readonly string[], b: readonly string[]): boolean {
  return [...a].sort().join('|') === [...b].sort().join('|');
}

/** Rule entries only: review entries follow a fraud verdict, not the rules. */
function byRules(entry: { ruleId: string }): boolean {
  return !entry.ruleId.startsWith(REVIEW_RULE_PREFIX);
}

function rescore(event: EngagementEvent, campaign: Campaign, state: MemberState, before: readonly LedgerEntry[], decision: ScoringDecision): string[] {
  const deletedAwards = event.kind === 'comment_deleted' ? standingAwardsOf(before, new Set(deletedEventKeys(event))) : undefined;
  const status = decision.fraud ? STATUS_OF[decision.fraud.decision] : 'posted';
  const result = scoreEvent({ event, campaign, state, status, ...(deletedAwards ? { deletedAwards } : {}) });
  return result.entries.filter(byRules).map(awardShape);
}

/** Each member's states after each of their entries: states[k] is the state with seqs 1..k applied. */
function statesAlong(entries: readonly LedgerEntry[], spec: StateSpec): MemberState[] {
  const state = emptyState(spec);
  const states = [structuredClone(state)];
  for (const entry of entries) {
    applyEntry(state, entry, spec);
    states.push(structuredClone(state));
  }
  return states;
}

function checkMember(campaign: Campaign, spec: StateSpec, entries: readonly LedgerEntry[], decisions: readonly ScoringDecision[], eventOf: Map<string, EngagementEvent>, report: CheckReport): void {
  const states = statesAlong(entries, spec);
  for (const decision of decisions) {
    const event = eventOf.get(decision.eventKey);
    if (!event) continue;
    const own = entries.filter((entry) => decision.entrySeqs.includes(entry.seq));
    if (own.length > 0) {
      const first = Math.min(...own.map((entry) => entry.seq));
      const wouldBe = rescore(event, campaign, states[first - 1] ?? emptyState(spec), entries.slice(0, first - 1), decision);
      if (!sameShapes(wouldBe, own.filter(byRules).map(awardShape))) report.misscored.push(`${decision.eventKey}: ledger ${own.map(awardShape).join(',')}, rules ${wouldBe.join(',') || 'nothing'}`);
      continue;
    }
    // Decided without entries: nothing is what the rules give at its place, somewhere among the entries its batch wrote.
    const at = decision.decidedAt.getTime();
    const from = entries.filter((entry) => entry.createdAt.getTime() < at).length;
    const to = entries.filter((entry) => entry.createdAt.getTime() <= at).length;
    const places = Array.from({ length: to - from + 1 }, (_, index) => from + index);
    const nothingSomewhere = places.some((place) => rescore(event, campaign, states[place] ?? emptyState(spec), entries.slice(0, place), decision).length === 0);
    if (!nothingSomewhere) report.misscored.push(`${decision.eventKey}: earned nothing, the rules award it wherever it was scored`);
  }
}

function checkCaps(campaign: Campaign, ledger: readonly LedgerEntry[], report: CheckReport): void {
  const undone = new Set(ledger.flatMap((entry) => (entry.kind === 'reverse' && entry.refersTo && entry.status === 'posted' ? [`${entry.memberId}|${refKey(entry.refersTo)}`] : [])));
  const standing = ledger.filter((entry) => entry.kind === 'earn' && entry.status !== 'rejected' && !undone.has(`${entry.memberId}|${refKey(entry)}`));
  for (const rule of campaign.rules) {
    const limits = rule.limits;
    if (!limits) continue;
    const awards = standing.filter((entry) => entry.ruleId === rule.id);
    const windows: [string, number | undefined, (entry: LedgerEntry) => string][] = [
      ['day', limits.per_day, (entry) => `${entry.memberId}|${localDayId(entry.occurredAt, campaign.timezone)}`],
      ['campaign', limits.per_campaign, (entry) => entry.memberId],
    ];
    for (const [window, cap, slotOf] of windows) {
      if (cap === undefined) continue;
      for (const [slot, inSlot] of groupBy(awards, slotOf)) if (inSlot.length > cap) report.capViolations.push(`${rule.id} per ${window} ${slot}: ${inSlot.length} > ${cap}`);
    }
  }
}

export function checkSnapshot(campaign: Campaign, snapshot: StoreSnapshot): CheckReport {
  const entries = {
    all: snapshot.ledger.length,
    reversed: snapshot.ledger.filter((entry) => entry.kind === 'reverse').length,
    held: snapshot.ledger.filter((entry) => entry.status === 'held').length,
    redeemed: snapshot.ledger.filter((entry) => entry.kind === 'redeem').length,
  };
  const report: CheckReport = { events: snapshot.events.length, entries, lost: [], duplicated: [], misscored: [], capViolations: [], balances: [], boards: [] };
  const spec = stateSpecOf(campaign);
  const eventOf = new Map(snapshot.events.map((event) => [event.eventKey, event]));
  const decisionsOf = groupBy(snapshot.decisions, (decision) => decision.eventKey);
  for (const event of snapshot.events) {
    const count = decisionsOf.get(event.eventKey)?.length ?? 0;
    if (count === 0) report.lost.push(`${event.eventKey}: accepted, never decided`);
    if (count > 1) report.duplicated.push(`${event.eventKey}: decided ${count} times`);
  }
  for (const [slot, copies] of groupBy(snapshot.ledger, (entry) => `${entry.memberId}|${entry.eventKey}|${entry.ruleId}`)) {
    if (copies.length > 1) report.duplicated.push(`${slot}: ${copies.length} entries`);
  }
  const entriesOf = groupBy(snapshot.ledger, (entry) => entry.memberId);
  const listed = new Set(snapshot.decisions.flatMap((decision) => decision.entrySeqs.map((seq) => `${decision.memberId}|${seq}`)));
  for (const decision of snapshot.decisions) {
    for (const seq of decision.entrySeqs) {
      if (!(entriesOf.get(decision.memberId) ?? []).some((entry) => entry.seq === seq)) report.lost.push(`${decision.eventKey}: entry ${decision.memberId}#${seq} missing`);
    }
  }
  for (const entry of snapshot.ledger) {
    if (isAward(entry) && !listed.has(`${entry.memberId}|${entry.seq}`)) report.duplicated.push(`${entry.memberId}#${entry.seq} ${entry.eventKey}: an award no decision lists`);
  }

  const members = new Set([...entriesOf.keys(), ...snapshot.events.map((event) => memberIdOf(event.platform, event.actor.platformUserId))]);
  for (const memberId of members) {
    const entries = [...(entriesOf.get(memberId) ?? [])].sort((a, b) => a.seq - b.seq);
    const holes = entries.filter((entry, index) => entry.seq !== index + 1);
    if (holes.length > 0) report.lost.push(`${memberId}: ledger seqs not 1..${entries.length}`);
    checkMember(campaign, spec, entries, snapshot.decisions.filter((decision) => decision.memberId === memberId), eventOf, report);

    let balance = 0;
    const states = statesAlong(entries, spec);
    for (const entry of entries) {
      const before = states[entry.seq - 1];
      // Held points and points under review are never spendable.
      if (entry.kind === 'redeem' && before && before.balance - pointsUnderReview(before) < -entry.points) {
        report.balances.push(`${memberId}: #${entry.seq} spent ${-entry.points} of ${before.balance - pointsUnderReview(before)} spendable`);
      }
      balance += balanceDelta(entry);
      // Only a clawback may take the balance below zero (points already spent); nothing that spends may.
      if (balance < 0 && balanceDelta(entry) < 0 && entry.kind !== 'reverse') report.balances.push(`${memberId}: balance ${balance} after #${entry.seq}`);
    }
    const record = snapshot.records.get(memberId);
    if (entries.length > 0 && record?.balance !== balance) report.balances.push(`${memberId}: record ${record?.balance ?? 'missing'}, ledger ${balance}`);
    // Points under review stand on no board until a reviewer approves them.
    const final = states.at(-1);
    const earned = entries.reduce((sum, entry) => sum + earnedDelta(entry), 0) - (final ? pointsUnderReview(final) : 0);
    const onBoard = snapshot.board.get(memberId);
    if ((onBoard ?? 0) !== earned || (onBoard === undefined && earned > 0)) report.boards.push(`${memberId}: board ${onBoard ?? 'absent'}, ledger ${earned}`);
  }
  for (const memberId of snapshot.board.keys()) if (!members.has(memberId)) report.boards.push(`${memberId}: on the board, not in the ledger`);
  checkCaps(campaign, snapshot.ledger, report);
  return report;
}
