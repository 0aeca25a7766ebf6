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

/**
 * What a loader fetched, each list newest first and of distinct events (an
 * event repeated next to itself is read once), reduced with `priorActionOf`.
 */
export interface HistorySource {
  /** The member's own earlier events on the campaign's accounts. */
  member?: readonly PriorAction[];
  /** Everyone's earlier events on the scored media. */
  media?: readonly PriorAction[];
  /** Earlier texts on the scored brand account. */
  texts?: readonly PriorAction[];
  /** Others' events on the member's recent media, around the member's own. */
  coActors?: readonly PriorAction[];
  /**
   * First time each member was seen on the brand's accounts, for the scored
   * member and everyone on the same media in the newcomer window. Members it
   * does not know are treated as unknown, never as new.
   */
  firstSeenAt?: Pick<ReadonlyMap<string, Date>, 'get'>;
  /**
   * The scored member's first action on a media of the brand's accounts, and
   * every member first seen on that media within the newcomer window of it.
   * Members first seen after the scored event are left out here.
   * `postOpenedAt`: the earliest first sighting on that media (when the
   * post's crowd started), for the warm-up's arrival baseline.
   */
  arrival?: { mediaId: string; at: Date; cohort: ReadonlyMap<string, Date>; postOpenedAt?: Date | undefined } | undefined;
}

export function buildRecentActivity(event: EngagementEvent, source: HistorySource): RecentActivity {
  const at = event.occurredAt.getTime();
  const memberId = memberIdOf(event.platform, event.actor.platformUserId);
  const earlier = (lookbackMs: number, limit: number, list: readonly PriorAction[] | undefined, keep: (action: PriorAction) => boolean): PriorAction[] => {
    const found: PriorAction[] = [];
    let previous: string | undefined;
    for (const action of list ?? []) {
      if (found.length >= limit) break;
      const repeated = action.eventKey === previous;
      previous = action.eventKey;
      // Others at the same instant count as earlier; the event itself does not.
      if (repeated || action.at > at || action.eventKey === event.eventKey || action.at < at - lookbackMs || !keep(action)) continue;
      found.push(action);
    }
    return found;
  };

  const member = earlier(FRAUD_WINDOWS.memberLookbackMs, FRAUD_WINDOWS.memberLimit, source.member, (action) => action.memberId === memberId);
  const mediaId = event.target.mediaId;
  // The longer lists are cut when a signal first reads them: many events never need them.
  const media = once(() => (mediaId === undefined ? [] : earlier(FRAUD_WINDOWS.mediaLookbackMs, FRAUD_WINDOWS.mediaLimit, source.media, (action) => action.mediaId === mediaId)));
  const texts = once(() => earlier(FRAUD_WINDOWS.textLookbackMs, FRAUD_WINDOWS.textLimit, source.texts, (action) =>
    action.memberId !== memberId && action.text !== undefined && action.accountId === event.target.accountId));
  const coActors = once(() => {
    const ownTimes = ownTimesByMedia({ mediaId, at }, member);
    return earlier(Number.POSITIVE_INFINITY, FRAUD_WINDOWS.coActionLimit, source.coActors, (action) => {
      if (action.memberId === memberId || action.mediaId === undefined) return false;
      const times = ownTimes.get(action.mediaId);
      return times !== undefined && isNear(times, action.at, FRAUD_WINDOWS.coActionGapMs);
    });
  });

  const firstSeen = source.firstSeenAt;
  return {
    member,
    get media() {
      return media();
    },
    get texts() {
      return texts();
    },
    get coActors() {
      return coActors();
    },
    firstSeenAt: { get: (id) => firstSeen?.get(id)?.getTime() },
    arrival: arrivalOf(memberId, at, source.arrival),
  };
}

/** The value of `compute`, computed on the first call only. */
function once<T>(compute: () => T): () => T {
  let value: { of: T } | undefined;
  return () => {
    value ??= { of: compute() };
    return value.of;
  };
}

/** Earlier events are read again and again (a media's crowd for every comment on it): each is reduced once. */
const priorActions = new WeakMap<EngagementEvent, PriorAction>();

/** An earlier event reduced to what the signals read (the same object for the same event). */
export function priorActionOf(event: EngagementEvent): PriorAction {
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
  // Most reads stop at the media (a member back on the post it arrived on has no cohort question).
  const cohort = once(() => {
    const members = new Map<string, number>();
    for (const [other, seenAt] of arrival.cohort) {
      const time = seenAt.getTime();
      if (other !== memberId && time <= at && Math.abs(time - arrivedAt) <= FRAUD_WINDOWS.newcomerWindowMs) members.set(other, time);
    }
    return members;
  });
  return {
    mediaId: arrival.mediaId,
    at: arrivedAt,
    postOpenedAt: arrival.postOpenedAt?.getTime(),
    get cohort() {
      return cohort();
    },
  };
}

/**
 * The member's own action times per media, for its most recent media only
 * (the same cut the co-actor query makes), including the scored event; each
 * media's times ascending.
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
  for (const list of times.values()) list.sort((a, b) => a - b);
  return times;
}

/** Whether any of the ascending `times` is within `gap` of `at`. */
export function isNear(times: readonly number[], at: number, gap: number): boolean {
  let low = 0;
  let high = times.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((times[middle] ?? 0) < at - gap) low = middle + 1;
    else high = middle;
  }
  const first = times[low];
  return first !== undefined && first <= at + gap;
}
