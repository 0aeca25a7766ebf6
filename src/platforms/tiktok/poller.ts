/**
 * The TikTok poller: the business account's videos (`/business/video/list/`,
 * `cursor` + `has_more`), each video's comments (`/business/comment/list/`)
 * and, for comments whose reply count moved, their replies. Commenters are
 * named by `unique_identifier`, as in the `comment.update` webhook, so a
 * comment both webhooked and polled has one eventKey and one award. The
 * comment webhook already reports deletions; the poller is the safety net.
 */
import { businessBaseUrl, BusinessClient, type TikTokComment } from './business-client.js';
import type { PlatformPolling, PollSession } from '../accounts/account-poll.js';
import type { Page, PlatformReader, PolledComment, PolledMedia } from '../accounts/platform-reader.js';
import { tiktokTokens } from './token-refresh.js';

export function businessClientFor(session: PollSession): BusinessClient {
  return new BusinessClient({
    baseUrl: businessBaseUrl(session.hosts.TIKTOK_BUSINESS_URL, session.hosts.TIKTOK_BUSINESS_VERSION),
    businessId: session.account.accountId,
    token: session.token,
    http: session.http,
    budget: session.budget,
    clock: session.clock,
  });
}

export class TikTokReader implements PlatformReader {
  readonly platform = 'tiktok';
  readonly replyCounts = 'per_comment';
  readonly missesBeforeDeleted = 2;

  constructor(private readonly client: BusinessClient) {}

  get accountId(): string {
    return this.client.businessId;
  }

  async mediaPage(cursor: string | undefined): Promise<Page<PolledMedia>> {
    const page = await this.client.videosPage(cursor);
    return { items: page.items.map((video) => ({ id: video.item_id, publishedAt: video.create_time, commentCount: video.comments })), next: page.next };
  }

  async commentPage(media: PolledMedia, cursor: string | undefined): Promise<Page<PolledComment>> {
    const page = await this.client.commentsPage(media.id, cursor);
    return { items: page.items.map((comment) => polled(comment, undefined)), next: page.next };
  }

  async replyPage(media: PolledMedia, parentId: string, cursor: string | undefined): Promise<Page<PolledComment>> {
    const page = await this.client.repliesPage(media.id, parentId, cursor);
    return { items: page.items.map((reply) => polled(reply, parentId)), next: page.next };
  }
}

/** `parentId` comes from which list the comment was read from: the comment list holds top-level comments only. */
function polled(comment: TikTokComment, parentId: string | undefined): PolledComment {
  return {
    id: comment.comment_id,
    at: comment.create_time,
    // Without `unique_identifier` the commenter cannot be matched to webhook events: nothing is credited.
    author: comment.unique_identifier === undefined ? undefined : { id: comment.unique_identifier, ...(comment.username === undefined ? {} : { username: comment.username }) },
    own: comment.owner === true,
    ...(comment.text === undefined ? {} : { text: comment.text }),
    ...(parentId === undefined ? {} : { parentId }),
    ...(comment.replies === undefined ? {} : { replyCount: comment.replies }),
  };
}

export const tiktokPolling: PlatformPolling = {
  reader: (session) => new TikTokReader(businessClientFor(session)),
  tokens: tiktokTokens,
};
