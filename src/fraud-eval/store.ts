/**
 * An in-memory event history that answers exactly the queries in
 * `planHistoryQueries` / `planFollowUpQueries`, the way the MongoDB loader
 * must. The evaluation scores through it, so the plan itself is exercised:
 * a signal that needed data the plan does not fetch would show up as lost recall.
 */
import type { Campaign } from '../config/campaign-schema.js';
import { memberIdOf, type EngagementEvent } from '../domain/event.js';
import { priorActionOf, type HistorySource } from '../scoring/fraud/history.js';
import { planFollowUpQueries, planHistoryQueries, type FollowUpQueryPlan } from '../scoring/fraud/queries.js';

/** Events in time order; `between` returns the newest `limit` of them inside [from, to]. */
class Timeline {
  private readonly events: EngagementEvent[] = [];

  append(event: EngagementEvent): void {
    const last = this.events.at(-1);
    if (last !== undefined && last.occurredAt > event.occurredAt) throw new RangeError('events must be added in time order');
    this.events.push(event);
  }

  /** The newest `limit` events in [from, to], newest first. */
  between(from: Date, to: Date, limit: number): EngagementEvent[] {
    const end = this.firstAfter(to.getTime());
    const start = Math.max(this.firstAtOrAfter(from.getTime()), end - limit);
    return this.events.slice(start, end).reverse();
  }

  private firstAtOrAfter(time: number): number {
    return this.search((event) => event.occurredAt.getTime() >= time);
  }

  private firstAfter(time: number): number {
    return this.search((event) => event.occurredAt.getTime() > time);
  }

  private search(isAtOrPast: (event: EngagementEvent) => boolean): number {
    let low = 0;
    let high = this.events.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      const event = this.events[middle];
      if (event !== undefined && isAtOrPast(event)) high = middle;
      else low = middle + 1;
    }
    return low;
  }
}

export class InMemoryEventHistory {
  private readonly byMember = new Map<string, Timeline>();
  private readonly byMedia = new Map<string, Timeline>();
  private readonly textsByAccount = new Map<string, Timeline>();
  private readonly firstSeen = new Map<string, { at: Date; mediaId: string | undefined }>();
  /** Per media, the members first seen on it. */
  private readonly arrivals = new Map<string, Map<string, Date>>();

  add(event: EngagementEvent): void {
    const memberId = memberIdOf(event.platform, event.actor.platformUserId);
    const mediaId = event.target.mediaId;
    timeline(this.byMember, memberId).append(event);
    if (mediaId !== undefined) timeline(this.byMedia, mediaId).append(event);
    if (event.text !== undefined) timeline(this.textsByAccount, event.target.accountId).append(event);
    if (this.firstSeen.has(memberId)) return;
    this.firstSeen.set(memberId, { at: event.occurredAt, mediaId });
    if (mediaId === undefined) return;
    const onMedia = this.arrivals.get(mediaId) ?? new Map<string, Date>();
    this.arrivals.set(mediaId, onMedia.set(memberId, event.occurredAt));
  }

  load(event: EngagementEvent, campaign: Campaign): HistorySource {
    const plan = planHistoryQueries(event, campaign);
    const memberId = memberIdOf(plan.member.platform, plan.member.platformUserId);
    const member = (this.byMember.get(memberId)?.between(plan.member.from, plan.member.to, plan.member.limit) ?? [])
      .filter((prior) => plan.member.accountIds.includes(prior.target.accountId))
      .map(priorActionOf);
    const { media: onMedia, texts: onAccount } = plan;
    const media = (onMedia === undefined ? [] : (this.byMedia.get(onMedia.mediaId)?.between(onMedia.from, onMedia.to, onMedia.limit) ?? [])).map(priorActionOf);
    const texts =
      (onAccount === undefined ? [] : (this.textsByAccount.get(onAccount.accountId)?.between(onAccount.from, onAccount.to, onAccount.limit) ?? [])).map(priorActionOf);

    const followUp = planFollowUpQueries(event, campaign, { member, media });
    const coActors = followUp.coActors.ranges
      .flatMap((range) => this.byMedia.get(range.mediaId)?.between(range.from, range.to, followUp.coActors.limit) ?? [])
      .slice(0, followUp.coActors.limit)
      .map(priorActionOf);
    const firstSeenAt = new Map<string, Date>();
    for (const platformUserId of followUp.firstSeen.platformUserIds) {
      const id = memberIdOf(followUp.firstSeen.platform, platformUserId);
      // In production the event is stored before it is scored, so an unseen member was first seen now.
      const seen = this.firstSeen.get(id)?.at ?? (id === memberId ? event.occurredAt : undefined);
      if (seen !== undefined) firstSeenAt.set(id, seen);
    }
    return { member, media, texts, coActors, firstSeenAt, arrival: this.arrivalOf(event, followUp.arrival) };
  }

  private arrivalOf(event: EngagementEvent, plan: FollowUpQueryPlan['arrival']): HistorySource['arrival'] {
    const first = this.firstSeen.get(memberIdOf(plan.platform, plan.platformUserId)) ?? { at: event.occurredAt, mediaId: event.target.mediaId };
    if (first.mediaId === undefined) return undefined;
    const at = first.at.getTime();
    const cohort = new Map<string, Date>();
    let postOpenedAt = first.at;
    for (const [member, seenAt] of this.arrivals.get(first.mediaId) ?? []) {
      if (Math.abs(seenAt.getTime() - at) <= plan.cohortWithinMs) cohort.set(member, seenAt);
      if (seenAt < postOpenedAt) postOpenedAt = seenAt;
    }
    return { mediaId: first.mediaId, at: first.at, cohort, postOpenedAt };
  }
}

function timeline(index: Map<string, Timeline>, key: string): Timeline {
  const existing = index.get(key);
  if (existing !== undefined) return existing;
  const created = new Timeline();
  index.set(key, created);
  return created;
}
