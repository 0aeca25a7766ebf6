/**
 * The fraud history of a whole batch, read in two pipelined round trips
 * instead of several per event. Scoring a batch one event after the other
 * must see what scoring them one job at a time would: each event reads the
 * Redis windows as they were before the batch, plus the batch's own earlier
 * events (and, for first sightings, the event itself, which one-at-a-time
 * scoring remembered before loading). So the windows are read once for all
 * events (each set from the earliest window start to the latest end, with
 * room for every event's newest-first limit), and each event's view merges
 * them with the batch's events up to its own (one at a time, an event was
 * remembered before its history was read) in Redis order (score, then
 * record). First sightings follow Redis's keep-the-earliest rule step by step.
 *
 * Where it can differ from one-at-a-time: an event far newer than an earlier
 * one of the same batch would have trimmed the windows (retention, size caps)
 * before the older one was scored; here the older one still sees them.
 */
import type { Campaign } from '../config/campaign-schema.js';
import { memberIdOf, type EngagementEvent } from '../domain/event.js';
import { activityRecordOf, encodeRecord } from './activity-record.js';
import type { RedisFraudHistory, WindowedRead } from './fraud-history.js';
import type { Sighting } from './first-sightings.js';
import { coActorRanges, FRAUD_WINDOWS, planHistoryQueries, priorActionOf, textFeaturesOfText, type HistorySource, type PriorAction } from './fraud/index.js';

/** One event as the batch remembers it for one campaign it concerns; `judged` ones get a history. */
export interface HistoryItem {
  event: EngagementEvent;
  campaign: Campaign;
  judged: boolean;
}

interface Held {
  action: PriorAction;
  encoded: string;
  at: number;
  /** The batch step that remembers it; -1 when it was stored before the batch. */
  step: number;
}

interface Window {
  key: string;
  from: number;
  to: number;
  limit: number;
}

/** The part of an event's history known after the first round trip, and what the second must fetch. */
interface Partial {
  member: PriorAction[];
  media: PriorAction[];
  texts: PriorAction[];
  coActorWindows: Window[];
  /** The member's first sighting as of this event. */
  sighting: Sighting | undefined;
}

/**
 * One Redis set as the batch sees it: what was stored before the batch and
 * what the batch adds, in Redis's newest-first order, each record with the
 * step that adds it. A window at step `i` is what one-at-a-time scoring read
 * at that step: stored records and those of steps up to `i`.
 */
class SetView {
  private constructor(
    private readonly actions: readonly PriorAction[],
    /** occurredAt of each record, newest first. */
    private readonly times: Float64Array,
    /** The batch step that adds each record; -1 before the batch. */
    private readonly steps: Int32Array,
  ) {}

  static of(stored: readonly Held[], gained: readonly Held[]): SetView {
    const byRecord = new Map<string, Held>();
    for (const held of [...stored, ...gained]) {
      const known = byRecord.get(held.encoded);
      if (!known || (known.step !== -1 && (held.step === -1 || held.step < known.step))) byRecord.set(held.encoded, held);
    }
    const items = [...byRecord.values()].sort(newestFirst);
    return new SetView(items.map((held) => held.action), Float64Array.from(items, (held) => held.at), Int32Array.from(items, (held) => held.step));
  }

  window(window: Window, step: number): PriorAction[] {
    const view: PriorAction[] = [];
    this.collect(window, step, view, window.limit);
    return view;
  }

  /** Appends the window's records at `step` to `into` while it holds fewer than `limit`. */
  collect(window: Window, step: number, into: PriorAction[], limit: number): void {
    const { times, steps, actions } = this;
    let low = 0;
    let high = times.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if ((times[middle] ?? 0) > window.to) low = middle + 1;
      else high = middle;
    }
    const stop = Math.min(limit, into.length + window.limit);
    for (let index = low; index < times.length && into.length < stop; index += 1) {
      if ((times[index] ?? 0) < window.from) break;
      const action = actions[index];
      if ((steps[index] ?? 0) <= step && action) into.push(action);
    }
  }
}

export class BatchHistory {
  private constructor(private readonly sources: ReadonlyMap<number, HistorySource>) {}

  /** The history of the judged item at `index` (its position in the batch). */
  sourceFor(index: number): HistorySource {
    const source = this.sources.get(index);
    if (!source) throw new Error(`no history was loaded for batch item ${index}`);
    return source;
  }

