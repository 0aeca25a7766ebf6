/** Requests the emulated APIs received, per endpoint and account, so tests can see what a poller spent. */
export const EMULATED_ENDPOINTS = [
  'instagram.me',
  'instagram.node',
  'instagram.media',
  'instagram.comments',
  'instagram.replies',
  'instagram.mentioned_comment',
  'instagram.mentioned_media',
  'instagram.hashtag_search',
  'instagram.recent_media',
  'instagram.subscribed_apps',
  'instagram.refresh_access_token',
  'tiktok.business',
  'tiktok.video_list',
  'tiktok.comment_list',
  'tiktok.reply_list',
  'tiktok.oauth_token',
] as const;
export type EmulatedEndpoint = (typeof EMULATED_ENDPOINTS)[number];

export interface RequestCount {
  endpoint: EmulatedEndpoint;
  /** The account the request read; empty when it could not be told (an unknown object or token). */
  accountId: string;
  count: number;
}

export class RequestCounter {
  private readonly counts = new Map<string, RequestCount>();

  add(endpoint: EmulatedEndpoint, accountId: string): void {
    const key = `${endpoint} ${accountId}`;
    const entry = this.counts.get(key) ?? { endpoint, accountId, count: 0 };
    entry.count += 1;
    this.counts.set(key, entry);
  }

  /** The total over every entry matching the filter. */
  count(filter: { endpoint?: EmulatedEndpoint; accountId?: string } = {}): number {
    return this.all()
      .filter((c) => filter.endpoint === undefined || c.endpoint === filter.endpoint)
      .filter((c) => filter.accountId === undefined || c.accountId === filter.accountId)
      .reduce((sum, c) => sum + c.count, 0);
  }

  all(): RequestCount[] {
    return [...this.counts.values()].map((c) => ({ ...c }));
  }
}
