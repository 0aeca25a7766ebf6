import type { Collection, Db } from 'mongodb';
import type { Campaign } from '../config/campaign-schema.js';
import { PLATFORMS, type EngagementEvent } from '../domain/event.js';
import { duplicateIndexes } from '../ledger/ledger-store.js';

export interface EventStore {
  /** Stores raw events in one insert, each once; returns the keys of those stored now (the others were stored before). */
  insert(events: readonly EngagementEvent[]): Promise<Set<string>>;
  get(eventKey: string): Promise<EngagementEvent | null>;
  /**
   * The stored events a campaign concerns (its accounts, or its hashtags on
   * hashtag posts), grouped by member and in occurredAt order: a scan, for
   * offline replays.
   */
  forCampaign(campaign: Campaign): AsyncIterable<EngagementEvent>;
}

type EventDocument = EngagementEvent & { _id: string };

export class MongoEventStore implements EventStore {
  private readonly events: Collection<EventDocument>;

  constructor(db: Db) {
    this.events = db.collection<EventDocument>('events');
  }

  async ensureIndexes(): Promise<void> {
    await this.events.createIndex({ 'actor.platformUserId': 1, occurredAt: 1 }, { name: 'actor_time' });
  }

  /** The eventKey is the document's `_id`: uniqueness and look-ups by key come for free. */
  async insert(events: readonly EngagementEvent[]): Promise<Set<string>> {
    const stored = new Set(events.map((event) => event.eventKey));
    if (events.length === 0) return stored;
    try {
      await this.events.insertMany(events.map((event) => ({ _id: event.eventKey, ...event })), { ordered: false });
    } catch (error) {
      const duplicates = duplicateIndexes(error);
      if (duplicates === null) throw error;
      for (const index of duplicates) stored.delete(events[index]?.eventKey ?? '');
    }
    return stored;
  }

  async get(eventKey: string): Promise<EngagementEvent | null> {
    return this.events.findOne({ _id: eventKey }, { projection: { _id: 0 } });
  }

  forCampaign(campaign: Campaign): AsyncIterable<EngagementEvent> {
    return this.events.find(campaignFilter(campaign), { projection: { _id: 0 }, sort: { platform: 1, 'actor.platformUserId': 1, occurredAt: 1, eventKey: 1 } });
  }

  /** What the campaign dashboard counts of each event the campaign concerns, in no order: a scan. */
  activityOf(campaign: Campaign): AsyncIterable<EventActivity> {
    return this.events.find(campaignFilter(campaign), { projection: { _id: 0, kind: 1, occurredAt: 1, 'target.mediaId': 1 } }) as AsyncIterable<EventActivity>;
  }
}

export type EventActivity = Pick<EngagementEvent, 'kind' | 'occurredAt'> & { target: { mediaId?: string } };

function campaignFilter(campaign: Campaign) {
  return {
    $or: [
      ...PLATFORMS.map((platform) => ({ platform, 'target.accountId': { $in: campaign.accounts[platform] } })),
      { kind: 'hashtag_post' as const, hashtags: { $in: campaign.hashtags } },
    ],
  };
}