  static async load(history: RedisFraudHistory, items: readonly HistoryItem[]): Promise<BatchHistory> {
    const keys = {
      member: (event: EngagementEvent, accountId = event.target.accountId) => history.memberKey(memberIdOf(event.platform, event.actor.platformUserId), accountId),
      media: (event: EngagementEvent, mediaId: string) => history.mediaKey(event.platform, mediaId),
      texts: (event: EngagementEvent, accountId: string) => history.textsKey(event.platform, accountId),
    };

    // What each set gains from the batch: an event is remembered at the step it first appears
    // (for every campaign it concerns), before its own history is read, as one-at-a-time scoring did.
    const gained = new Map<string, Held[]>();
    const remembered = new Set<string>();
    items.forEach(({ event }, step) => {
      if (remembered.has(event.eventKey)) return;
      remembered.add(event.eventKey);
      const held: Held = { action: priorActionOf(event), encoded: encodeRecord(activityRecordOf(event)), at: event.occurredAt.getTime(), step };
      const setKeys = [keys.member(event)];
      if (event.target.mediaId !== undefined) setKeys.push(keys.media(event, event.target.mediaId));
      if (event.text !== undefined && textFeaturesOfText(event.text).comparable) setKeys.push(keys.texts(event, event.target.accountId));
      for (const key of setKeys) {
        const list = gained.get(key);
        if (list) list.push(held);
        else gained.set(key, [held]);
      }
    });

    // Round trip 1: the windows every judged event reads, and the stored first sightings of the batch's members.
    const windows = new Map<number, { member: Window[]; media?: Window; texts?: Window }>();
    items.forEach((item, index) => {
      if (!item.judged) return;
      const { event, campaign } = item;
      const plan = planHistoryQueries(event, campaign);
      windows.set(index, {
        member: plan.member.accountIds.map((accountId) => ({ key: keys.member(event, accountId), from: plan.member.from.getTime(), to: plan.member.to.getTime(), limit: plan.member.limit })),
        ...(plan.media ? { media: { key: keys.media(event, plan.media.mediaId), from: plan.media.from.getTime(), to: plan.media.to.getTime(), limit: plan.media.limit } } : {}),
        ...(plan.texts ? { texts: { key: keys.texts(event, plan.texts.accountId), from: plan.texts.from.getTime(), to: plan.texts.to.getTime(), limit: plan.texts.limit } } : {}),
      });
    });
    const campaignMembers = new Map<string, Set<string>>();
    for (const { event, campaign } of items) {
      const members = campaignMembers.get(campaign.id) ?? new Set<string>();
      campaignMembers.set(campaign.id, members.add(memberIdOf(event.platform, event.actor.platformUserId)));
    }
    const firstReads = [...windows.values()].flatMap((window) => [...window.member, ...(window.media ? [window.media] : []), ...(window.texts ? [window.texts] : [])]);
    const [stored, storedSightings] = await Promise.all([
      readMerged(history, firstReads),
      Promise.all([...campaignMembers].map(async ([campaignId, members]) => [campaignId, await history.firstSightings.sightingsOf(campaignId, [...members])] as const)),
    ]);
    const views = new Map<string, SetView>();
    const viewOf = (key: string): SetView => {
      let view = views.get(key);
      if (!view) views.set(key, (view = SetView.of(stored.get(key) ?? [], gained.get(key) ?? [])));
      return view;
    };

    // Walk the batch: sightings change as Redis's keep-the-earliest script would change them.
    const sightings = new SightingsOverlay(new Map(storedSightings));
    const partials = new Map<number, Partial>();
    /** Per campaign and media set: the earliest wave window an event on it reads. */
    const newcomerReads = new Map<string, { campaignId: string; mediaKey: string; since: number }>();
    items.forEach((item, index) => {
      const { event, campaign } = item;
      const memberId = memberIdOf(event.platform, event.actor.platformUserId);
      sightings.remember(campaign.id, memberId, event, index);
      const window = windows.get(index);
      if (!item.judged || !window) return;
      const member = newestFirstOf(window.member.map((w) => viewOf(w.key).window(w, index))).slice(0, FRAUD_WINDOWS.memberLimit);
      const media = window.media ? viewOf(window.media.key).window(window.media, index) : [];
      const texts = window.texts ? viewOf(window.texts.key).window(window.texts, index) : [];
      const coActorWindows = coActorRanges(event, member).map((range) => ({
        key: keys.media(event, range.mediaId), from: range.from.getTime(), to: range.to.getTime(), limit: FRAUD_WINDOWS.coActionLimit,
      }));
      partials.set(index, { member, media, texts, coActorWindows, sighting: sightings.at(campaign.id, memberId, index) });
      const since = event.occurredAt.getTime() - FRAUD_WINDOWS.waveWindowMs;
      if (window.media) {
        const read = `${campaign.id}|${window.media.key}`;
        const known = newcomerReads.get(read);
        if (!known || since < known.since) newcomerReads.set(read, { campaignId: campaign.id, mediaKey: window.media.key, since });
      }
    });

    // Round trip 2: co-actors on the member's recent media, first-seen times and arrival cohorts.
    // First-seen times are fetched once for everyone a newcomer or wave check may ask about: the members
    // stored on each media set since the earliest window read on it (batch members' are known already).
    const timeQueries = new Map<string, Set<string>>();
    for (const { campaignId, mediaKey, since } of newcomerReads.values()) {
      const ids = timeQueries.get(campaignId) ?? new Set<string>();
      timeQueries.set(campaignId, ids);
      for (const held of stored.get(mediaKey) ?? []) {
        if (held.at >= since && !sightings.has(campaignId, held.action.memberId)) ids.add(held.action.memberId);
      }
    }
    const arrivalWindows = new Map<string, { campaignId: string; platform: EngagementEvent['platform']; mediaId: string; from: number; to: number }>();
    const within = FRAUD_WINDOWS.newcomerWindowMs;
    for (const [index, partial] of partials) {
      const { event, campaign } = items[index] as HistoryItem;
      const mediaId = partial.sighting?.mediaId;
      if (partial.sighting && mediaId !== undefined) {
        const key = `${campaign.id}|${event.platform}|${mediaId}`;
        const known = arrivalWindows.get(key);
        arrivalWindows.set(key, {
          campaignId: campaign.id, platform: event.platform, mediaId,
          from: Math.min(known?.from ?? Number.POSITIVE_INFINITY, partial.sighting.at - within),
          to: Math.max(known?.to ?? Number.NEGATIVE_INFINITY, partial.sighting.at + within),
        });
      }
    }
    const [coActorsStored, storedTimes, storedArrivals, storedOpenings] = await Promise.all([
      readMerged(history, [...partials.values()].flatMap((partial) => partial.coActorWindows)),
      Promise.all([...timeQueries].map(async ([campaignId, ids]) => [campaignId, await history.firstSightings.timesOf(campaignId, [...ids])] as const)),
      Promise.all([...arrivalWindows].map(async ([key, w]) => [key, await history.firstSightings.arrivalsBetween(w.campaignId, w.platform, w.mediaId, w.from, w.to)] as const)),
      // When each arrival media's crowd started: the warm-up baseline of the cohort check.
      Promise.all([...arrivalWindows].map(async ([key, w]) => [key, await history.firstSightings.firstArrivalOn(w.campaignId, w.platform, w.mediaId)] as const)),
    ]);
    const openings = new Map(storedOpenings);
    // The co-actor reads cover other stretches of the same sets: views are rebuilt with both.
    for (const [key, more] of coActorsStored) views.set(key, SetView.of([...(stored.get(key) ?? []), ...more], gained.get(key) ?? []));
    const times = new Map(storedTimes);
    const arrivals = new Map(storedArrivals);

    const sources = new Map<number, HistorySource>();
    for (const [index, partial] of partials) {
      const { event, campaign } = items[index] as HistoryItem;
      let coActors: PriorAction[] | undefined;
      const coActorsOnce = (): PriorAction[] => {
        if (coActors) return coActors;
        coActors = [];
        for (const w of partial.coActorWindows) viewOf(w.key).collect(w, index, coActors, FRAUD_WINDOWS.coActionLimit);
        return coActors;
      };
      // First sightings and cohorts are worked out when a signal asks: most events ask about one member, or nothing.
      const firstSeenAt = {
        get: (id: string): Date | undefined => {
          const seen = sightings.has(campaign.id, id) ? sightings.at(campaign.id, id, index)?.at : times.get(campaign.id)?.get(id);
          return seen === undefined ? undefined : new Date(seen);
        },
      };
      const sighting = partial.sighting;
      let arrival: HistorySource['arrival'];
      if (sighting?.mediaId !== undefined) {
        const mediaId = sighting.mediaId;
        const from = sighting.at - within;
        const to = sighting.at + within;
        const cohort = (): Map<string, Date> => {
          const members = new Map<string, Date>();
          for (const [other, at] of arrivals.get(`${campaign.id}|${event.platform}|${mediaId}`) ?? []) {
            if (at >= from && at <= to && !sightings.has(campaign.id, other)) members.set(other, new Date(at));
          }
          for (const other of sightings.membersOf(campaign.id)) {
            const seen = sightings.at(campaign.id, other, index);
            if (seen?.mediaId === mediaId && seen.at >= from && seen.at <= to && other.startsWith(`${event.platform}:`)) members.set(other, new Date(seen.at));
          }
          return members;
        };
        let known: Map<string, Date> | undefined;
        // The batch's own sightings on the media may be earlier than any stored one.
        const batchOpening = sightings.membersOf(campaign.id)
          .map((other) => sightings.at(campaign.id, other, index))
          .filter((seen): seen is Sighting => seen?.mediaId === mediaId)
          .reduce((earliest, seen) => Math.min(earliest, seen.at), Number.POSITIVE_INFINITY);
        const opened = Math.min(openings.get(`${campaign.id}|${event.platform}|${mediaId}`) ?? Number.POSITIVE_INFINITY, batchOpening);
        arrival = {
          mediaId,
          at: new Date(sighting.at),
          ...(Number.isFinite(opened) ? { postOpenedAt: new Date(opened) } : {}),
          get cohort() {
            known ??= cohort();
            return known;
          },
        };
      }
      sources.set(index, {
        member: partial.member, media: partial.media, texts: partial.texts, firstSeenAt, arrival,
        // Collected when the ring check asks, over the views as they stand once the batch is read.
        get coActors() {
          return coActorsOnce();
        },
      });
    }
    return new BatchHistory(sources);
  }
}

