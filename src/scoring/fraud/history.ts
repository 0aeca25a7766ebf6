/**
 * Builds `RecentActivity` from stored events: what a loader fetched for each
 * window of `planHistoryQueries` / `planFollowUpQueries`, each list newest
 * first. The loader may fetch more than the windows need; everything is cut
 * here (later events, the event itself, the windows and their limits), so
 * what the signals see does not depend on how generous the loader was.
 */
import { memberIdOf, type EngagementEvent } from '../../domain/event.js';
import { textFeaturesOf } from './text.js';
import type { Arrival, PriorAction, RecentActivity } from './types.js';
import { FRAUD_WINDOWS } from './windows.js';

export interface HistorySource {
  /** The member's own earlier events on the campaign's accounts, newest first. */
  member?: readonly EngagementEvent[];
  /** Everyone's earlier events on the scored media, newest first. */
  media?: readonly EngagementEvent[];
  /** Earlier texts on the scored brand account, newest first. */
  texts?: readonly EngagementEvent[];
  /** Others' events on the member's recent media, around the member's own, newest first. */
  coActors?: readonly EngagementEvent[];
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

export function buildRecentActivity(event: EngagementEvent, source: HistorySource): RecentActivity {
  const at = event.occurredAt.getTime();
  const memberId = memberIdOf(event.platform, event.actor.platformUserId);
  const earlier = (lookbackMs: number, limit: number, list: readonly EngagementEvent[] | undefined, keep: (action: PriorAction) => boolean): PriorAction[] => {
    const found: PriorAction[] = [];
    const seen = new Set<string>();
    for (const candidate of list ?? []) {
      if (found.length >= limit) break;
      const action = priorActionOf(candidate);
      // Others at the same instant count as earlier; the event itself does not.
      if (action.at > at || action.eventKey === event.eventKey || action.at < at - lookbackMs || seen.has(action.eventKey) || !keep(action)) continue;
      seen.add(action.eventKey);
      found.push(action);
    }
    return found;
  };

  const member = earlier(FRAUD_WINDOWS.memberLookbackMs, FRAUD_WINDOWS.memberLimit, source.member, (action) => action.memberId === memberId);
  const mediaId = event.target.mediaId;
  const media = mediaId === undefined ? [] : earlier(FRAUD_WINDOWS.mediaLookbackMs, FRAUD_WINDOWS.mediaLimit, source.media, (action) => action.mediaId === mediaId);
  const texts = earlier(FRAUD_WINDOWS.textLookbackMs, FRAUD_WINDOWS.textLimit, source.texts, (action) =>
    action.memberId !== memberId && action.text !== undefined && action.accountId === event.target.accountId);
  const ownTimes = ownTimesByMedia({ mediaId, at }, member);
  const coActors = earlier(Number.POSITIVE_INFINITY, FRAUD_WINDOWS.coActionLimit, source.coActors, (action) => {
    if (action.memberId === memberId || action.mediaId === undefined) return false;
    const times = ownTimes.get(action.mediaId);
    return times !== undefined && times.some((time) => Math.abs(time - action.at) <= FRAUD_WINDOWS.coActionGapMs);
  });

  const seen = new Map<string, number>();
  for (const [id, date] of source.firstSeenAt ?? []) seen.set(id, date.getTime());
  return { member, media, texts, coActors, firstSeenAt: seen, arrival: arrivalOf(memberId, at, source.arrival) };
}

/** Earlier events are read again and again (a media's crowd for every comment on it): each is reduced once. */
const priorActions = new WeakMap<EngagementEvent, PriorAction>();

function priorActionOf(event: EngagementEvent): PriorAction {
  const known = priorActions.get(event);
  if (known) return known;
  const action: PriorAction = {
    eventKey: event.eventKey,
    memberId: memberIdOf(event.platform, event.actor.platformUserId),
    kind: event.kind,
    accountId: event.target.accountId,
    mediaId: event.target.mediaId,
    at: event.occurredAt.getTime(),
    text: textFeaturesOf(event),
  };
  priorActions.set(event, action);
  return action;
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
