/**
 * Builders for rules tests: a campaign parsed by the real schema, events made
 * by the real normalizer, and a tiny in-memory ledger of one member that works
 * the way the ledger writer does: entries numbered after the member's last
 * seq, the unique (eventKey, ruleId) index the MongoDB ledger has, the member
 * state kept up to date entry by entry, review settlements recorded with the
 * seq they happened at, and an event already decided never scored again.
 */
import { campaignSchema, type Campaign } from '../../../src/config/campaign-schema.js';
import { toEngagementEvent, type EngagementEvent, type EventKind, type Platform } from '../../../src/domain/event.js';
import { isCampaignBonus, refKey, type LedgerStatus } from '../../../src/domain/ledger.js';
import type { EntryDecision, MemberFact } from '../../../src/ledger/entry.js';
import { applyEntry, settleEntry, stateOf, type AwardNote, type MemberState } from '../../../src/ledger/member-state.js';
import { stateSpecOf, type StateSpec } from '../../../src/ledger/state-spec.js';
import { standingAwardsOf } from '../../../src/scoring/event-entries.js';
import { deletedEventKeys } from '../../../src/scoring/rules/index.js';
import { scoreEvent } from '../../../src/scoring/rules/score-event.js';
import type { ScoringResult } from '../../../src/scoring/rules/types.js';

export type CampaignInput = Record<string, unknown>;

export function campaignOf(overrides: CampaignInput = {}): Campaign {
  return campaignSchema.parse(campaignFileOf(overrides));
}

/** The campaign as its file says it, before parsing. */
export function campaignFileOf(overrides: CampaignInput = {}): CampaignInput {
  return {
    id: 'cafe-ramadan',
    name: { ar: 'نقاط رمضان', en: 'Ramadan points' },
    timezone: 'Asia/Riyadh',
    starts_at: '2027-03-01T00:00:00+03:00',
    ends_at: '2027-03-31T23:59:59+03:00',
    accounts: { instagram: ['17841400000000001'], tiktok: ['bc-123'] },
    hashtags: ['قهوة_نقطة', 'nuqtacafe'],
    media: ['media-1', 'media-2'],
    rules: [{ id: 'comment', on: 'comment', points: 10 }],
    ...overrides,
  };
}

export interface EventOptions {
  id?: string;
  platform?: Platform;
  text?: string;
  mediaId?: string;
  verified?: boolean;
  user?: string;
  receivedAt?: string;
}

let nextId = 0;

/** An event of `kind` that happened at `at` (an ISO instant with its offset). */
export function eventOf(kind: EventKind, at: string, options: EventOptions = {}): EngagementEvent {
  nextId += 1;
  const occurredAt = new Date(at);
  return toEngagementEvent({
    platform: options.platform ?? 'instagram',
    kind,
    actor: { platformUserId: options.user ?? 'u-1' },
    target: {
      accountId: '17841400000000001',
      ...(options.mediaId === undefined ? { mediaId: 'media-1' } : options.mediaId === '' ? {} : { mediaId: options.mediaId }),
    },
    text: options.text ?? 'great coffee',
    occurredAt,
    receivedAt: options.receivedAt === undefined ? occurredAt : new Date(options.receivedAt),
    source: 'webhook',
    verified: options.verified ?? true,
    platformEventId: options.id ?? `ev-${nextId}`,
  });
}

export const comment = (at: string, options: EventOptions = {}): EngagementEvent => eventOf('comment', at, options);

export function deletionOf(original: EngagementEvent, at: string): EngagementEvent {
  return eventOf('comment_deleted', at, { id: original.platformEventId, platform: original.platform, text: '' });
}

/** A ledger entry before the ledger numbers it. */
export type FactDraft = Omit<MemberFact, 'seq'>;

/** What a decision asks the ledger to write, as far as the member state reads it (a ScoredEntry or an EntryDecision). */
export type Written = Pick<EntryDecision, 'eventKey' | 'ruleId' | 'kind' | 'points' | 'status' | 'occurredAt' | 'refersTo'>;

/** A hand-written entry, posted and occurring (and written) at `at` unless told otherwise. */
export function fact(partial: Partial<FactDraft> & Pick<FactDraft, 'eventKey' | 'ruleId' | 'kind' | 'points'>, at = '2027-03-05T12:00:00+03:00'): FactDraft {
  return { status: 'posted', occurredAt: new Date(at), createdAt: new Date(at), ...partial };
}

/** Hand-written entries as the ledger holds them: seq = position + 1. */
export function ledgerOf(drafts: readonly FactDraft[]): MemberFact[] {
  return drafts.map((draft, index) => ({ ...draft, seq: index + 1 }));
}

/** The member state folded from a ledger (hand-written drafts are numbered first). */
export function stateFrom(campaign: Campaign, entries: readonly (MemberFact | FactDraft)[]): MemberState {
  const facts = entries.every((entry): entry is MemberFact => 'seq' in entry) ? entries : ledgerOf(entries);
  return stateOf(facts, stateSpecOf(campaign));
}

function factOf(entry: Written, seq: number, createdAt: Date): MemberFact {
  const { eventKey, ruleId, kind, points, status, occurredAt, refersTo } = entry;
  return { seq, eventKey, ruleId, kind, points, status, occurredAt, createdAt, ...(refersTo ? { refersTo } : {}) };
}