/**
 * Reads every window's set once, from the earliest start to the latest end
 * with room for each window's newest-first limit; answers by set key.
 */
async function readMerged(history: RedisFraudHistory, windows: readonly Window[]): Promise<Map<string, Held[]>> {
  const bySet = new Map<string, WindowedRead>();
  for (const window of windows) {
    const known = bySet.get(window.key);
    bySet.set(window.key, known
      ? { key: window.key, from: Math.min(known.from, window.from), minTo: Math.min(known.minTo, window.to), maxTo: Math.max(known.maxTo, window.to), limit: Math.max(known.limit, window.limit) }
      : { key: window.key, from: window.from, minTo: window.to, maxTo: window.to, limit: window.limit });
  }
  const reads = [...bySet.values()];
  const found = await history.readWindows(reads);
  return new Map(reads.map((read, index) => [read.key, (found[index] ?? []).map(({ encoded, event }) => ({ action: priorActionOf(event), encoded, at: event.occurredAt.getTime(), step: -1 }))]));
}

/** Several newest-first lists as one (a member's sets on each brand account of the campaign). */
function newestFirstOf(lists: readonly PriorAction[][]): PriorAction[] {
  const [only, ...others] = lists;
  if (others.length === 0) return only ?? [];
  return lists.flat().sort((a, b) => b.at - a.at);
}

