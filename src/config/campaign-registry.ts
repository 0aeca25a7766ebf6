import type { EngagementEvent } from '../domain/event.js';
import { NuqtaError } from '../errors.js';
import type { LoadedCampaign } from './campaign-loader.js';

/**
 * The campaigns this process scores with, and which of them an event
 * concerns. The campaign catalog (campaign-catalog.ts) replaces them when a
 * revision is stored anywhere; an archived campaign can still be read by id
 * but takes no events and is not listed.
 */
export class CampaignRegistry {
  private byId = new Map<string, LoadedCampaign>();
  private archived = new Set<string>();
  private current: readonly LoadedCampaign[] = [];

  constructor(all: readonly LoadedCampaign[] = [], archived: Iterable<string> = []) {
    this.replace(all, archived);
  }

  /** The campaigns that are not archived. */
  get all(): readonly LoadedCampaign[] {
    return this.current;
  }

  replace(all: readonly LoadedCampaign[], archived: Iterable<string>): void {
    this.byId = new Map(all.map((loaded) => [loaded.campaign.id, loaded]));
    this.archived = new Set(archived);
    this.current = all.filter((loaded) => !this.archived.has(loaded.campaign.id));
  }

  /** One campaign's newest revision, as this process stored it. */
  put(loaded: LoadedCampaign): void {
    this.replace([...[...this.byId.values()].filter((other) => other.campaign.id !== loaded.campaign.id), loaded], this.archived);
  }

  isArchived(campaignId: string): boolean {
    return this.archived.has(campaignId);
  }

  find(campaignId: string): LoadedCampaign | undefined {
    return this.byId.get(campaignId);
  }

  get(campaignId: string): LoadedCampaign {
    const loaded = this.byId.get(campaignId);
    if (!loaded) throw new NuqtaError('NUQTA_CAMPAIGN_NOT_FOUND', `no campaign "${campaignId}"`);
    return loaded;
  }

  /** An event concerns a campaign when it targets one of its accounts, or (hashtag posts) carries one of its hashtags. */
  matching(event: EngagementEvent): LoadedCampaign[] {
    return this.current.filter(({ campaign }) => {
      if (campaign.accounts[event.platform].includes(event.target.accountId)) return true;
      return event.kind === 'hashtag_post' && event.hashtags.some((tag) => campaign.hashtags.includes(tag));
    });
  }
}
