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
    const filter = {
      $or: [
        ...PLATFORMS.map((platform) => ({ platform, 'target.accountId': { $in: campaign.accounts[platform] } })),
        { kind: 'hashtag_post' as const, hashtags: { $in: campaign.hashtags } },
      ],
    };
    return this.events.find(filter, { projection: { _id: 0 }, sort: { platform: 1, 'actor.platformUserId': 1, occurredAt: 1, eventKey: 1 } });
  }
}
