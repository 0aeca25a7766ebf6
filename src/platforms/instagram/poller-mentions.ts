/**
 * `mentions` webhooks (Facebook Login) carry ids only. For each one the
 * webhook route queues a lookup; this reads the comment or caption through
 * `mentioned_comment` / `mentioned_media` and builds the event with
 * `instagramMentionEvent`, so its eventKey is the one any other path would
 * give. A comment names its author by `from`; a caption by `username` only
 * (`owner` is given for the app user's own media), so a caption mention is
 * credited to the member named by that username. A mention whose author the
 * API does not name cannot be credited and is counted as skipped. A caption
 * mention whose post carries a campaign hashtag, in the caption or in a
 * hashtag candidate found for the same media, is also that post's
 * `hashtag_post` (src/platforms/hashtag-posts.ts). With Instagram Login no
 * `mentions` webhook exists: mentions in comments arrive as comments.
 */
import { instagramMentionEvent } from './mentions.js';
import type { MentionLookup } from './webhook-types.js';
import { accountKeyOf } from '../accounts/account.js';
import { actOnFailure } from '../accounts/account-alerts.js';
import { openSession, refreshedDuring, type PollerDeps } from '../accounts/account-poll.js';
import { isPlatformCallError } from '../accounts/platform-call.js';
import { graphClientFor } from './poller.js';
import { campaignHashtagsFor, hashtagPostOf } from '../hashtag-posts.js';

export type MentionOutcome = 'enqueued' | 'author_unknown' | 'not_found' | 'not_connected' | 'needs_reauth';

/** Throws while the account is paused or throttled, so the queue retries the lookup later. */
export async function lookUpMention(deps: PollerDeps, lookup: MentionLookup): Promise<MentionOutcome> {
  const ref = { platform: 'instagram', accountId: lookup.accountId } as const;
  const opened = await openSession(deps, ref);
  if (!('session' in opened)) {
    if (opened.outcome === 'not_connected' || opened.outcome === 'needs_reauth') {
      deps.logger.info({ account: accountKeyOf(ref), lookup, outcome: opened.outcome }, 'mention not looked up: the account cannot be read');
      return opened.outcome;
    }
    throw new Error(`account ${accountKeyOf(ref)} is ${opened.outcome}; the mention lookup is retried later`);
  }
  const { session } = opened;
  const client = graphClientFor(session);
  try {
    const found = lookup.commentId === undefined ? await captionMention(client, lookup.mediaId) : await commentMention(client, lookup.commentId);
    if (found.author === undefined) {
      deps.metrics.payloadSkipped.inc({ platform: 'instagram', reason: 'mention_author_unknown', field: 'mentions' });
      deps.logger.info({ account: accountKeyOf(ref), lookup }, 'mention skipped: the API does not name its author');
      return 'author_unknown';
    }
    const now = deps.clock();
    const mention = instagramMentionEvent({ lookup, author: found.author, ...(found.text === undefined ? {} : { text: found.text }), occurredAt: found.at ?? now, receivedAt: now, source: 'poll' });
    const candidate = lookup.commentId === undefined ? await deps.pollState.hashtagCandidate(ref, lookup.mediaId) : null;
    const post = candidate === null ? undefined : hashtagPostOf(mention, campaignHashtagsFor(deps.campaigns, 'instagram', ref.accountId), [candidate.hashtag]);
    await deps.enqueue(post === undefined ? [mention] : [mention, post]);
    return 'enqueued';
  } catch (error) {
    if (!isPlatformCallError(error)) throw error;
    if (error.failure.kind === 'refused') return 'not_found';
    // A refresh elsewhere replaced the token this lookup held: the queue retries it with the new one.
    if (await refreshedDuring(deps, session, error)) throw error;
    await actOnFailure(deps, ref, error.failure, error.message, deps.clock());
    if (error.failure.kind === 'auth') return 'needs_reauth';
    throw error;
  } finally {
    const budget = session.budget.state;
    if (budget !== undefined) await deps.accounts.recordBudget(ref, budget);
  }
}

interface FoundMention {
  author: { id: string; username?: string } | undefined;
  text: string | undefined;
  at: Date | undefined;
}

async function commentMention(client: ReturnType<typeof graphClientFor>, commentId: string): Promise<FoundMention> {
  const comment = await client.mentionedComment(commentId);
  const username = comment.from?.username ?? comment.username;
  return {
    author: comment.from === undefined ? undefined : { id: comment.from.id, ...(username === undefined ? {} : { username }) },
    text: comment.text,
    at: comment.timestamp,
  };
}

async function captionMention(client: ReturnType<typeof graphClientFor>, mediaId: string): Promise<FoundMention> {
  const media = await client.mentionedMedia(mediaId);
  const { owner, username } = media;
  const author = owner !== undefined ? { id: owner.id, ...(username === undefined ? {} : { username }) } : username === undefined ? undefined : { id: username, username };
  return {
    author,
    text: media.caption,
    at: media.timestamp,
  };
}
