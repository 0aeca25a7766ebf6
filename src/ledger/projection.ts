/**
 * A member projection recomputed from the ledger alone, and how a stored
 * projection differs from it. Pure: `nuqta verify` feeds it one member's
 * entries at a time and decides what to print or repair.
 */
import { balanceDelta, earnedDelta, factOf, type LedgerEntry, type MemberFact } from './entry.js';
import type { MemberProjection } from './member-store.js';

export interface LedgerProjection {
  balance: number;
  earned: number;
  appliedSeq: number;
  /** When `earned` last changed; null when no entry ever changed it (the projection keeps its first-seen time). */
  reachedAt: Date | null;
  facts: MemberFact[];
  /** Seqs absent between 1 and the last seq: the projection cannot apply past a hole. */
  missingSeqs: number[];
}

/** `entries` of one member in ascending seq. */
export function projectionOf(entries: readonly LedgerEntry[]): LedgerProjection {
  let balance = 0;
  let earned = 0;
  let reachedAt: Date | null = null;
  const missingSeqs: number[] = [];
  let expected = 1;
  for (const entry of entries) {
    for (; expected < entry.seq; expected += 1) missingSeqs.push(expected);
    expected = entry.seq + 1;
    balance += balanceDelta(entry);
    const delta = earnedDelta(entry);
    earned += delta;
    if (delta !== 0) reachedAt = entry.createdAt;
  }
  return { balance, earned, appliedSeq: entries.at(-1)?.seq ?? 0, reachedAt, facts: entries.map(factOf), missingSeqs };
}

export type ProjectionField = 'projection' | 'balance' | 'earned' | 'appliedSeq' | 'reachedAt' | 'facts' | 'ledger';

export interface ProjectionDifference {
  field: ProjectionField;
  projection: string | number | null;
  ledger: string | number | null;
}

/** Every field where the stored projection (null: none stored) disagrees with the ledger. */
export function projectionDifferences(stored: MemberProjection | null, ledger: LedgerProjection): ProjectionDifference[] {
  const differences: ProjectionDifference[] = [];
  if (ledger.missingSeqs.length > 0) {
    differences.push({ field: 'ledger', projection: null, ledger: `seq ${ledger.missingSeqs.join(', ')} missing` });
  }
  if (stored === null) {
    if (ledger.appliedSeq > 0) differences.push({ field: 'projection', projection: null, ledger: `${ledger.facts.length} entries` });
    return differences;
  }
  const compare = (field: ProjectionField, projection: string | number, expected: string | number): void => {
    if (projection !== expected) differences.push({ field, projection, ledger: expected });
  };
  compare('balance', stored.balance, ledger.balance);
  compare('earned', stored.earned, ledger.earned);
  compare('appliedSeq', stored.appliedSeq, ledger.appliedSeq);
  if (ledger.reachedAt !== null) compare('reachedAt', stored.reachedAt.toISOString(), ledger.reachedAt.toISOString());
  const firstDifferent = firstDifferentFact(stored.facts, ledger.facts);
  if (firstDifferent !== null) {
    differences.push({ field: 'facts', projection: `${stored.facts.length} facts`, ledger: `${ledger.facts.length} facts, first difference at seq ${firstDifferent}` });
  }
  return differences;
}

/** The projection rebuilt from the ledger, keeping what only the projection knows (name, privacy, first sight). */
export function repairedProjection(campaignId: string, memberId: string, stored: MemberProjection | null, ledger: LedgerProjection): MemberProjection {
  const firstSeenAt = stored?.firstSeenAt ?? ledger.facts[0]?.createdAt ?? new Date(0);
  const identity = stored ?? identityOf(memberId);
  return {
    campaignId,
    memberId,
    platform: identity.platform,
    platformUserId: identity.platformUserId,
    ...(stored?.username === undefined ? {} : { username: stored.username }),
    hideName: stored?.hideName ?? false,
    balance: ledger.balance,
    earned: ledger.earned,
    appliedSeq: ledger.appliedSeq,
    reachedAt: ledger.reachedAt ?? stored?.reachedAt ?? firstSeenAt,
    firstSeenAt,
    facts: ledger.facts,
  };
}

/** A member id is `platform:platformUserId` (src/domain/event.ts memberIdOf). */
function identityOf(memberId: string): Pick<MemberProjection, 'platform' | 'platformUserId'> {
  const colon = memberId.indexOf(':');
  const platform = memberId.slice(0, colon);
  if (platform !== 'instagram' && platform !== 'tiktok') throw new Error(`member id "${memberId}" names no platform`);
  return { platform, platformUserId: memberId.slice(colon + 1) };
}

function firstDifferentFact(stored: readonly MemberFact[], ledger: readonly MemberFact[]): number | null {
  for (let index = 0; index < Math.max(stored.length, ledger.length); index += 1) {
    const left = stored[index];
    const right = ledger[index];
    if (left === undefined || right === undefined || factText(left) !== factText(right)) return (right ?? left)?.seq ?? null;
  }
  return null;
}

function factText(fact: MemberFact): string {
  return JSON.stringify([
    fact.seq, fact.eventKey, fact.ruleId, fact.kind, fact.points, fact.status,
    fact.occurredAt.toISOString(), fact.createdAt.toISOString(), fact.refersTo?.eventKey ?? null, fact.refersTo?.ruleId ?? null,
  ]);
}
