import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Nuqta } from '../app.js';
import type { LoadedCampaign } from '../config/campaign-loader.js';
import { NuqtaError } from '../errors.js';
import { isReviewReversal } from '../domain/ledger.js';
import { displayNameOf } from '../leaderboard/display-name.js';
import type { LedgerEntry } from '../ledger/entry.js';
import type { MemberRecord } from '../ledger/member-states.js';
import { heldPoints, pointsUnderReview } from '../ledger/member-state.js';
import { tierProgress } from '../ledger/tier-progress.js';
import { expiringSoon, nextReward } from '../scoring/rules/index.js';
import type { ApiAccess } from './auth.js';
import { isPublicId, type PublicIds } from './public-id.js';
import { publicReadLimit } from './rate-limits.js';
import { boardOf, boardRows, boardRowSchema, windowQuery } from './board-rows.js';
import { displayNameSchema, errorSchema, localizedSchema, memberParams, reasonSchema } from './schemas.js';

/** How many waiting entries a member's view lists (newest first). */
const PENDING_LISTED = 20;

/** "Points expiring soon" looks this many days ahead. */
const EXPIRING_WITHIN_DAYS = 30;

const memberSchema = z.object({
  campaignId: z.string(),
  memberId: z.string(),
  publicId: z.string(),
  displayName: displayNameSchema,
  balance: z.number().int(),
  earned: z.number().int(),
  tier: z.object({ id: z.string(), name: localizedSchema, minEarned: z.number().int(), multiplier: z.number() }),
  nextTier: z.object({ id: z.string(), name: localizedSchema, minEarned: z.number().int(), missing: z.number().int(), progress: z.number(), message: localizedSchema }).nullable(),
  nextReward: z.object({ rewardId: z.string(), name: localizedSchema, cost: z.number().int(), missing: z.number().int(), message: localizedSchema }).nullable(),
  expiring: z.object({
    withinDays: z.number().int(),
    points: z.number().int(),
    lots: z.array(z.object({ points: z.number().int(), expiresAt: z.string() })),
  }),
  /** Rank on the all-time board; null before the member has points. */
  rank: z.number().int().nullable(),
  pending: z.object({
    points: z.number().int().describe('Points waiting for a reviewer: they are not on the leaderboards until approved'),
    spendable: z.number().int().describe('What the member may redeem now: the balance without the points under review'),
    entries: z.array(z.object({
      seq: z.number().int(),
      eventKey: z.string(),
      ruleId: z.string(),
      points: z.number().int().describe('Points that wait: positive for a held award, and for an earlier award under review'),
      status: z.enum(['held', 'under_review']),
      reason: reasonSchema,
    })).describe(`The ${PENDING_LISTED} newest entries waiting for a reviewer`),
  }).describe('What waits for a review decision, with the reason'),
});

const historyQuery = z.object({
  /** The `nextCursor` of the previous page: entries before this seq. */
  cursor: z.coerce.number().int().min(1).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});

export const historyEntrySchema = z.object({
  seq: z.number().int(),
  kind: z.string(),
  ruleId: z.string(),
  eventKey: z.string(),
  points: z.number().int(),
  status: z.string(),
  reason: reasonSchema,
  occurredAt: z.string(),
  createdAt: z.string(),
});

export const rankQuery = windowQuery.extend({ around: z.coerce.number().int().min(0).max(25).default(3) });

export const rankSchema = z.object({
  campaignId: z.string(),
  publicId: z.string(),
  /** Only for a key that may read the campaign's members. */
  memberId: z.string().optional(),
  window: z.string(),
  board: z.string(),
  /** Null when the member has no points on this board. */
  rank: z.number().int().nullable(),
  points: z.number().int(),
  around: z.array(boardRowSchema),
});

