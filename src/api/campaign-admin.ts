/**
 * Brands change their campaigns here (role admin, for the campaign): create
 * or replace one with the campaign file's schema (YAML or JSON), read its
 * revisions and what changed between them, pause, resume, end early and
 * archive. Every change is a stored revision that every running process
 * scores with within a second (config/campaign-catalog.ts).
 */
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { stringify } from 'yaml';
import { z } from 'zod';
import type { Nuqta } from '../app.js';
import type { SaveResult } from '../config/campaign-catalog.js';
import { campaignChanges } from '../config/campaign-diff.js';
import { LIFECYCLE_ACTIONS } from '../config/campaign-lifecycle.js';
import type { CampaignRevision } from '../config/campaign-store.js';
import type { ApiAccess } from './auth.js';
import { campaignParams, errorSchema } from './schemas.js';

const YAML_TYPES = ['application/yaml', 'application/x-yaml', 'text/yaml'];

/** A campaign file's content: YAML text, or the same as a JSON object. */
const campaignBody = z.union([z.string(), z.record(z.unknown())]).describe('The campaign, as in a campaign file: YAML (Content-Type: application/yaml) or JSON');

const changeSchema = z.object({ path: z.string(), before: z.unknown().optional(), after: z.unknown().optional() });

const revisionSchema = z.object({
  n: z.number().int(),
  revision: z.string(),
  origin: z.enum(['file', 'api', 'cli']),
  author: z.string(),
  createdAt: z.string(),
});

const savedSchema = z.object({
  campaignId: z.string(),
  revision: z.string(),
  n: z.number().int(),
  /** False when the content equals the newest revision (nothing stored). */
  stored: z.boolean(),
  changes: z.array(changeSchema),
});

const revisionParams = campaignParams.extend({ n: z.coerce.number().int().min(1) });
const CAMPAIGN_ACTIONS = [...LIFECYCLE_ACTIONS, 'archive', 'unarchive'] as const;

function revisionView(revision: CampaignRevision): z.infer<typeof revisionSchema> {
  const { n, revision: id, origin, author, createdAt } = revision;
  return { n, revision: id, origin, author, createdAt: createdAt.toISOString() };
}

function sourceOf(body: unknown): string {
  return typeof body === 'string' ? body : stringify(body);
}

