/**
 * `mentions` webhooks (Facebook Login) carry ids only. For each one the
 * webhook route queues a lookup; this reads the comment or caption through
 * `mentioned_comment` / `mentioned_media` and builds the event with
 * `instagramMentionEvent`, so its eventKey is the one any other path would
 * give. A mention whose author the API does not name cannot be credited and
 * is counted as skipped. With Instagram Login no `mentions` webhook exists:
 * mentions in comments arrive as comments.
 */
import { instagramMentionEvent } from './mentions.js';
import type { MentionLookup } from './webhook-types.js';
import { accountKeyOf } from '../accounts/account.js';
import { actOnFailure } from '../accounts/account-alerts.js';
import { openSession, refreshedDuring, type PollerDeps } from '../accounts/account-poll.js';
import { isPlatformCallError } from '../accounts/platform-call.js';
import { graphClientFor } from './poller.js';

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
    await deps.enqueue([
      instagramMentionEvent({ lookup, author: found.author, ...(found.text === undefined ? {} : { text: found.text }), occurredAt: found.at ?? now, receivedAt: now, source: 'poll' }),
    ]);
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
  return {
    author: media.owner === undefined ? undefined : { id: media.owner.id, ...(media.username === undefined ? {} : { username: media.username }) },
    text: media.caption,
    at: media.timestamp,
  };
}
