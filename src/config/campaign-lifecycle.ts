/**
 * Pausing, resuming and ending a campaign early are campaign changes like any
 * other: a new revision whose file says so (`pauses:` spans, an earlier
 * `ends_at`), so they are audited, diffable and replayable, and the brand's
 * comments and layout in the YAML are kept.
 */
import { TZDate } from '@date-fns/tz';
import { parseDocument } from 'yaml';
import { NuqtaError } from '../errors.js';
import { pauseAt, type Campaign } from './campaign-schema.js';

export const LIFECYCLE_ACTIONS = ['pause', 'resume', 'end'] as const;
export type LifecycleAction = (typeof LIFECYCLE_ACTIONS)[number];

/** The campaign's YAML with the action applied at `now` (written in the campaign's time zone). */
export function withLifecycle(source: string, campaign: Campaign, action: LifecycleAction, now: Date): string {
  const document = parseDocument(source);
  const at = new TZDate(now, campaign.timezone).toISOString();
  const refuse = (message: string): NuqtaError => new NuqtaError('NUQTA_CONFLICT', `campaign "${campaign.id}" ${message}`);
  if (now > campaign.ends_at) throw refuse(`ended at ${campaign.ends_at.toISOString()}`);
  const open = pauseAt(campaign, now);
  switch (action) {
    case 'pause':
      if (open) throw refuse(`is paused since ${open.from.toISOString()}`);
      if (!document.hasIn(['pauses'])) document.setIn(['pauses'], document.createNode([]));
      document.addIn(['pauses'], document.createNode({ from: at }));
      break;
    case 'resume':
      if (!open) throw refuse('is not paused');
      document.setIn(['pauses', campaign.pauses.indexOf(open), 'to'], at);
      break;
    case 'end':
      document.setIn(['ends_at'], at);
      break;
  }
  return document.toString();
}