/** `If-Match: "v3-1a2b3c4d"` (quotes optional), as HTTP has it for optimistic writes. */
function ifRevision(request: FastifyRequest): string | undefined {
  const header = request.headers['if-match'];
  return typeof header === 'string' ? header.replace(/^W\//, '').replace(/^"|"$/g, '') : undefined;
}

export function campaignAdminRoutes(nuqta: Nuqta, access: ApiAccess): FastifyPluginAsync {
  const { catalog } = nuqta;
  const config = { access: ['admin'] } as const;
  const tags = ['campaign admin'];

  const saved = async (result: SaveResult, previous: CampaignRevision | undefined): Promise<z.infer<typeof savedSchema>> => {
    const { loaded } = result;
    const before = previous ? catalog.parseStored(previous).campaign : undefined;
    return {
      campaignId: loaded.campaign.id,
      revision: loaded.revision,
      n: loaded.n ?? previous?.n ?? 1,
      stored: result.stored,
      changes: before ? campaignChanges(before, loaded.campaign) : [],
    };
  };
  const previousOf = async (campaignId: string): Promise<CampaignRevision | undefined> => catalog.latest(campaignId).catch(() => undefined);

  return async (plugin) => {
    plugin.addContentTypeParser(YAML_TYPES, { parseAs: 'string' }, (_request, body, done) => done(null, body));
    const app = plugin.withTypeProvider<ZodTypeProvider>();

    app.post('/v1/campaigns', {
      config,
      schema: {
        tags, summary: 'Create a campaign (role admin; a scoped key only for its own campaigns)',
        body: campaignBody,
        response: { 201: savedSchema, 400: errorSchema, 409: errorSchema },
      },
    }, async (request, reply) => {
      const source = sourceOf(request.body);
      const author = access.actor(request, ['admin']);
      const result = await catalog.save({ source, origin: 'api', author, createOnly: true, authorize: (id) => access.require(request, ['admin'], id) });
      return reply.code(201).send(await saved(result, undefined));
    });

    app.put('/v1/campaigns/:id', {
      config,
      schema: {
        tags, params: campaignParams,
        summary: 'Create or replace a campaign (role admin); If-Match with a revision refuses a stale write',
        headers: z.object({ 'if-match': z.string().optional() }),
        body: campaignBody,
        response: { 200: savedSchema, 201: savedSchema, 400: errorSchema, 409: errorSchema, 412: errorSchema },
      },
    }, async (request, reply) => {
      const author = access.actor(request, ['admin'], request.params.id);
      const previous = await previousOf(request.params.id);
      const expected = ifRevision(request);
      const result = await catalog.save({
        source: sourceOf(request.body), origin: 'api', author, campaignId: request.params.id, ...(expected === undefined ? {} : { ifRevision: expected }),
      });
      return reply.code(result.created ? 201 : 200).send(await saved(result, previous));
    });

    app.get('/v1/campaigns/:id/revisions', {
      config,
      schema: { tags, params: campaignParams, summary: 'Every stored revision of a campaign, oldest first (role admin)', response: { 200: z.object({ revisions: z.array(revisionSchema) }) } },
    }, async (request) => {
      access.require(request, ['admin'], request.params.id);
      return { revisions: (await catalog.history(request.params.id)).map(revisionView) };
    });

    app.get('/v1/campaigns/:id/revisions/:n', {
      config,
      schema: {
        tags, params: revisionParams,
        summary: 'One revision: its YAML and what it changed from the one before (role admin)',
        response: { 200: revisionSchema.extend({ source: z.string(), changes: z.array(changeSchema) }) },
      },
    }, async (request) => {
      access.require(request, ['admin'], request.params.id);
      const revision = await catalog.revision(request.params.id, request.params.n);
      const before = revision.n > 1 ? await catalog.revision(request.params.id, revision.n - 1) : undefined;
      const changes = before ? campaignChanges(catalog.parseStored(before).campaign, catalog.parseStored(revision).campaign) : [];
      return { ...revisionView(revision), source: revision.source, changes };
    });

    const lifecycleSummary: Record<(typeof CAMPAIGN_ACTIONS)[number], string> = {
      pause: 'Pause the campaign now: events from now on earn nothing until it resumes (a new revision; role admin)',
      resume: 'Resume a paused campaign now (a new revision; role admin)',
      end: 'End the campaign now, before its ends_at (a new revision; role admin)',
      archive: 'Archive an ended campaign: no longer listed, takes no events, still readable by id (role admin)',
      unarchive: 'Bring an archived campaign back (role admin)',
    };
    for (const action of CAMPAIGN_ACTIONS) {
      app.post(`/v1/campaigns/:id/${action}`, {
        config,
        schema: { tags, params: campaignParams, summary: lifecycleSummary[action], response: { 200: savedSchema, 409: errorSchema } },
      }, async (request) => {
        const { id } = request.params;
        const author = access.actor(request, ['admin'], id);
        const previous = await catalog.latest(id);
        if (action === 'archive' || action === 'unarchive') {
          await catalog.setArchived(id, action === 'archive', new Date());
          nuqta.logger.info({ campaignId: id, action, author }, 'campaign archive changed');
          return { campaignId: id, revision: previous.revision, n: previous.n, stored: false, changes: [] };
        }
        const result = await catalog.applyLifecycle(id, action, { origin: 'api', author }, new Date());
        nuqta.logger.info({ campaignId: id, action, author, revision: result.loaded.revision }, 'campaign lifecycle changed');
        return saved(result, previous);
      });
    }
  };
}