/** What the ledger would hold after writing `entries`: numbered after the last seq, duplicates of (eventKey, ruleId) skipped. */
export function appendEntries(facts: readonly MemberFact[], entries: readonly Written[], createdAt: Date): MemberFact[] {
  const keys = new Set(facts.map(refKey));
  const next = [...facts];
  let seq = facts.reduce((last, known) => Math.max(last, known.seq), 0);
  for (const entry of entries) {
    if (keys.has(refKey(entry))) continue;
    keys.add(refKey(entry));
    seq += 1;
    next.push(factOf(entry, seq, createdAt));
  }
  return next;
}

/**
 * The deleted comment's standing awards, as the production shell finds them:
 * the ones the state remembers, else the ones its ledger entries leave standing.
 */
export function deletedAwardsOf(state: MemberState, facts: readonly MemberFact[], deletion: EngagementEvent): AwardNote[] {
  const keys = new Set(deletedEventKeys(deletion));
  const remembered = state.awards.filter((award) => keys.has(award.eventKey) && !isCampaignBonus(award.ruleId));
  return remembered.length > 0 ? remembered : standingAwardsOf(facts, keys);
}

/** One member's ledger and state in one campaign, written to the way the ledger writer writes. */
export class MemberLedger {
  readonly facts: MemberFact[];
  readonly state: MemberState;
  readonly spec: StateSpec;
  private readonly decided: Set<string>;

  constructor(readonly campaign: Campaign, facts: readonly MemberFact[] = []) {
    this.spec = stateSpecOf(campaign);
    this.facts = [...facts];
    this.state = stateOf(facts, this.spec);
    // Every event an entry is keyed by was decided; so were the events played here.
    this.decided = new Set(facts.map((known) => known.eventKey));
  }

  /** Writes `entries` after the member's last seq (a duplicate key is dropped, as the unique index drops it) and applies each to the state. */
  append(entries: readonly Written[], createdAt: Date): MemberFact[] {
    const keys = new Set(this.facts.map(refKey));
    const written: MemberFact[] = [];
    for (const entry of entries) {
      if (keys.has(refKey(entry))) continue;
      keys.add(refKey(entry));
      const appended = factOf(entry, this.state.seq + 1, createdAt);
      applyEntry(this.state, appended, this.spec);
      this.facts.push(appended);
      written.push(appended);
    }
    return written;
  }

  /** A review decision moves the held entry `seq` to `status`, recorded as of the member's last seq. */
  settle(seq: number, status: 'posted' | 'rejected'): void {
    const index = this.facts.findIndex((known) => known.seq === seq);
    const held = this.facts[index];
    if (!held || held.status !== 'held') throw new Error(`entry ${seq} is not held`);
    this.facts[index] = { ...held, status, settledAtSeq: this.state.seq };
    settleEntry(this.state, seq, status, this.spec);
  }

  /** Whether the event was decided already (a delivery of it is a duplicate). */
  hasDecided(eventKey: string): boolean {
    return this.decided.has(eventKey);
  }

  /**
   * Scores the event on the state and writes its entries (written when the
   * event was received). An event already decided is a duplicate: it is not
   * scored again and writes nothing (undefined).
   */
  score(event: EngagementEvent, status?: LedgerStatus): ScoringResult | undefined {
    if (this.hasDecided(event.eventKey)) return undefined;
    this.decided.add(event.eventKey);
    const deletedAwards = event.kind === 'comment_deleted' || event.kind === 'order_refunded' ? deletedAwardsOf(this.state, this.facts, event) : undefined;
    const result = scoreEvent({
      event, campaign: this.campaign, state: this.state, ...(status ? { status } : {}), ...(deletedAwards ? { deletedAwards } : {}),
    });
    this.append(result.entries, event.receivedAt);
    return result;
  }
}

export interface Played {
  facts: MemberFact[];
  state: MemberState;
  /** One per delivery; a duplicate's writes nothing. */
  results: ScoringResult[];
  /** Indexes of the deliveries skipped as duplicates of an event already decided. */
  duplicates: number[];
}

/** The result of a delivery skipped as a duplicate: nothing written, the balance as it was. */
function nothingWritten(state: MemberState): ScoringResult {
  return { entries: [], nonAwards: [], balance: { before: state.balance, after: state.balance }, negativeBalance: state.balance < 0 };
}

/**
 * Scores the events one after the other, as the member's partition does,
 * after the ledger `facts` (an event an entry of them is keyed by counts as
 * decided). A delivery of an event already decided is skipped.
 */
export function play(
  campaign: Campaign,
  events: readonly EngagementEvent[],
  options: { facts?: readonly MemberFact[]; status?: LedgerStatus } = {},
): Played {
  const ledger = new MemberLedger(campaign, options.facts);
  const results: ScoringResult[] = [];
  const duplicates: number[] = [];
  events.forEach((event, index) => {
    const result = ledger.score(event, options.status);
    if (result === undefined) duplicates.push(index);
    results.push(result ?? nothingWritten(ledger.state));
  });
  return { facts: ledger.facts, state: ledger.state, results, duplicates };
}

/** Entries as `ruleId kind points` lines: compact to compare in tables. */
export function summary(entries: readonly { ruleId: string; kind: string; points: number; status?: string }[]): string[] {
  return entries.map((entry) => `${entry.ruleId} ${entry.kind} ${entry.points}${entry.status && entry.status !== 'posted' ? ` ${entry.status}` : ''}`);
}
