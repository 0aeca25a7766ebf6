/**
 * Patterns only visible across members: the same accounts acting together
 * again and again, and a wave of never-seen accounts landing on one post.
 */
import { isNear, ownTimesByMedia } from '../history.js';
import { FRAUD_WINDOWS } from '../windows.js';
import { counted } from '../wording.js';
import { ramp, reading, UNDO_KINDS, type Signal } from './signal.js';

/**
 * A partner is a member who acted within ten minutes of this member on at
 * least three of its posts this week, and on three quarters of them or more.
 * Loyal fans meet on a post now and then; a pod or a ring meets on nearly
 * every post. Friends who tag each other make groups of two or three, so the
 * signal starts above that. Moments when a crowd acts at once (the first
 * minutes after a post, when every fan with notifications on arrives) are no
 * evidence of anything and are left out.
 */
const MIN_SHARED_SHARE = 0.75;
const CROWD = 30;

export const coEngagementRing: Signal = ({ event, memberId, history, at }) => {
  const own = history.member.filter((action) => !UNDO_KINDS.has(action.kind));
  const ownTimes = ownTimesByMedia({ mediaId: event.target.mediaId, at }, own);
  // A ring needs several shared media: with fewer of its own, the member can be in none.
  if (ownTimes.size < FRAUD_WINDOWS.coActionMinMedia) return undefined;
  const nearby = new Map<string, Set<string>>();
  for (const action of history.coActors) {
    if (action.memberId === memberId || action.mediaId === undefined || UNDO_KINDS.has(action.kind)) continue;
    const around = nearby.get(action.mediaId);
    // A crowded post is never quiet: who else is there no longer matters.
    if (around !== undefined && around.size >= CROWD) continue;
    const times = ownTimes.get(action.mediaId);
    if (times === undefined || !isNear(times, action.at, FRAUD_WINDOWS.coActionGapMs)) continue;
    if (around === undefined) nearby.set(action.mediaId, new Set([action.memberId]));
    else around.add(action.memberId);
  }
  const quiet = [...ownTimes.keys()].filter((mediaId) => (nearby.get(mediaId)?.size ?? 0) < CROWD);
  const current = event.target.mediaId;
  // Who will join this member on the current post is not known yet, so that
  // post counts for a partner already there and never against anyone.
  const past = quiet.filter((mediaId) => mediaId !== current).length;
  const shared = new Map<string, number>();
  for (const mediaId of quiet) {
    for (const other of nearby.get(mediaId) ?? []) shared.set(other, (shared.get(other) ?? 0) + 1);
  }
  const currentQuiet = current !== undefined && quiet.includes(current);
  const partners = [...shared].filter(([other, count]) => {
    const chances = past + (currentQuiet && nearby.get(current)?.has(other) === true ? 1 : 0);
    return count >= FRAUD_WINDOWS.coActionMinMedia && count / chances >= MIN_SHARED_SHARE;
  }).length;
  const group = counted(partners, 'account');
  const posts = counted(quiet.length, 'post');
  return reading('co_engagement_ring', ramp(partners, 2, 5), {
    en: `Acts again and again with the same ${group.en}, within 10 minutes of each other, on most of its ${posts.en} this week`,
    ar: `يتفاعل مرارًا مع المجموعة نفسها (${group.ar}) بفارق 10 دقائق أو أقل، في معظم منشوراته هذا الأسبوع (${posts.ar})`,
  });
};

/**
 * Many accounts never seen before on the brand's accounts, arriving on one
 * post within minutes. Only after a warm-up: at the start of a campaign every
 * participant is new. An honest post shared by an influencer looks the same,
 * so this signal stays below the hold line on its own.
 */
