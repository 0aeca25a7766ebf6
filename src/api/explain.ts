import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Nuqta } from '../app.js';
import type { LoadedCampaign } from '../config/campaign-loader.js';
import { eventKeySchema, memberIdOf, type EngagementEvent } from '../domain/event.js';
import { NuqtaError } from '../errors.js';
import { balanceDelta, REVIEW_RULE_PREFIX } from '../domain/ledger.js';
import type { LedgerEntry } from '../ledger/entry.js';
import type { ScoringDecision } from '../scoring/decision-store.js';
import type { ApiAccess } from './auth.js';
import { historyEntry, historyEntrySchema } from './members.js';
import { campaignParams, errorSchema, reasonSchema } from './schemas.js';

const explainParams = campaignParams.extend({ eventKey: eventKeySchema });
const explanation = z.record(z.unknown());

const explainSchema = z.object({
  campaignId: z.string(),
  eventKey: z.string(),
  memberId: z.string(),
  /** Not yet scored: the event is queued, or its campaign has not been decided yet. */
  pending: z.boolean(),
  /** Points the event's own entries put in the balance (posted only), and points held for review. */
  points: z.number().int(),
  heldPoints: z.number().int(),
  event: z.object({
    platform: z.string(),
    kind: z.string(),
    actor: z.object({ platformUserId: z.string(), username: z.string().optional() }),
    target: z.object({ accountId: z.string(), mediaId: z.string().optional(), commentId: z.string().optional() }),
    text: z.string().optional(),
    hashtags: z.array(z.string()),
    occurredAt: z.string(),
    receivedAt: z.string(),
    source: z.string(),
    verified: z.boolean(),
  }).nullable(),
  decision: z.object({ decidedAt: z.string(), campaignRevision: z.string() }).nullable(),
  /** The event's ledger entries, and later entries about them (reversal, expiry, replay adjustment). */
  entries: z.array(historyEntrySchema.extend({ explain: explanation, by: z.string(), refersTo: z.object({ eventKey: z.string(), ruleId: z.string() }).optional() })),
  /** Why rules did not award: a reason and the conditions and limits checked. */
  nonAwards: z.array(z.object({ ruleId: z.string().optional(), reason: reasonSchema, explain: explanation })),
});

/**
 * Why an event earned what it did, or nothing: its ledger entries with the
 * conditions, limits and tier behind them, or the reasons no rule awarded.
 * A reader, reviewer or admin key for the campaign; the fraud verdict (score
 * and signals) only for reviewer and admin keys, and on an anonymous
 * campaign the actor's handle too.
 */
export function explainRoutes(nuqta: Nuqta, access: ApiAccess): FastifyPluginAsync {
  /** The event's own entries and the later ones about it (reversal, expiry, replay adjustment), all listed on its decision. */
  async function entriesAbout(loaded: LoadedCampaign, memberId: string, decision: ScoringDecision | null): Promise<LedgerEntry[]> {
    const seqs = [...new Set([...(decision?.entrySeqs ?? []), ...(decision?.laterSeqs ?? [])])].sort((a, b) => a - b);
    return nuqta.ledger.entries(loaded.campaign.id, memberId, seqs);
  }

  return async (plugin) => {
    const app = plugin.withTypeProvider<ZodTypeProvider>();
    app.get('/v1/campaigns/:id/events/:eventKey/explain', {
      config: { access: ['reader', 'reviewer'] },
      schema: {
        tags: ['events', 'members'],
        summary: 'Why an event earned what it did, or why it earned nothing',
        params: explainParams,
        response: { 200: explainSchema, 404: errorSchema },
      },
    }, async (request) => {
      access.require(request, ['reader', 'reviewer'], request.params.id);
      const loaded = nuqta.campaigns.get(request.params.id);
      const { campaign } = loaded;
      const seesFraud = access.maySeeFraud(request, campaign.id);
      const shown = (explain: Readonly<Record<string, unknown>>): Record<string, unknown> => (seesFraud ? { ...explain } : withoutFraud(explain));
      const { eventKey } = request.params;
      const [event, decision] = await Promise.all([nuqta.events.get(eventKey), nuqta.decisions.get(campaign.id, eventKey)]);
      const memberId = decision ? decision.memberId : undecidedMember(nuqta, loaded, eventKey, event);
      const entries = await entriesAbout(loaded, memberId, decision);
      // Review reversals written under a flagged event are about the member's earlier awards, not this event's points.
      const own = entries.filter((entry) => entry.eventKey === eventKey && !entry.ruleId.startsWith(REVIEW_RULE_PREFIX));
      return {
        campaignId: campaign.id,
        eventKey,
        memberId,
        pending: decision === null,
        points: own.reduce((sum, entry) => sum + balanceDelta(entry), 0),
        heldPoints: own.filter((entry) => entry.status === 'held').reduce((sum, entry) => sum + entry.points, 0),
        event: event && eventView(event, { handle: seesFraud || !campaign.leaderboards.anonymize }),
        decision: decision && { decidedAt: decision.decidedAt.toISOString(), campaignRevision: decision.campaignRevision },
        entries: entries.map((entry) => ({
          ...historyEntry(entry),
          explain: shown(entry.explain),
          by: entry.by,
          ...(entry.refersTo ? { refersTo: entry.refersTo } : {}),
        })),
        nonAwards: (decision?.nonAwards ?? []).map((nonAward) => ({
          ...(nonAward.ruleId === undefined ? {} : { ruleId: nonAward.ruleId }),
          reason: nonAward.reason,
          explain: shown({ ...nonAward.explain }),
        })),
      };
    });
  };
}

/** The member of an event not scored (yet) for the campaign; 404 when it was never received or is not the campaign's. */
function undecidedMember(nuqta: Nuqta, { campaign }: LoadedCampaign, eventKey: string, event: EngagementEvent | null): string {
  if (!event) throw new NuqtaError('NUQTA_NOT_FOUND', `no event "${eventKey}" was received`);
  if (!nuqta.campaigns.matching(event).some((matching) => matching.campaign.id === campaign.id)) {
    throw new NuqtaError('NUQTA_NOT_FOUND', `event "${eventKey}" does not concern campaign "${campaign.id}" (not one of its accounts or hashtags)`);
  }
  return memberIdOf(event.platform, event.actor.platformUserId);
}

function withoutFraud({ fraud: _fraud, ...rest }: Readonly<Record<string, unknown>>): Record<string, unknown> {
  return rest;
}

/** The event as received, without the actor's profile signals (they are for fraud scoring, not for display); the handle only when `handle`. */
function eventView(event: EngagementEvent, show: { handle: boolean }): NonNullable<z.infer<typeof explainSchema>['event']> {
  const { username } = event.actor;
  return {
    platform: event.platform,
    kind: event.kind,
    actor: { platformUserId: event.actor.platformUserId, ...(username === undefined || !show.handle ? {} : { username }) },
    target: event.target,
    ...(event.text === undefined ? {} : { text: event.text }),
    hashtags: event.hashtags,
    occurredAt: event.occurredAt.toISOString(),
    receivedAt: event.receivedAt.toISOString(),
    source: event.source,
    verified: event.verified,
  };
}
