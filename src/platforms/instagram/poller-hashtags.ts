/**
 * Hashtag search for Facebook Login accounts: `ig_hashtag_search` turns a
 * campaign hashtag into its id, `/{hashtag}/recent_media` lists posts from
 * the last 24 hours. An account may search at most 30 unique hashtags in 7
 * days; the searches are kept on the account so a restart cannot overspend.
 *
 * `recent_media` never names a post's author, and an event must name its
 * actor, so a hashtag post is recorded as a candidate (`hashtag_candidates`).
 * It earns once its author is known: when its caption @mentions the brand.
 * Whichever comes first, the candidate or the mention, the second links
 * them (here: a new candidate whose mention is already stored; in
 * poller-mentions.ts: a mention whose candidate is) into one `hashtag_post`
 * with the media id as its id, so it earns once.
 */
import { isPlatformCallError } from '../accounts/platform-call.js';
import type { PollerDeps, PollSession } from '../accounts/account-poll.js';
import type { HashtagSearch } from '../accounts/account.js';
import type { HashtagCandidate } from '../accounts/poll-state-store.js';
import type { GraphClient } from './graph-client.js';
import { eventKeyOf, type EngagementEvent } from '../../domain/event.js';
import { campaignHashtagsFor, hashtagPostOf } from '../hashtag-posts.js';
import { instagramMentionEventId } from './mentions.js';

export const HASHTAG_SEARCH_LIMIT = 30;
export const HASHTAG_SEARCH_WINDOW_MS = 7 * 86_400_000;
/** recent_media covers 24 hours; once an hour catches every post with pages to spare. */
export const HASHTAG_POLL_EVERY_MS = 60 * 60_000;
const RECENT_MEDIA_PAGES = 2;

export interface HashtagPlan {
  /** Hashtags with a known id from a search within 7 days: reading them costs no search. */
  known: { name: string; id: string }[];
  /** Hashtags to search now, within what is left of the 7-day allowance. */
  search: string[];
  /** Hashtags left out because the allowance is spent. */
  overBudget: string[];
  /** Searches still inside the 7-day window. */
  recent: HashtagSearch[];
}

export function planHashtagSearches(previous: readonly HashtagSearch[], wanted: readonly string[], now: Date, limit = HASHTAG_SEARCH_LIMIT): HashtagPlan {
  const recent = previous.filter((search) => now.getTime() - search.searchedAt.getTime() < HASHTAG_SEARCH_WINDOW_MS);
  const byName = new Map(recent.map((search) => [search.name, search]));
  const plan: HashtagPlan = { known: [], search: [], overBudget: [], recent };
  let left = limit - byName.size;
  for (const name of new Set(wanted)) {
    const known = byName.get(name);
    if (known !== undefined) plan.known.push({ name, id: known.id });
    else if (left > 0) {
      plan.search.push(name);
      left -= 1;
    } else plan.overBudget.push(name);
  }
  return plan;
}

/**
 * Campaign hashtags of the running campaigns that list this account, as
 * people spell them: Instagram searches the spelling, so each spelling a
 * campaign lists is searched (and counts against the 30), while matching
 * folds them together.
 */
export function campaignHashtagsOf(deps: Pick<PollerDeps, 'campaigns'>, accountId: string, now: Date): string[] {
  const tags = deps.campaigns.all
    .map(({ campaign }) => campaign)
    .filter((campaign) => campaign.accounts.instagram.includes(accountId) && campaign.starts_at <= now && now <= campaign.ends_at)
    .flatMap((campaign) => campaign.hashtag_spellings);
  return [...new Set(tags)];
}

/** Records hashtag posts as candidates; returns the hashtag posts it could credit (their mention already stored). */
export async function pollHashtags(session: PollSession, deps: PollerDeps, client: GraphClient): Promise<number> {
  const now = deps.clock();
  const { account } = session;
  if (account.hashtagsPolledAt !== undefined && now.getTime() - account.hashtagsPolledAt.getTime() < HASHTAG_POLL_EVERY_MS) return 0;
  const wanted = campaignHashtagsOf(deps, account.accountId, now);
  if (wanted.length === 0) return 0;
  const plan = planHashtagSearches(account.hashtagSearches, wanted, now);
  const searches = [...plan.recent];
  const readable = [...plan.known];
  const overBudget = [...plan.overBudget];
  let linked = 0;
  try {
    for (const name of plan.search) {
      try {
        const id = await client.hashtagId(name);
        if (id === undefined) continue;
        searches.push({ name, id, searchedAt: now });
        readable.push({ name, id });
      } catch (error) {
        // Code 24: the platform counts more searches than nuqta knows of (another app on the same account).
        if (!isPlatformCallError(error, 'refused')) throw error;
        overBudget.push(name);
      }
    }
    const candidates: HashtagCandidate[] = [];
    for (const { name, id } of readable) candidates.push(...(await recentPosts(client, name, id, now)));
    const added = await deps.pollState.addHashtagCandidates(candidates);
    linked = await linkToMentions(deps, added);
    deps.logger.info({ account: account.accountId, hashtags: readable.length, candidates: candidates.length, new: added.length, linked }, 'hashtag posts recorded as candidates (credited once their author is linked)');
  } finally {
    // Searches made count against the allowance even when a later call failed.
    await deps.accounts.recordHashtags(account, searches, now);
  }
  if (overBudget.length > 0) {
    deps.logger.warn({ account: account.accountId, hashtags: overBudget, limit: HASHTAG_SEARCH_LIMIT }, 'hashtags not searched: the account used its unique hashtag searches for these 7 days');
  }
  return linked;
}

/** New candidates whose caption mention is already stored become that poster's hashtag posts; returns how many. */
async function linkToMentions(deps: PollerDeps, candidates: readonly HashtagCandidate[]): Promise<number> {
  const posts: EngagementEvent[] = [];
  for (const candidate of candidates) {
    const mention = await deps.events.get(eventKeyOf('instagram', 'mention', instagramMentionEventId({ accountId: candidate.accountId, mediaId: candidate.mediaId })));
    const post = mention === null ? undefined : hashtagPostOf(mention, campaignHashtagsFor(deps.campaigns, 'instagram', candidate.accountId), [candidate.hashtag]);
    if (post !== undefined) posts.push({ ...post, source: 'poll', receivedAt: deps.clock() });
  }
  if (posts.length > 0) await deps.enqueue(posts);
  return posts.length;
}

async function recentPosts(client: GraphClient, hashtag: string, hashtagId: string, now: Date): Promise<HashtagCandidate[]> {
  const found: HashtagCandidate[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < RECENT_MEDIA_PAGES; page += 1) {
    let result;
    try {
      result = await client.recentMediaPage(hashtagId, cursor);
    } catch (error) {
      if (isPlatformCallError(error, 'refused')) return found;
      throw error;
    }
    for (const media of result.items) {
      found.push({
        platform: 'instagram',
        accountId: client.accountId,
        mediaId: media.id,
        hashtag,
        foundAt: now,
        ...(media.caption === undefined ? {} : { caption: media.caption }),
        ...(media.permalink === undefined ? {} : { permalink: media.permalink }),
        ...(media.timestamp === undefined ? {} : { postedAt: media.timestamp }),
      });
    }
    cursor = result.next;
    if (cursor === undefined) break;
  }
  return found;
}
