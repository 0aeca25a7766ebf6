import { MongoServerError, type Collection, type Db } from 'mongodb';
import type { EngagementEvent } from '../domain/event.js';

export interface EventStore {
  /** Stores the raw event once; a second delivery of the same eventKey is reported, not stored. */
  insert(event: EngagementEvent): Promise<'stored' | 'duplicate'>;
  get(eventKey: string): Promise<EngagementEvent | null>;
}

const DUPLICATE_KEY = 11000;

export class MongoEventStore implements EventStore {
  private readonly events: Collection<EngagementEvent>;

  constructor(db: Db) {
    this.events = db.collection<EngagementEvent>('events');
  }

  async ensureIndexes(): Promise<void> {
    await this.events.createIndex({ eventKey: 1 }, { unique: true, name: 'one_event_per_key' });
    await this.events.createIndex({ 'actor.platformUserId': 1, occurredAt: 1 }, { name: 'actor_time' });
  }

  async insert(event: EngagementEvent): Promise<'stored' | 'duplicate'> {
    try {
      await this.events.insertOne({ ...event });
      return 'stored';
    } catch (error) {
      if (error instanceof MongoServerError && error.code === DUPLICATE_KEY) return 'duplicate';
      throw error;
    }
  }

  async get(eventKey: string): Promise<EngagementEvent | null> {
    return this.events.findOne({ eventKey }, { projection: { _id: 0 } });
  }
}
