/**
 * One event as the fraud history keeps it in Redis: the fields the history
 * builder reads, encoded so the same event always makes the same sorted-set
 * member (re-deliveries add nothing), and turned back into an event for
 * `buildRecentActivity`.
 */
import { eventKindSchema, platformSchema, type EngagementEvent, type Platform } from '../domain/event.js';

/** An event reduced to what the history builder reads. */
export interface ActivityRecord {
  eventKey: string;
  platform: Platform;
  platformUserId: string;
  kind: EngagementEvent['kind'];
  accountId: string;
  mediaId?: string;
  /** occurredAt, epoch ms. */
  at: number;
  text?: string;
}

export function activityRecordOf(event: EngagementEvent): ActivityRecord {
  return {
    eventKey: event.eventKey,
    platform: event.platform,
    platformUserId: event.actor.platformUserId,
    kind: event.kind,
    accountId: event.target.accountId,
    ...(event.target.mediaId === undefined ? {} : { mediaId: event.target.mediaId }),
    at: event.occurredAt.getTime(),
    ...(event.text === undefined ? {} : { text: event.text }),
  };
}

/** Field order is fixed so the same event always makes the same sorted-set member. */
export function encodeRecord(record: ActivityRecord): string {
  const { eventKey, platform, platformUserId, kind, accountId, mediaId, at, text } = record;
  return JSON.stringify({ eventKey, platform, platformUserId, kind, accountId, mediaId, at, text });
}

export function decodeRecord(encoded: string): ActivityRecord {
  const raw = JSON.parse(encoded) as Record<string, unknown>;
  return {
    eventKey: String(raw.eventKey),
    platform: platformSchema.parse(raw.platform),
    platformUserId: String(raw.platformUserId),
    kind: eventKindSchema.parse(raw.kind),
    accountId: String(raw.accountId),
    ...(typeof raw.mediaId === 'string' ? { mediaId: raw.mediaId } : {}),
    at: Number(raw.at),
    ...(typeof raw.text === 'string' ? { text: raw.text } : {}),
  };
}

/**
 * The history builder takes events; a record becomes one with the fields it
 * reads. The others (hashtags, receivedAt, source, verified, platformEventId)
 * are neutral fillers that no signal reads.
 */
export function eventOfRecord(record: ActivityRecord): EngagementEvent {
  const occurredAt = new Date(record.at);
  return {
    platform: record.platform,
    kind: record.kind,
    actor: { platformUserId: record.platformUserId },
    target: { accountId: record.accountId, ...(record.mediaId === undefined ? {} : { mediaId: record.mediaId }) },
    ...(record.text === undefined ? {} : { text: record.text }),
    hashtags: [],
    occurredAt,
    receivedAt: occurredAt,
    source: 'api',
    verified: false,
    platformEventId: record.eventKey,
    eventKey: record.eventKey,
  };
}
