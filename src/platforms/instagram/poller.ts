/**
 * The Instagram poller: the account's media (`/{ig-user}/media`), each
 * media's comments (`/{media}/comments`) and replies (`/{comment}/replies`),
 * read through the platform-neutral comment pass, plus hashtag search for
 * Facebook Login accounts (poller-hashtags.ts). Events carry the webhook's
 * eventKeys, so whichever of webhook and poller sees a comment first, it is
 * awarded once.
 */
import type { PlatformPolling, PollSession } from '../accounts/account-poll.js';
import type { Page, PlatformReader, PolledComment, PolledMedia } from '../accounts/platform-reader.js';
import { GraphClient, graphBaseUrl, type GraphComment } from './graph-client.js';
import { pollHashtags } from './poller-hashtags.js';
import { instagramTokens } from './token-refresh.js';

export function graphClientFor(session: PollSession): GraphClient {
  return new GraphClient({
    baseUrl: graphBaseUrl(session.hosts, session.account.login),
    accountId: session.account.accountId,
    token: session.token,
    http: session.http,
    budget: session.budget,
    clock: session.clock,
  });
}

export class InstagramReader implements PlatformReader {
  readonly platform = 'instagram';
  readonly replyCounts = 'media_total';
  readonly missesBeforeDeleted = 1;

  constructor(
    private readonly client: GraphClient,
    private readonly username: string | undefined,
  ) {}

  get accountId(): string {
    return this.client.accountId;
  }

  async mediaPage(cursor: string | undefined): Promise<Page<PolledMedia>> {
    const page = await this.client.mediaPage(cursor);
    return {
      // A media without a timestamp cannot be placed in time; Graph always sends one for the account's own media.
      items: page.items.flatMap((media) =>
        media.timestamp === undefined ? [] : [{ id: media.id, publishedAt: media.timestamp, commentCount: media.comments_count }]),
      next: page.next,
    };
  }

  async commentPage(media: PolledMedia, cursor: string | undefined): Promise<Page<PolledComment>> {
    const page = await this.client.commentsPage(media.id, cursor);
    return { items: page.items.map((comment) => this.polled(comment)), next: page.next };
  }

  async replyPage(_media: PolledMedia, parentId: string, cursor: string | undefined): Promise<Page<PolledComment>> {
    const page = await this.client.repliesPage(parentId, cursor);
    return { items: page.items.map((reply) => this.polled({ ...reply, parent_id: reply.parent_id ?? parentId })), next: page.next };
  }

  private polled(comment: GraphComment): PolledComment {
    const username = comment.from?.username ?? comment.username;
    const own = comment.from?.id === this.accountId || (username !== undefined && username === this.username);
    return {
      id: comment.id,
      at: comment.timestamp,
      author: comment.from === undefined ? undefined : { id: comment.from.id, ...(username === undefined ? {} : { username }) },
      own,
      ...(comment.text === undefined ? {} : { text: comment.text }),
      ...(comment.parent_id === undefined ? {} : { parentId: comment.parent_id }),
    };
  }
}

export const instagramPolling: PlatformPolling = {
  reader: (session) => new InstagramReader(graphClientFor(session), session.account.username),
  // Hashtag search exists only with Facebook Login.
  extras: (session, deps) => (session.account.login === 'facebook_login' ? pollHashtags(session, deps, graphClientFor(session)) : Promise.resolve(0)),
  tokens: instagramTokens,
};
