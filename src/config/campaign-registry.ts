import type { EngagementEvent } from '../domain/event.js';
import { NuqtaError } from '../errors.js';
import type { LoadedCampaign } from './campaign-loader.js';

/** The loaded campaigns, and which of them an event concerns. */
export class CampaignRegistry {
  private readonly byId: Map<string, LoadedCampaign>;

  constructor(readonly all: readonly LoadedCampaign[]) {
    this.byId = new Map(all.map((loaded) => [loaded.campaign.id, loaded]));
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
    return this.all.filter(({ campaign }) => {
      if (campaign.accounts[event.platform].includes(event.target.accountId)) return true;
      return event.kind === 'hashtag_post' && event.hashtags.some((tag) => campaign.hashtags.includes(tag));
    });
  }
}
