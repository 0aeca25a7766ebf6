/** What nuqta tells a brand's other systems (src/outbound), by type. */
import { z } from 'zod';

export const OUTBOUND_EVENT_TYPES = [
  'points.earned',
  'tier.reached',
  'reward.unlocked',
  'reward.redeemed',
  'points.expiring',
  'flag.decided',
  'member.erased',
] as const;
export const outboundEventTypeSchema = z.enum(OUTBOUND_EVENT_TYPES);
export type OutboundEventType = (typeof OUTBOUND_EVENT_TYPES)[number];
