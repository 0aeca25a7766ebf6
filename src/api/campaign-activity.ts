/**
 * What the brand's dashboard shows beyond the ledger's totals: engagement per
 * hour over the campaign, its top posts, and the health of the accounts it
 * reads. Folding the events is pure; the caller scans them.
 */
import type { Campaign } from '../config/campaign-schema.js';
import { REMOVAL_KINDS, type EventKind } from '../domain/event.js';
import type { EventActivity } from '../ingestion/event-store.js';
import type { ConnectedAccount } from '../platforms/accounts/account.js';

const HOUR_MS = 3_600_000;
/** A chart of at most ten weeks of hours; longer campaigns show their last ten weeks. */
const MAX_HOURS = 24 * 70;
const TOP_POSTS = 5;
/** A removal undoes engagement; it is not engagement itself. */
const REMOVALS: ReadonlySet<EventKind> = REMOVAL_KINDS;

export interface CampaignActivity {
  /** Hour starts (UTC, epoch seconds) and the events that happened in each, with no gaps. */
  hours: number[];
  events: number[];
  topPosts: { mediaId: string; engagements: number; comments: number }[];
}

export async function foldActivity(activity: AsyncIterable<EventActivity>): Promise<CampaignActivity> {
  const perHour = new Map<number, number>();
  const posts = new Map<string, { engagements: number; comments: number }>();
  for await (const event of activity) {
    if (REMOVALS.has(event.kind)) continue;
    const hour = Math.floor(event.occurredAt.getTime() / HOUR_MS) * HOUR_MS;
    perHour.set(hour, (perHour.get(hour) ?? 0) + 1);
    const { mediaId } = event.target;
    if (mediaId === undefined) continue;
    const post = posts.get(mediaId) ?? { engagements: 0, comments: 0 };
    post.engagements += 1;
    if (event.kind === 'comment' || event.kind === 'reply') post.comments += 1;
    posts.set(mediaId, post);
  }
  const hours: number[] = [];
  const events: number[] = [];
  const known = [...perHour.keys()];
  if (known.length > 0) {
    const last = Math.max(...known);
    for (let hour = Math.max(Math.min(...known), last - (MAX_HOURS - 1) * HOUR_MS); hour <= last; hour += HOUR_MS) {
      hours.push(hour / 1000);
      events.push(perHour.get(hour) ?? 0);
    }
  }
  const topPosts = [...posts.entries()]
    .map(([mediaId, counts]) => ({ mediaId, ...counts }))
    .sort((a, b) => b.engagements - a.engagements || a.mediaId.localeCompare(b.mediaId))
    .slice(0, TOP_POSTS);
  return { hours, events, topPosts };
}

export interface AccountHealth {
  platform: string;
  accountId: string;
  connected: boolean;
  status: string | null;
  username: string | null;
  tokenExpiresAt: string | null;
  /** What the platform's call budget has left, in percent, as it last said. */
  budgetLeftPercent: number | null;
  lastPoll: { at: string; outcome: string; events: number } | null;
  pausedFor: string | null;
}

/** Every account the campaign file names, connected or not. */
export function accountsHealth(campaign: Campaign, connected: readonly ConnectedAccount[]): AccountHealth[] {
  const byKey = new Map(connected.map((account) => [`${account.platform}|${account.accountId}`, account]));
  return (['instagram', 'tiktok'] as const).flatMap((platform) => campaign.accounts[platform].map((accountId): AccountHealth => {
    const account = byKey.get(`${platform}|${accountId}`);
    return {
      platform,
      accountId,
      connected: account !== undefined,
      status: account?.status ?? null,
      username: account?.username ?? null,
      tokenExpiresAt: account?.tokenExpiresAt?.toISOString() ?? null,
      budgetLeftPercent: account?.budget ? Math.max(0, 100 - account.budget.usagePercent) : null,
      lastPoll: account?.lastPoll ? { at: account.lastPoll.at.toISOString(), outcome: account.lastPoll.outcome, events: account.lastPoll.events } : null,
      pausedFor: account?.pause?.reason ?? null,
    };
  }));
}
