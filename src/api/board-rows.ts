/**
 * What the leaderboard and a member's rank share: naming a board from
 * `?window=&at=`, and turning ranked member ids into rows with display names.
 */
import { z } from 'zod';
import type { LoadedCampaign } from '../config/campaign-loader.js';
import { NuqtaError } from '../errors.js';
import { displayNameOf } from '../leaderboard/display-name.js';
import type { RankedMember } from '../leaderboard/leaderboard-index.js';
import { boardId, parseWindow } from '../domain/board-windows.js';
import { displayNameSchema } from './schemas.js';

export const windowQuery = z.object({
  window: z.string().regex(/^(all|week|month|challenge:[a-z0-9_-]+)$/, 'must be all, week, month or challenge:<id>').default('all'),
  /** Any instant inside the week or month wanted; default now. */
  at: z.coerce.date().optional(),
});

export const boardRowSchema = z.object({ rank: z.number().int(), memberId: z.string(), displayName: displayNameSchema, points: z.number().int() });

/** The board a `?window=` names at `at` (the all-time board always exists); 404 when the campaign has no such window. */
export function boardOf({ campaign }: LoadedCampaign, window: string, at: Date): string {
  const parsed = window === 'all' ? { kind: 'all' as const } : parseWindow(window, campaign);
  if (!parsed) throw new NuqtaError('NUQTA_NOT_FOUND', `campaign "${campaign.id}" has no ${window} leaderboard`);
  return boardId(parsed, at, campaign.timezone);
}

/** Rows as the API shows them: the names came with the ranks, from beside the board. */
export function boardRows({ campaign }: LoadedCampaign, ranked: readonly RankedMember[]): z.infer<typeof boardRowSchema>[] {
  return ranked.map(({ username, ...row }) => ({
    ...row,
    displayName: displayNameOf({ campaignId: campaign.id, memberId: row.memberId, username, hideName: false, anonymize: campaign.leaderboards.anonymize }),
  }));
}
