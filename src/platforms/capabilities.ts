/**
 * The capability matrix: for each platform and each event kind, whether the
 * platform attests who did it, how it reaches nuqta, and the limits that
 * shape it. One source for `GET /v1/platforms`, the README table and the
 * rules that decide what unverified actions may earn. The entries live next
 * to each adapter (instagram/capabilities.ts, tiktok/capabilities.ts).
 */
import { EVENT_KINDS, PLATFORMS, type EventKind, type Platform } from '../domain/event.js';
import type { Capability, CapabilityLimit, PlatformCapabilities } from './capability.js';
import { INSTAGRAM_CAPABILITIES } from './instagram/capabilities.js';
import { TIKTOK_CAPABILITIES } from './tiktok/capabilities.js';

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
