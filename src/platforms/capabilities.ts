/**
 * The capability matrix: for each platform and each event kind, whether the
 * platform attests who did it, how it reaches nuqta, and the limits that
 * shape it. One source for `GET /v1/platforms`, the README table and the
 * rules that decide what unverified actions may earn. The entries live next
 * to each adapter (instagram/capabilities.ts, tiktok/capabilities.ts).
 */
import { z } from 'zod';
import { EVENT_KINDS, PLATFORMS, eventKindSchema, platformSchema, type EventKind, type Platform } from '../domain/event.js';
import { INSTAGRAM_CAPABILITIES } from './instagram/capabilities.js';
import { TIKTOK_CAPABILITIES } from './tiktok/capabilities.js';

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

export const CAPABILITY_MATRIX: Readonly<Record<Platform, PlatformCapabilities>> = {
  instagram: INSTAGRAM_CAPABILITIES,
  tiktok: TIKTOK_CAPABILITIES,
};

export function capabilityOf(platform: Platform, kind: EventKind): Capability {
  const entry = CAPABILITY_MATRIX[platform][kind];
  return { platform, kind, ...entry, arrival: [...entry.arrival], limits: [...entry.limits] };
}

/** Every platform × kind, in the order of PLATFORMS and EVENT_KINDS. */
export function capabilityList(): Capability[] {
  return PLATFORMS.flatMap((platform) => EVENT_KINDS.map((kind) => capabilityOf(platform, kind)));
}

/** The matrix as a Markdown table for the README. */
export function renderCapabilityTable(capabilities: readonly Capability[] = capabilityList()): string {
  const rows = capabilities.map((capability) =>
    [
      capability.platform,
      capability.kind,
      capability.verified ? 'yes' : 'no',
      capability.arrival.join(', '),
      capability.limits.map(formatLimit).join('; ') || '—',
      capability.note,
    ]
      .map(escapeCell)
      .join(' | '),
  );
  return [
    '| Platform | Action | Verified | Arrives by | Limits | Note |',
    '| --- | --- | --- | --- | --- | --- |',
    ...rows.map((row) => `| ${row} |`),
  ].join('\n');
}

function formatLimit(limit: CapabilityLimit): string {
  return `${limit.what}: ${limit.value}${limit.unit === undefined ? '' : ` ${limit.unit}`}`;
}

function escapeCell(text: string): string {
  return text.replaceAll('|', '\\|').replaceAll('\n', ' ');
}