/** Redis's newest-first order: score descending, then the record's bytes descending. */
function newestFirst(a: Held, b: Held): number {
  if (a.at !== b.at) return b.at - a.at;
  return a.encoded < b.encoded ? 1 : a.encoded > b.encoded ? -1 : 0;
}

/** First sightings per campaign as Redis keeps them, step by step through the batch. */
class SightingsOverlay {
  /** Per campaign and member: the sighting after each step that changed it, in step order. */
  private readonly changes = new Map<string, Map<string, { step: number; sighting: Sighting }[]>>();

  constructor(private readonly stored: ReadonlyMap<string, ReadonlyMap<string, Sighting>>) {}

  /** Keeps the earliest: a later or equal time changes nothing. */
  remember(campaignId: string, memberId: string, event: EngagementEvent, step: number): void {
    const at = event.occurredAt.getTime();
    const current = this.at(campaignId, memberId, step);
    if (current !== undefined && current.at <= at) return;
    const byMember = this.changes.get(campaignId) ?? new Map<string, { step: number; sighting: Sighting }[]>();
    this.changes.set(campaignId, byMember);
    const list = byMember.get(memberId) ?? [];
    list.push({ step, sighting: { at, ...(event.target.mediaId === undefined ? {} : { mediaId: event.target.mediaId }) } });
    byMember.set(memberId, list);
  }

  /** The member's sighting once step `step` is remembered. */
  at(campaignId: string, memberId: string, step: number): Sighting | undefined {
    const list = this.changes.get(campaignId)?.get(memberId) ?? [];
    for (let index = list.length - 1; index >= 0; index -= 1) {
      const change = list[index];
      if (change && change.step <= step) return change.sighting;
    }
    return this.stored.get(campaignId)?.get(memberId);
  }

  /** Whether the batch knows the member's sighting (stored or changed): then `at` is exact for them. */
  has(campaignId: string, memberId: string): boolean {
    return this.stored.get(campaignId)?.has(memberId) === true || this.changes.get(campaignId)?.has(memberId) === true;
  }

  /** Members whose sighting the batch knows. */
  membersOf(campaignId: string): string[] {
    return [...new Set([...(this.stored.get(campaignId)?.keys() ?? []), ...(this.changes.get(campaignId)?.keys() ?? [])])];
  }
}
