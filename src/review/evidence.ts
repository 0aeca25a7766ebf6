/**
 * What a reviewer sees next to a flag: the event as received, the member's
 * standing, their recent actions, and texts from other accounts that read
 * like copies of theirs. Built on demand from `_id` look-ups and the Redis
 * recent-activity windows, so a flag itself stores no text or username.
 * Evidence older than the windows (7 days of actions, 24 hours of texts) is gone.
 */
import { memberIdOf, type ActorProfile, type EngagementEvent } from '../domain/event.js';
import type { EventStore } from '../ingestion/event-store.js';
import { heldPoints, pointsUnderReview } from '../ledger/member-state.js';
import type { RedisMemberStates } from '../ledger/member-states.js';
import type { ActivityRecord } from '../scoring/activity-record.js';
import type { RedisFraudHistory } from '../scoring/fraud-history.js';
import { FRAUD_WINDOWS, textFeaturesOfText, textSimilarity } from '../scoring/fraud/index.js';
import { blockKeyOf, type MongoBlockList } from './block-list.js';
import type { Clearance, MongoClearances } from './clearances.js';
import type { Flag } from './flags.js';

/** As close as the scorer's near-copy check: one text is an edit of the other. */
const SIMILAR_TEXT = 0.7;
const RECENT_LIMIT = 50;
const SIMILAR_LIMIT = 20;

export interface EvidenceDeps {
  events: Pick<EventStore, 'get'>;
  states: Pick<RedisMemberStates, 'get'>;
  blocks: Pick<MongoBlockList, 'blockedAmong'>;
  clearances: Pick<MongoClearances, 'get'>;
  fraudHistory: Pick<RedisFraudHistory, 'memberActivity' | 'textsOn'>;
}

export interface ActivityView {
  eventKey: string;
  kind: string;
  at: Date;
  mediaId?: string;
  text?: string;
}

export interface FlagEvidence {
  event: {
    platform: string;
    kind: string;
    username?: string;
    profile?: ActorProfile;
    accountId: string;
    mediaId?: string;
    text?: string;
    occurredAt: Date;
  } | null;
  member: {
    username?: string;
    balance: number;
    earned: number;
    /** Points held for review on the member's own held entries (net of held reversals of them). */
    heldPoints: number;
    /** Points of posted awards under review (in the balance until a reviewer decides). */
    pointsUnderReview: number;
    blocked: boolean;
    /** What an earlier approval cleared the member of, and until when; the reasons it names count for nothing meanwhile. */
    clearance: Pick<Clearance, 'codes' | 'until' | 'flagId' | 'by' | 'at'> | null;
  } | null;
  /** The member's own actions in the week before the event, newest first. */
  recentActivity: ActivityView[];
  /** Other accounts' texts within a day of the event that read like copies, most similar first. */
  similarTexts: (ActivityView & { memberId: string; similarity: number })[];
}

/** `accountIds`: the brand accounts of the flag's campaign (where its recent activity is read). */
export async function evidenceFor(deps: EvidenceDeps, flag: Flag, accountIds: readonly string[]): Promise<FlagEvidence> {
  const [event, member, blocked, clearance] = await Promise.all([
    deps.events.get(flag.eventKey),
    deps.states.get(flag.campaignId, flag.memberId),
    deps.blocks.blockedAmong([flag]).then((blocked) => blocked.has(blockKeyOf(flag))),
    deps.clearances.get(flag.campaignId, flag.memberId),
  ]);
  const at = flag.occurredAt.getTime();
  const recent = await deps.fraudHistory.memberActivity(flag.memberId, accountIds, new Date(at - FRAUD_WINDOWS.memberLookbackMs), new Date(at - 1), RECENT_LIMIT);
  return {
    event: event && eventView(event),
    member: member && {
      ...(member.username === undefined ? {} : { username: member.username }),
      balance: member.state.balance,
      earned: member.state.earned,
      heldPoints: heldPoints(member.state),
      pointsUnderReview: pointsUnderReview(member.state),
      blocked,
      clearance: clearance && { codes: clearance.codes, until: clearance.until, flagId: clearance.flagId, by: clearance.by, at: clearance.at },
    },
    recentActivity: recent.map(activityView),
    similarTexts: event ? await similarTexts(deps, event, flag.memberId) : [],
  };
}

async function similarTexts(deps: EvidenceDeps, event: EngagementEvent, memberId: string): Promise<FlagEvidence['similarTexts']> {
  if (event.text === undefined) return [];
  const own = textFeaturesOfText(event.text);
  if (!own.comparable) return [];
  const at = event.occurredAt.getTime();
  const window = FRAUD_WINDOWS.textLookbackMs;
  const nearby = await deps.fraudHistory.textsOn(event.platform, event.target.accountId, new Date(at - window), new Date(at + window), FRAUD_WINDOWS.textLimit);
  return nearby
    .filter((record) => memberIdOf(record.platform, record.platformUserId) !== memberId && record.text !== undefined)
    .map((record) => ({ record, similarity: textSimilarity(own, textFeaturesOfText(record.text ?? '')) }))
    .filter(({ similarity }) => similarity >= SIMILAR_TEXT)
    .sort((a, b) => b.similarity - a.similarity)
    .slice(0, SIMILAR_LIMIT)
    .map(({ record, similarity }) => ({ ...activityView(record), memberId: memberIdOf(record.platform, record.platformUserId), similarity: Math.round(similarity * 1000) / 1000 }));
}

function eventView(event: EngagementEvent): NonNullable<FlagEvidence['event']> {
  return {
    platform: event.platform,
    kind: event.kind,
    ...(event.actor.username === undefined ? {} : { username: event.actor.username }),
    ...(event.actor.profile === undefined ? {} : { profile: event.actor.profile }),
    accountId: event.target.accountId,
    ...(event.target.mediaId === undefined ? {} : { mediaId: event.target.mediaId }),
    ...(event.text === undefined ? {} : { text: event.text }),
    occurredAt: event.occurredAt,
  };
}

function activityView(record: ActivityRecord): ActivityView {
  return {
    eventKey: record.eventKey,
    kind: record.kind,
    at: new Date(record.at),
    ...(record.mediaId === undefined ? {} : { mediaId: record.mediaId }),
    ...(record.text === undefined ? {} : { text: record.text }),
  };
}