export const newcomerSpike: Signal = ({ event, memberId, history, at, campaignStartsAt }) => {
  const mediaId = event.target.mediaId;
  const since = at - FRAUD_WINDOWS.newcomerWindowMs;
  if (mediaId === undefined || since < campaignStartsAt + FRAUD_WINDOWS.newcomerWarmUpMs) return undefined;
  const isNew = (member: string): boolean => (history.firstSeenAt.get(member) ?? Number.NEGATIVE_INFINITY) >= since;
  if (!isNew(memberId)) return undefined;
  const participants = new Set([memberId]);
  // Newest first: the window's actions come before any older one.
  for (const action of history.media) {
    if (action.at < since) break;
    if (!UNDO_KINDS.has(action.kind)) participants.add(action.memberId);
  }
  const newcomers = [...participants].filter(isNew).length;
  const newText = counted(newcomers, 'account');
  const allText = counted(participants.size, 'participant');
  return reading('newcomer_spike', ramp(newcomers, 3, 10) * ramp(newcomers / participants.size, 0.3, 0.6), {
    en: `One of ${newText.en} seen for the first time on this post within 15 minutes (of ${allText.en})`,
    ar: `واحد من ${newText.ar} تظهر لأول مرة على هذا المنشور خلال 15 دقيقة (من أصل ${allText.ar})`,
  });
};

/**
 * Accounts that arrived together keep turning up together. Throwaway
 * accounts made for a prize land on one post in a wave, then comment on most
 * later posts; people who arrive together (an influencer's audience, friends)
 * come back now and then, each on their own. So the evidence is the share of
 * the member's arrival cohort (never-seen accounts first seen on the same
 * post within 15 minutes of it; in the campaign's warm-up, within 5) that is
 * on this later post too.
 */
/** Participants on one post in a day beyond which a returning cohort is what the moment brings. */
const CROWDED_POST = { from: 120, to: 200 };

export const arrivalCohort: Signal = ({ event, history, at, campaignStartsAt }) => {
  const arrival = history.arrival;
  const mediaId = event.target.mediaId;
  if (arrival === undefined || mediaId === undefined || mediaId === arrival.mediaId) return undefined;
  // In the warm-up every participant is new, and the cohort of a post's first rush is the brand's
  // most eager fans. The baseline then is the post's own first hour: only a cohort that arrived
  // after it (a batch sent to a post hours into its life) is read.
  const warmUp = arrival.at - FRAUD_WINDOWS.newcomerWindowMs < campaignStartsAt + FRAUD_WINDOWS.newcomerWarmUpMs;
  if (warmUp && (arrival.postOpenedAt === undefined || arrival.at - arrival.postOpenedAt < FRAUD_WINDOWS.postFirstHourMs)) return undefined;
  // Then, too, honest people keep arriving all the time: whoever came within 15 minutes of a crew
  // would share its cohort. The warm-up cohort is only those first seen within minutes of the member.
  const withinMs = warmUp ? FRAUD_WINDOWS.warmUpCohortWindowMs : FRAUD_WINDOWS.newcomerWindowMs;
  const mates = new Set([...arrival.cohort].filter(([, seenAt]) => Math.abs(seenAt - arrival.at) <= withinMs).map(([member]) => member));
  // Arrived alone: nobody to meet again.
  if (mates.size === 0) return undefined;
  const here = new Set<string>();
  const participants = new Set<string>();
  for (const action of history.media) {
    if (action.at > at || UNDO_KINDS.has(action.kind)) continue;
    participants.add(action.memberId);
    // A crowded post counts for nothing: no need to read the rest of it.
    if (participants.size >= CROWDED_POST.to) return undefined;
    if (mates.has(action.memberId)) here.add(action.memberId);
  }
  const present = here.size;
  const cohort = counted(mates.size, 'account');
  const within = counted(withinMs / 60_000, 'minute');
  // A post that draws a crowd far beyond the usual (a live video, a giveaway, a question everyone
  // answers) brings back a large share of every audience, an influencer's included.
  const ordinaryPost = 1 - ramp(participants.size, CROWDED_POST.from, CROWDED_POST.to);
  return reading('arrival_cohort', ramp(present, 2, 5) * ramp(present / mates.size, 0.1, 0.25) * ordinaryPost, {
    en: `Arrived on another post with ${cohort.en} never seen before, within ${within.en}; ${present} of them are on this post too`,
    ar: `ظهر أول مرة على منشور آخر مع ${cohort.ar} لم تظهر من قبل، خلال ${within.ar}؛ ${present} منها على هذا المنشور أيضًا`,
  });
};
