/**
 * What changed between two revisions of a campaign, as the rules engine sees
 * them (defaults filled in, dates as instants), path by path.
 */
import diff from 'microdiff';
import type { Campaign } from './campaign-schema.js';

export interface CampaignChange {
  /** `rules.0.points`, as a problem in a campaign file is named. */
  path: string;
  /** Absent when the path is new. */
  before?: unknown;
  /** Absent when the path was removed. */
  after?: unknown;
}

export function campaignChanges(before: Campaign, after: Campaign): CampaignChange[] {
  const plain = (campaign: Campaign): Record<string, unknown> => JSON.parse(JSON.stringify(campaign)) as Record<string, unknown>;
  return diff(plain(before), plain(after)).map((difference) => {
    const path = difference.path.join('.');
    if (difference.type === 'CREATE') return { path, after: difference.value as unknown };
    if (difference.type === 'REMOVE') return { path, before: difference.oldValue as unknown };
    return { path, before: difference.oldValue as unknown, after: difference.value as unknown };
  });
}

/** `rules.0.points: 5 → 10`, `pauses.0: (none) → {"from":"…"}`. */
export function formatChange(change: CampaignChange): string {
  const shown = (value: unknown): string => (value === undefined ? '(none)' : JSON.stringify(value));
  return `${change.path}: ${shown(change.before)} → ${shown(change.after)}`;
}
