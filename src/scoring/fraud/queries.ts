/**
 * What a history loader must fetch from the `events` collection for one
 * scored event, as plain data. Every query is a simple indexed find (no
 * $lookup, no window functions), so MongoDB and FerretDB both serve it:
 *
 *   member   { platform, 'actor.platformUserId', 'target.accountId': {$in}, occurredAt: {$gte,$lte} }
 *            sort occurredAt -1, limit          index (platform, actor.platformUserId, occurredAt)
 *   media    { 'target.mediaId', occurredAt: {$gte,$lte} } sort -1, limit
 *                                               index (target.mediaId, occurredAt)
 *   texts    { 'target.accountId', text: {$exists: true}, occurredAt: {$gte,$lte} } sort -1, limit
 *                                               index (target.accountId, occurredAt)
 *   then, from the member and media results:
 *   coActors { $or: [{ 'target.mediaId', occurredAt: {$gte,$lte} }, …] } limit
 *   firstSeen per member: { platform, 'actor.platformUserId', 'target.accountId': {$in} }
 *            sort occurredAt 1, limit 1 (or a member record that keeps it)
 *   arrival  the member's first-seen event, when it was on a media; then the
 *            members first seen on that media within `cohortWithinMs` of it
 *            (a first-seen record per member that keeps the media, indexed
 *            by media and time)
 *
 * The results go to `buildRecentActivity` as its lists (member, media,
 * texts, coActors, each newest first), the first-seen times as `firstSeenAt`
 * keyed by `memberIdOf(platform, id)`, the arrival as `arrival`. The scored event is stored before it is scored, so a
 * member's first-seen time may be the event itself.
 */
import type { Campaign } from '../../config/campaign-schema.js';
import type { EngagementEvent, Platform } from '../../domain/event.js';
import { ownTimesByMedia } from './history.js';
import type { PriorAction } from './types.js';
import { FRAUD_WINDOWS } from './windows.js';

export interface TimeRange {
  from: Date;
  to: Date;
}

export interface HistoryQueryPlan {
  member: TimeRange & { platform: Platform; platformUserId: string; accountIds: readonly string[]; limit: number };
  /** Absent when the event is on no media (a story mention, a DM). */
  media: (TimeRange & { mediaId: string; limit: number }) | undefined;
  /** Absent when the event has no text. */
  texts: (TimeRange & { accountId: string; limit: number }) | undefined;
}

export interface FollowUpQueryPlan {
  /** Other members on the member's recent media, around its own actions. */
  coActors: { ranges: (TimeRange & { mediaId: string })[]; limit: number };
  /** Members whose first-seen time the newcomer and wave checks need: the member and everyone on the post in the wave window. */
  firstSeen: { platform: Platform; platformUserIds: readonly string[]; accountIds: readonly string[] };
  /** The member whose arrival the cohort check needs, and how far apart two first sightings on one media may be to count as one cohort. */
  arrival: { platform: Platform; platformUserId: string; accountIds: readonly string[]; cohortWithinMs: number };
}

export function planHistoryQueries(event: EngagementEvent, campaign: Campaign): HistoryQueryPlan {
  const to = event.occurredAt;
  const back = (ms: number): Date => new Date(to.getTime() - ms);
  const mediaId = event.target.mediaId;
  return {
    member: {
      platform: event.platform,
      platformUserId: event.actor.platformUserId,
      accountIds: campaign.accounts[event.platform],
      from: back(FRAUD_WINDOWS.memberLookbackMs),
      to,
      limit: FRAUD_WINDOWS.memberLimit,
    },
    media: mediaId === undefined ? undefined : { mediaId, from: back(FRAUD_WINDOWS.mediaLookbackMs), to, limit: FRAUD_WINDOWS.mediaLimit },
    texts:
      event.text === undefined
        ? undefined
        : { accountId: event.target.accountId, from: back(FRAUD_WINDOWS.textLookbackMs), to, limit: FRAUD_WINDOWS.textLimit },
  };
}

/** Overlapping or touching ranges joined, newest first (a co-actor read returns its records newest first too). */
function mergedRanges(ranges: readonly { from: number; to: number }[]): { from: number; to: number }[] {
  const joined: { from: number; to: number }[] = [];
  for (const range of [...ranges].sort((a, b) => b.to - a.to)) {
    const last = joined.at(-1);
    if (last && range.to >= last.from) last.from = Math.min(last.from, range.from);
    else joined.push({ ...range });
  }
  return joined;
}

/**
 * Where the co-actors of the member are: one range per stretch of the
 * member's own activity on each of its recent media (overlapping ranges are
 * read once), newest first; none when the member is on too few media to be
 * in a ring.
 */
export function coActorRanges(event: EngagementEvent, member: readonly PriorAction[]): (TimeRange & { mediaId: string })[] {
  const at = event.occurredAt.getTime();
  const gap = FRAUD_WINDOWS.coActionGapMs;
  const newestFirst = [...member].sort((a, b) => b.at - a.at);
  const ownTimes = ownTimesByMedia({ mediaId: event.target.mediaId, at }, newestFirst);
  if (ownTimes.size < FRAUD_WINDOWS.coActionMinMedia) return [];
  return [...ownTimes].flatMap(([mediaId, times]) =>
    mergedRanges(times.map((time) => ({ from: time - gap, to: Math.min(at, time + gap) }))).map((range) => ({ mediaId, from: new Date(range.from), to: new Date(range.to) })),
  );
}

export function planFollowUpQueries(
  event: EngagementEvent,
  campaign: Campaign,
  found: { member: readonly PriorAction[]; media: readonly PriorAction[] },
): FollowUpQueryPlan {
  const at = event.occurredAt.getTime();
  const ranges = coActorRanges(event, found.member);
  // The wave check reads everyone on the post in its hour, from the campaign's first minute; the
  // newcomer check reads the last 15 minutes of it, after the warm-up.
  const since = at - FRAUD_WINDOWS.waveWindowMs;
  const platformUserIds = new Set<string>();
  if (event.target.mediaId !== undefined) {
    platformUserIds.add(event.actor.platformUserId);
    const samePlatform = `${event.platform}:`;
    // Newest first: the window's actions come before any older one.
    for (const prior of found.media) {
      if (prior.at < since) break;
      if (prior.memberId.startsWith(samePlatform)) platformUserIds.add(prior.memberId.slice(samePlatform.length));
    }
  }
  return {
    coActors: { ranges, limit: FRAUD_WINDOWS.coActionLimit },
    firstSeen: { platform: event.platform, platformUserIds: [...platformUserIds], accountIds: campaign.accounts[event.platform] },
    arrival: {
      platform: event.platform,
      platformUserId: event.actor.platformUserId,
      accountIds: campaign.accounts[event.platform],
      cohortWithinMs: FRAUD_WINDOWS.newcomerWindowMs,
    },
  };
}
