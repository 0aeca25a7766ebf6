/**
 * Builders for rules tests: a campaign parsed by the real schema, events made
 * by the real normalizer, and a tiny in-memory ledger that keeps the unique
 * (eventKey, ruleId) index the MongoDB ledger has.
 */
import { campaignSchema, type Campaign } from '../../../src/config/campaign-schema.js';
import { toEngagementEvent, type EngagementEvent, type EventKind, type Platform } from '../../../src/domain/event.js';
import { scoreEvent } from '../../../src/scoring/rules/score-event.js';
import { asFacts } from '../../../src/scoring/rules/facts.js';
import type { ScoredEntry, LedgerFact, LedgerStatus, ScoringResult } from '../../../src/scoring/rules/types.js';

export type CampaignInput = Record<string, unknown>;

export function campaignOf(overrides: CampaignInput = {}): Campaign {
  return campaignSchema.parse({
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
  });
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

/** What the ledger would hold after writing `entries`: duplicates of (eventKey, ruleId) are skipped. */
export function appendEntries(facts: readonly LedgerFact[], entries: readonly ScoredEntry[], createdAt: Date): LedgerFact[] {
  const keys = new Set(facts.map((fact) => `${fact.eventKey}\u0000${fact.ruleId}`));
  const next = [...facts];
  for (const entry of entries) {
    const key = `${entry.eventKey}\u0000${entry.ruleId}`;
    if (keys.has(key)) continue;
    keys.add(key);
    next.push(...asFacts([entry], createdAt));
  }
  return next;
}

export interface Played {
  facts: LedgerFact[];
  results: ScoringResult[];
}

/**
 * Scores the events one after the other, as the per-member worker does, each
 * scored at its own receivedAt unless `now` is given.
 */
export function play(
  campaign: Campaign,
  events: readonly EngagementEvent[],
  options: { facts?: readonly LedgerFact[]; now?: Date; status?: LedgerStatus } = {},
): Played {
  let facts: LedgerFact[] = [...(options.facts ?? [])];
  const results: ScoringResult[] = [];
  for (const event of events) {
    const now = options.now ?? event.receivedAt;
    const result = scoreEvent({ event, campaign, state: { facts }, now, ...(options.status ? { status: options.status } : {}) });
    results.push(result);
    facts = appendEntries(facts, result.entries, now);
  }
  return { facts, results };
}

/** Entries as `ruleId kind points` lines: compact to compare in tables. */
export function summary(entries: readonly { ruleId: string; kind: string; points: number; status?: string }[]): string[] {
  return entries.map((entry) => `${entry.ruleId} ${entry.kind} ${entry.points}${entry.status && entry.status !== 'posted' ? ` ${entry.status}` : ''}`);
}

export function fact(partial: Partial<LedgerFact> & Pick<LedgerFact, 'eventKey' | 'ruleId' | 'kind' | 'points'>, at = '2027-03-05T12:00:00+03:00'): LedgerFact {
  return { status: 'posted', occurredAt: new Date(at), createdAt: new Date(at), ...partial };
}