/** A member as the member route and the follower's own page show them: balance, tier and progress, next reward, points expiring soon, all-time rank. */
export async function memberView(
  nuqta: Pick<Nuqta, 'leaderboard' | 'stock' | 'ledger'>,
  publicIds: PublicIds,
  { campaign }: LoadedCampaign,
  member: MemberRecord,
  now: Date,
): Promise<z.infer<typeof memberSchema>> {
  const [rank, soldOut] = await Promise.all([
    nuqta.leaderboard.rankOf(campaign.id, 'all', member.memberId),
    nuqta.stock.soldOut(campaign.id, campaign.rewards),
  ]);
  const { state } = member;
  const progress = tierProgress(state.earned, campaign);
  const goal = nextReward(state.balance, campaign, soldOut);
  const expiring = expiringSoon(state, campaign, now, EXPIRING_WITHIN_DAYS);
  const waiting = state.held.filter((note) => !isReviewReversal(note) || note.counts === true).sort((a, b) => b.seq - a.seq).slice(0, PENDING_LISTED);
  const reasons = await nuqta.ledger.entries(campaign.id, member.memberId, waiting.map((note) => note.seq));
  const underReview = pointsUnderReview(state);
  return {
    campaignId: campaign.id,
    memberId: member.memberId,
    publicId: publicIds.idOf(campaign.id, member.memberId),
    displayName: displayNameOf({ campaignId: campaign.id, memberId: member.memberId, username: member.username, hideName: member.hideName, anonymize: campaign.leaderboards.anonymize }),
    balance: state.balance,
    earned: state.earned,
    tier: progress.tier,
    nextTier: progress.next,
    nextReward: goal && { rewardId: goal.reward.id, name: goal.reward.name, cost: goal.reward.cost, missing: goal.missing, message: goal.message },
    expiring: {
      withinDays: EXPIRING_WITHIN_DAYS,
      points: expiring.points,
      lots: expiring.lots.map((lot) => ({ points: lot.points, expiresAt: lot.expiresAt.toISOString() })),
    },
    rank: rank?.rank ?? null,
    pending: {
      points: heldPoints(state) + underReview,
      spendable: state.balance - underReview,
      // The state runs ahead of the ledger only while a batch is being written: such an entry is listed on the next read.
      entries: reasons.map((entry) => ({
        seq: entry.seq,
        eventKey: entry.eventKey,
        ruleId: entry.ruleId,
        points: Math.abs(entry.points),
        status: isReviewReversal(entry) ? ('under_review' as const) : ('held' as const),
        reason: pendingReason(entry),
      })).sort((a, b) => b.seq - a.seq),
    },
  };
}

/** The member's rank on the board `query` names and the rows around it, as `request` may see them. */
export async function standingOf(
  nuqta: Pick<Nuqta, 'leaderboard'>,
  access: ApiAccess,
  request: FastifyRequest,
  loaded: LoadedCampaign,
  memberId: string,
  query: z.infer<typeof rankQuery>,
): Promise<z.infer<typeof rankSchema>> {
  const { campaign } = loaded;
  const board = boardOf(loaded, query.window, query.at ?? new Date());
  // The rows around the member include the member's own row: one read of the board gives both.
  const around = await nuqta.leaderboard.around(campaign.id, board, memberId, query.around);
  const standing = around.find((row) => row.memberId === memberId);
  return {
    campaignId: campaign.id,
    publicId: access.publicIds.idOf(campaign.id, memberId),
    ...(access.mayReadMembers(request, campaign.id) ? { memberId } : {}),
    window: query.window,
    board,
    rank: standing?.rank ?? null,
    points: standing?.points ?? 0,
    around: boardRows(loaded, around, access.rowReader(request, campaign.id)),
  };
}

const fraudReasonSchema = z.object({ signals: z.array(z.object({ code: z.string(), text: localizedSchema })).min(1) });

/** Why an entry waits: for a held award, the fraud scorer's strongest reason; for an award under review, the reversal's own reason. */
function pendingReason(entry: LedgerEntry): z.infer<typeof reasonSchema> {
  const fraud = fraudReasonSchema.safeParse(entry.explain.fraud);
  const strongest = fraud.success ? fraud.data.signals[0] : undefined;
  return strongest ? { code: strongest.code, text: strongest.text } : entry.reason;
}

