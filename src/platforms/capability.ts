/**
 * The shape of one capability entry: whether the platform attests who did
 * an action, how it reaches nuqta, and the limits that shape it. The
 * entries themselves live next to each adapter; capabilities.ts joins them.
 */
import { z } from 'zod';
import { eventKindSchema, platformSchema, type EventKind } from '../domain/event.js';

export const ARRIVALS = ['webhook', 'poll', 'api'] as const;
/** A platform webhook, a scheduled poll of the platform's API, or `POST /v1/events` from the brand's own source. */
export type Arrival = (typeof ARRIVALS)[number];

export const capabilityLimitSchema = z.object({
  what: z.string(),
  value: z.union([z.number(), z.string()]),
  unit: z.string().optional(),
});
export type CapabilityLimit = z.infer<typeof capabilityLimitSchema>;

export const capabilitySchema = z.object({
  platform: platformSchema,
  kind: eventKindSchema,
  /** Whether events from the platform's webhook or API name the actor as the platform knows them. */
  verified: z.boolean(),
  arrival: z.array(z.enum(ARRIVALS)),
  limits: z.array(capabilityLimitSchema),
  note: z.string(),
});
export type Capability = z.infer<typeof capabilitySchema>;

/** What a platform's entry states; `platform` and `kind` come from where it sits in the matrix. */
export type CapabilityEntry = Readonly<Omit<Capability, 'platform' | 'kind' | 'arrival' | 'limits'>> & {
  arrival: readonly Arrival[];
  limits: readonly CapabilityLimit[];
};

/** A Record over every kind, so adding an EventKind fails to compile until each platform says what it can do. */
export type PlatformCapabilities = Readonly<Record<EventKind, CapabilityEntry>>;

/** Not platform actions: what a brand's shop reports through `POST /v1/events`, the same on every platform. */
export const SHOP_ORDERS: Pick<PlatformCapabilities, 'purchase' | 'order_refunded'> = {
  purchase: {
    verified: false,
    arrival: ['api'],
    limits: [],
    note: 'Not a platform action: a paid order the brand\'s shop sends to `POST /v1/events` (ingest key), naming the buyer\'s account; it redeems referral and influencer codes.',
  },
  order_refunded: {
    verified: false,
    arrival: ['api'],
    limits: [],
    note: 'Not a platform action: the shop reports a refunded order (its order id) to `POST /v1/events`; what the order earned is taken back, the referrer\'s award too.',
  },
};
