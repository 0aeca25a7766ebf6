/**
 * Events and a campaign for tests of the fraud scorer: the unit tests'
 * fixtures (test/unit/fraud/fixtures.ts) build on these, and the tests of the
 * fraud history against real Redis use them directly.
 */
import { campaignSchema, type Campaign } from '../../src/config/campaign-schema.js';
import { toEngagementEvent, type ActorProfile, type EngagementEvent, type EventKind } from '../../src/domain/event.js';
import type { FraudLists } from '../../src/scoring/fraud/index.js';

export const FRAUD_ACCOUNT = '17841400000000001';
export const STARTS_AT = new Date('2027-03-01T00:00:00+03:00');
/** Well after the campaign's newcomer warm-up. */
export const T0 = new Date('2027-03-05T12:00:00+03:00').getTime();
export const MINUTE = 60_000;

export function campaignWith(fraud: Record<string, unknown> = {}): Campaign {
  return campaignSchema.parse({
    id: 'cafe-ramadan',
    name: { ar: 'نقاط رمضان', en: 'Ramadan points' },
    timezone: 'Asia/Riyadh',
    starts_at: STARTS_AT,
    ends_at: '2027-03-31T23:59:59+03:00',
    accounts: { instagram: [FRAUD_ACCOUNT] },
    rules: [{ id: 'comment', on: 'comment', points: 10 }],
    fraud,
  });
}

let sequence = 0;

export interface EventSpec {
  user?: string;
  username?: string;
  profile?: ActorProfile;
  kind?: EventKind;
  at?: number;
  mediaId?: string | null;
  text?: string;
}

export function eventOf(spec: EventSpec = {}): EngagementEvent {
  sequence += 1;
  const at = new Date(spec.at ?? T0);
  const mediaId = spec.mediaId === undefined ? 'media-1' : spec.mediaId;
  return toEngagementEvent({
    platform: 'instagram',
    kind: spec.kind ?? 'comment',
    actor: {
      platformUserId: spec.user ?? 'u-1',
      username: spec.username ?? 'sara.alotaibi',
      ...(spec.profile === undefined ? {} : { profile: spec.profile }),
    },
    target: { accountId: FRAUD_ACCOUNT, ...(mediaId === null ? {} : { mediaId }) },
    text: spec.text ?? 'جربت اللاتيه امس وكان رهيب',
    occurredAt: at,
    receivedAt: new Date(at.getTime() + 1_000),
    source: 'webhook',
    verified: true,
    platformEventId: `e${sequence}`,
  });
}

export const NO_LISTS: FraudLists = { staff: new Set(), blocked: new Set() };