export function historyEntry(entry: LedgerEntry): z.infer<typeof historyEntrySchema> {
  return {
    seq: entry.seq,
    kind: entry.kind,
    ruleId: entry.ruleId,
    eventKey: entry.eventKey,
    points: entry.points,
    status: entry.status,
    reason: entry.reason,
    occurredAt: entry.occurredAt.toISOString(),
    createdAt: entry.createdAt.toISOString(),
  };
}

/**
 * A member's balance, tier, next reward, points about to expire, ledger
 * history and rank. The rank (what the board shows anyway) is public on a
 * public board when asked by the public id a board row carries; everything
 * else, and any look-up by member id, needs a reader, reviewer or admin key
 * for the campaign.
 */
export function memberRoutes(nuqta: Nuqta, access: ApiAccess): FastifyPluginAsync {
  async function readable(request: FastifyRequest, campaignId: string, ref: string, need: 'board' | 'member'): Promise<{ loaded: LoadedCampaign; member: MemberRecord }> {
    const loaded = nuqta.campaigns.get(campaignId);
    access.assertCanRead(request, loaded);
    const { campaign } = loaded;
    const seesMembers = access.mayReadMembers(request, campaign.id);
    // A member id names a platform account: only a key may ask about one.
    if (!seesMembers && (need === 'member' || !isPublicId(ref))) access.require(request, ['reader', 'reviewer'], campaign.id);
    const memberId = access.publicIds.resolve(campaign.id, ref);
    const member = memberId === undefined ? null : await nuqta.states.get(campaign.id, memberId);
    if (!member) throw new NuqtaError('NUQTA_MEMBER_NOT_FOUND', `no member "${ref}" in campaign "${campaign.id}"`);
    return { loaded, member };
  }

  return async (plugin) => {
    const app = plugin.withTypeProvider<ZodTypeProvider>();

    app.get('/v1/campaigns/:id/members/:memberId', {
      config: { access: ['reader', 'reviewer'] },
      schema: {
        tags: ['members'],
        summary: 'A member: balance, tier and progress, next reward, points expiring within 30 days, all-time rank',
        params: memberParams,
        response: { 200: memberSchema, 404: errorSchema },
      },
    }, async (request) => {
      const { loaded, member } = await readable(request, request.params.id, request.params.memberId, 'member');
      return memberView(nuqta, access.publicIds, loaded, member, new Date());
    });

    app.get('/v1/campaigns/:id/members/:memberId/history', {
      config: { access: ['reader', 'reviewer'] },
      schema: {
        tags: ['members'],
        summary: 'The member\'s ledger entries with their reasons, newest first, paged by cursor',
        params: memberParams,
        querystring: historyQuery,
        response: { 200: z.object({ entries: z.array(historyEntrySchema), nextCursor: z.string().nullable() }), 404: errorSchema },
      },
    }, async (request) => {
      const { loaded, member } = await readable(request, request.params.id, request.params.memberId, 'member');
      const { cursor, limit } = request.query;
      const entries = await nuqta.ledger.history(loaded.campaign.id, member.memberId, {
        limit,
        lastSeq: member.state.seq,
        ...(cursor === undefined ? {} : { before: cursor }),
      });
      const last = entries.at(-1);
      return { entries: entries.map(historyEntry), nextCursor: last && last.seq > 1 && entries.length === limit ? String(last.seq) : null };
    });

    app.get('/v1/campaigns/:id/members/:memberId/rank', {
      config: { ...publicReadLimit(nuqta), access: 'public' },
      schema: {
        tags: ['members', 'leaderboards'],
        summary: 'The member\'s rank on a board and the members just above and below',
        params: memberParams,
        querystring: rankQuery,
        response: { 200: rankSchema, 404: errorSchema },
      },
    }, async (request) => {
      const { loaded, member } = await readable(request, request.params.id, request.params.memberId, 'board');
      return standingOf(nuqta, access, request, loaded, member.memberId, request.query);
    });
  };
}
