import { campaignSchema, type Campaign } from '../../../src/config/campaign-schema.js';
import { toEngagementEvent, type ActorProfile, type EngagementEvent, type EventKind } from '../../../src/domain/event.js';
import { buildRecentActivity, priorActionOf, scoreFraud, type FraudLists, type FraudSignalCode, type FraudVerdict, type HistorySource } from '../../../src/scoring/fraud/index.js';

export const ACCOUNT = '17841400000000001';
export const STARTS_AT = new Date('2027-03-01T00:00:00+03:00');
/** Well after the campaign's newcomer warm-up. */
export const T0 = new Date('2027-03-05T12:00:00+03:00').getTime();
export const MINUTE = 60_000;

export function campaignWith(fraud: Record<string, unknown> = {}): Campaign {
  return campaignSchema.parse({
    id: 'cafe-ramadan',
    name: { ar: 'نقاط رمضان', en: 'Ramadan points' },
    timezone: 'Asia/Riyadh',
    starts_at: STARTS_AT,
    ends_at: '2027-03-31T23:59:59+03:00',
    accounts: { instagram: [ACCOUNT] },
    rules: [{ id: 'comment', on: 'comment', points: 10 }],
    fraud,
  });
}

let sequence = 0;

export interface EventSpec {
  user?: string;
  username?: string;
  profile?: ActorProfile;
  kind?: EventKind;
  at?: number;
  mediaId?: string | null;
  text?: string;
}

export function eventOf(spec: EventSpec = {}): EngagementEvent {
  sequence += 1;
  const at = new Date(spec.at ?? T0);
  const mediaId = spec.mediaId === undefined ? 'media-1' : spec.mediaId;
  return toEngagementEvent({
    platform: 'instagram',
    kind: spec.kind ?? 'comment',
    actor: {
      platformUserId: spec.user ?? 'u-1',
      username: spec.username ?? 'sara.alotaibi',
      ...(spec.profile === undefined ? {} : { profile: spec.profile }),
    },
    target: { accountId: ACCOUNT, ...(mediaId === null ? {} : { mediaId }) },
    text: spec.text ?? 'جربت اللاتيه امس وكان رهيب',
    occurredAt: at,
    receivedAt: new Date(at.getTime() + 1_000),
    source: 'webhook',
    verified: true,
    platformEventId: `e${sequence}`,
  });
}

export const NO_LISTS: FraudLists = { staff: new Set(), blocked: new Set() };

export interface ScoreOptions {
  prior?: readonly EngagementEvent[];
  firstSeenAt?: ReadonlyMap<string, Date>;
  arrival?: HistorySource['arrival'];
  campaign?: Campaign;
  lists?: FraudLists;
  now?: Date;
  cleared?: ReadonlySet<FraudSignalCode>;
}

/**
 * Hand-written prior events as every list a loader fills, newest first (ties
 * by eventKey): each part of the recent activity then draws from all of them.
 */
export function everyList(prior: readonly EngagementEvent[]): Required<Pick<HistorySource, 'member' | 'media' | 'texts' | 'coActors'>> {
  const newestFirst = [...prior]
    .sort((a, b) => b.occurredAt.getTime() - a.occurredAt.getTime() || (a.eventKey < b.eventKey ? -1 : a.eventKey > b.eventKey ? 1 : 0))
    .map(priorActionOf);
  return { member: newestFirst, media: newestFirst, texts: newestFirst, coActors: newestFirst };
}

export function verdictFor(event: EngagementEvent, options: ScoreOptions = {}): FraudVerdict {
  const history = buildRecentActivity(event, {
    ...everyList(options.prior ?? []),
    ...(options.firstSeenAt === undefined ? {} : { firstSeenAt: options.firstSeenAt }),
    arrival: options.arrival,
  });
  return scoreFraud({
    event,
    campaign: options.campaign ?? campaignWith(),
    history,
    lists: options.lists ?? NO_LISTS,
    now: options.now ?? new Date(event.occurredAt.getTime() + 5_000),
    ...(options.cleared === undefined ? {} : { cleared: options.cleared }),
  });
}

/** The value a signal reached (0 when it did not fire). */
export function valueOf(verdict: FraudVerdict, code: string): number {
  return verdict.signals.find((signal) => signal.code === code)?.value ?? 0;
}
