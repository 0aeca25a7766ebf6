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
import type { PublicIds } from './public-id.js';
import { displayNameSchema } from './schemas.js';

export const windowQuery = z.object({
  window: z.string().regex(/^(all|week|month|challenge:[a-z0-9_-]+)$/, 'must be all, week, month or challenge:<id>').default('all'),
  /** Any instant inside the week or month wanted; default now. */
  at: z.coerce.date().optional(),
});

export const boardRowSchema = z.object({
  rank: z.number().int(),
  /** Opaque and stable: what a board shows to whoever may not read members. */
  publicId: z.string(),
  /** Only for a key that may read the campaign's members. */
  memberId: z.string().optional(),
  displayName: displayNameSchema,
  points: z.number().int(),
});

/** The board a `?window=` names at `at` (the all-time board always exists); 404 when the campaign has no such window. */
export function boardOf({ campaign }: LoadedCampaign, window: string, at: Date): string {
  const parsed = window === 'all' ? { kind: 'all' as const } : parseWindow(window, campaign);
  if (!parsed) throw new NuqtaError('NUQTA_NOT_FOUND', `campaign "${campaign.id}" has no ${window} leaderboard`);
  return boardId(parsed, at, campaign.timezone);
}

/** Who reads the rows: member ids only for a key that may read members; public ids for everyone. */
export interface RowReader {
  publicIds: PublicIds;
  seesMemberIds: boolean;
}

/** Rows as the API shows them: the names came with the ranks, from beside the board. */
export function boardRows({ campaign }: LoadedCampaign, ranked: readonly RankedMember[], reader: RowReader): z.infer<typeof boardRowSchema>[] {
  return ranked.map(({ username, memberId, rank, points }) => ({
    rank,
    publicId: reader.publicIds.idOf(campaign.id, memberId),
    ...(reader.seesMemberIds ? { memberId } : {}),
    displayName: displayNameOf({ campaignId: campaign.id, memberId, username, hideName: false, anonymize: campaign.leaderboards.anonymize }),
    points,
  }));
}
