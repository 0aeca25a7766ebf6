import { MongoServerError, type Collection, type Db } from 'mongodb';
import type { Campaign } from '../config/campaign-schema.js';
import { PLATFORMS, type EngagementEvent } from '../domain/event.js';

export interface EventStore {
  /** Stores the raw event once; a second delivery of the same eventKey is reported, not stored. */
  insert(event: EngagementEvent): Promise<'stored' | 'duplicate'>;
  get(eventKey: string): Promise<EngagementEvent | null>;
  /**
   * The stored events a campaign concerns (its accounts, or its hashtags on
   * hashtag posts), grouped by member and in occurredAt order: a scan, for
   * offline replays.
   */
  forCampaign(campaign: Campaign): AsyncIterable<EngagementEvent>;
}

const DUPLICATE_KEY = 11000;

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
  async insert(event: EngagementEvent): Promise<'stored' | 'duplicate'> {
    try {
      await this.events.insertOne({ _id: event.eventKey, ...event });
      return 'stored';
    } catch (error) {
      if (error instanceof MongoServerError && error.code === DUPLICATE_KEY) return 'duplicate';
      throw error;
    }
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
