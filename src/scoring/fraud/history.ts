/**
 * Builds `RecentActivity` from stored events. The caller may pass more than
 * the windows need (an in-memory list, or the union of the queries in
 * `planHistoryQueries`); everything is cut here, so what the signals see does
 * not depend on how generous the loader was, nor on the order events arrived.
 */
import { memberIdOf, type EngagementEvent } from '../../domain/event.js';
import { textFeaturesOf } from './text.js';
import type { Arrival, PriorAction, RecentActivity } from './types.js';
import { FRAUD_WINDOWS } from './windows.js';

export interface HistorySource {
  /**
   * Earlier events on the campaign's accounts: a superset of what the windows
   * need. Later events and the event itself are ignored.
   */
  prior: readonly EngagementEvent[];
  /**
   * First time each member was seen on the brand's accounts, for the scored
   * member and everyone on the same media in the newcomer window. Members left
   * out are treated as unknown, never as new.
   */
  firstSeenAt?: ReadonlyMap<string, Date>;
  /**
   * The scored member's first action on a media of the brand's accounts, and
   * every member first seen on that media within the newcomer window of it.
   * Members first seen after the scored event are left out here.
   */
  arrival?: { mediaId: string; at: Date; cohort: ReadonlyMap<string, Date> } | undefined;
}

export function buildRecentActivity(event: EngagementEvent, { prior, firstSeenAt = new Map(), arrival }: HistorySource): RecentActivity {
  const at = event.occurredAt.getTime();
  const memberId = memberIdOf(event.platform, event.actor.platformUserId);
  const earlier = earlierActions(event, prior);
  const within = (lookbackMs: number) => (action: PriorAction) => action.at >= at - lookbackMs;

  const member = earlier
    .filter((action) => action.memberId === memberId)
    .filter(within(FRAUD_WINDOWS.memberLookbackMs))
    .slice(0, FRAUD_WINDOWS.memberLimit);
  const mediaId = event.target.mediaId;
  const media =
    mediaId === undefined
      ? []
      : earlier
          .filter((action) => action.mediaId === mediaId)
          .filter(within(FRAUD_WINDOWS.mediaLookbackMs))
          .slice(0, FRAUD_WINDOWS.mediaLimit);
  const texts = earlier
    .filter((action) => action.memberId !== memberId && action.text !== undefined && action.accountId === event.target.accountId)
    .filter(within(FRAUD_WINDOWS.textLookbackMs))
    .slice(0, FRAUD_WINDOWS.textLimit);

  const ownTimes = ownTimesByMedia({ mediaId, at }, member);
  const coActors = earlier
    .filter((action) => {
      if (action.memberId === memberId || action.mediaId === undefined) return false;
      const times = ownTimes.get(action.mediaId);
      return times !== undefined && times.some((time) => Math.abs(time - action.at) <= FRAUD_WINDOWS.coActionGapMs);
    })
    .slice(0, FRAUD_WINDOWS.coActionLimit);

  const seen = new Map<string, number>();
  for (const [id, date] of firstSeenAt) seen.set(id, date.getTime());
  return { member, media, texts, coActors, firstSeenAt: seen, arrival: arrivalOf(memberId, at, arrival) };
}

function arrivalOf(memberId: string, at: number, arrival: HistorySource['arrival']): Arrival | undefined {
  const arrivedAt = arrival?.at.getTime();
  if (arrival === undefined || arrivedAt === undefined || arrivedAt > at) return undefined;
  const cohort = new Set<string>();
  for (const [other, seenAt] of arrival.cohort) {
    const time = seenAt.getTime();
    if (other !== memberId && time <= at && Math.abs(time - arrivedAt) <= FRAUD_WINDOWS.newcomerWindowMs) cohort.add(other);
  }
  return { mediaId: arrival.mediaId, at: arrivedAt, cohort };
}

/** Distinct events no later than the scored one (others at the same instant count as earlier), newest first. */
function earlierActions(event: EngagementEvent, prior: readonly EngagementEvent[]): PriorAction[] {
  const at = event.occurredAt.getTime();
  const byKey = new Map<string, PriorAction>();
  for (const candidate of prior) {
    const time = candidate.occurredAt.getTime();
    if (time > at || candidate.eventKey === event.eventKey || byKey.has(candidate.eventKey)) continue;
    byKey.set(candidate.eventKey, {
      eventKey: candidate.eventKey,
      memberId: memberIdOf(candidate.platform, candidate.actor.platformUserId),
      kind: candidate.kind,
      accountId: candidate.target.accountId,
      mediaId: candidate.target.mediaId,
      at: time,
      text: textFeaturesOf(candidate),
    });
  }
  return [...byKey.values()].sort((a, b) => b.at - a.at || (a.eventKey < b.eventKey ? -1 : 1));
}

/**
 * The member's own action times per media, for its most recent media only
 * (the same cut the co-actor query makes), including the scored event.
 */
export function ownTimesByMedia(
  current: Pick<PriorAction, 'mediaId' | 'at'>,
  newestFirst: readonly Pick<PriorAction, 'mediaId' | 'at'>[],
): Map<string, number[]> {
  const times = new Map<string, number[]>();
  for (const action of [current, ...newestFirst]) {
    if (action.mediaId === undefined) continue;
    const list = times.get(action.mediaId);
    if (list !== undefined) list.push(action.at);
    else if (times.size < FRAUD_WINDOWS.coActionMediaLimit) times.set(action.mediaId, [action.at]);
  }
  return times;
}
