import type { Campaign } from '../../../src/config/campaign-schema.js';
import type { EngagementEvent } from '../../../src/domain/event.js';
import { buildRecentActivity, priorActionOf, scoreFraud, type FraudLists, type FraudSignalCode, type FraudVerdict, type HistorySource } from '../../../src/scoring/fraud/index.js';
import { campaignWith, NO_LISTS } from '../../helpers/fraud-events.js';

export { FRAUD_ACCOUNT as ACCOUNT, campaignWith, eventOf, MINUTE, NO_LISTS, STARTS_AT, T0, type EventSpec } from '../../helpers/fraud-events.js';

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
