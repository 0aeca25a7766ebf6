/**
 * Campaigns as versioned data. Every change (a campaign file read at
 * start-up, `PUT /v1/campaigns/:id`, `nuqta campaigns push`) is validated
 * with the file schema and stored as a new revision; every process keeps its
 * registry current by watching one Redis counter that each change bumps, and
 * the partition consumers check it before each batch, so an event accepted
 * after a change is answered is scored with it. A full reload now and then
 * covers a change made while Redis was away.
 */
import type { Redis } from 'ioredis';
import type { Logger } from '../log.js';
import { NuqtaError } from '../errors.js';
import { formatProblem, parseCampaignFile, type CampaignProblem, type LoadedCampaign } from './campaign-loader.js';
import { withLifecycle, type LifecycleAction } from './campaign-lifecycle.js';
import type { CampaignRegistry } from './campaign-registry.js';
import type { CampaignRevision, MongoCampaignStore, RevisionOrigin } from './campaign-store.js';

/** How often a process looks at the change counter, and reloads every head regardless. */
export const CAMPAIGN_WATCH_MS = 1_000;
const FULL_RELOAD_MS = 60_000;

export interface SaveRequest {
  /** The campaign as YAML (JSON is YAML too). */
  source: string;
  origin: RevisionOrigin;
  author: string;
  /** The campaign the caller addressed (`PUT /v1/campaigns/:id`); the content must carry the same id. */
  campaignId?: string;
  /** Refuse unless the newest stored revision is this one (HTTP If-Match). */
  ifRevision?: string;
  /** Refuse when the campaign exists (POST creates only). */
  createOnly?: boolean;
  /** Throws when the caller may not change this campaign (its id is known once the content is read). */
  authorize?: (campaignId: string) => void;
}

export interface SaveResult {
  loaded: LoadedCampaign;
  /** False when the content equals the newest revision: nothing was stored. */
  stored: boolean;
  created: boolean;
}

export class CampaignProblemsError extends NuqtaError {
  constructor(readonly problems: CampaignProblem[]) {
    super('NUQTA_INVALID_CAMPAIGN', problems.map((problem) => `${problem.path || '(campaign)'}: ${problem.message}`).join('\n'), { problems });
  }
}

export class CampaignCatalog {
  private seenVersion: string | null | undefined;
  private loadedAt = 0;
  private reloading: Promise<void> | undefined;

  constructor(private readonly deps: { store: MongoCampaignStore; redis: Redis; prefix: string; registry: CampaignRegistry; logger: Logger }) {}

  private get versionKey(): string {
    return `${this.deps.prefix}:campaigns:version`;
  }

  /**
   * Stores the campaign files as revisions where they are new or changed
   * since last read. A file that changed after the campaign was changed
   * through the API or `push` is not applied: the stored campaign is newer
   * than what the file was written from.
   */
  async seed(files: readonly LoadedCampaign[]): Promise<void> {
    const { store, logger } = this.deps;
    for (const file of files) {
      const id = file.campaign.id;
      const head = await store.head(id);
      const latest = await store.latest(id, head);
      if (latest?.revision === file.revision) {
        if (head?.fileRevision !== file.revision) await store.rememberFile(id, file.revision);
      } else if (latest && head?.fileRevision === file.revision) {
        logger.debug({ campaignId: id, file: file.file }, 'campaign file unchanged since last read; the stored campaign is newer');
      } else if (latest && latest.origin !== 'file') {
        logger.warn({ campaignId: id, file: file.file, revision: latest.revision, origin: latest.origin },
          'campaign file changed, but the campaign was changed through the API or `nuqta campaigns push` since: the file is not applied (pull or push it)');
      } else {
        await this.append(file, latest, { origin: 'file', author: file.file }, file.revision).catch((error: unknown) => {
          // Another process seeding the same file at the same time stored it first.
          if (!(error instanceof NuqtaError && error.code === 'NUQTA_CONFLICT')) throw error;
        });
      }
    }
    await this.bump();
  }

  /** Reads every campaign's newest revision into the registry. */
  async load(): Promise<void> {
    const { store, registry } = this.deps;
    // Without Redis the counter reads as unset; the first look after it returns reloads again.
    const version = await this.version().catch(() => null);
    const heads = await store.allHeads();
    const loaded: LoadedCampaign[] = [];
    for (const head of heads) {
      const known = registry.find(head.campaignId);
      const latest = await store.latest(head.campaignId, head);
      if (!latest) continue;
      loaded.push(known?.n === latest.n ? known : this.parseStored(latest));
    }
    registry.replace(loaded, heads.filter((head) => head.archivedAt !== undefined).map((head) => head.campaignId));
    this.seenVersion = version;
    this.loadedAt = Date.now();
  }

  /** Reloads when any process stored a change since the last look (one Redis read). */
  async refresh(): Promise<void> {
    const version = await this.version();
    // A reload already under way may have read the counter before this change: then one more.
    for (let attempt = 0; attempt < 2; attempt += 1) {
      if (version === this.seenVersion && Date.now() - this.loadedAt <= FULL_RELOAD_MS) return;
      this.reloading ??= this.load().finally(() => {
        this.reloading = undefined;
      });
      await this.reloading;
    }
  }

  /** Keeps the registry current until the returned function is called. */
  watch(intervalMs = CAMPAIGN_WATCH_MS): () => void {
    const timer = setInterval(() => {
      this.refresh().catch((error: unknown) => this.deps.logger.debug({ err: error }, 'campaign reload failed; the campaigns loaded before stay'));
    }, intervalMs);
    timer.unref();
    return () => clearInterval(timer);
  }

  async save(request: SaveRequest): Promise<SaveResult> {
    const parsed = parseCampaignFile('(campaign)', request.source);
    if (!parsed.campaign) throw new CampaignProblemsError(parsed.problems);
    const id = parsed.campaign.campaign.id;
    request.authorize?.(id);
    if (request.campaignId !== undefined && request.campaignId !== id) {
      throw new CampaignProblemsError([{ file: '(campaign)', line: 1, path: 'id', message: `must be "${request.campaignId}", the campaign addressed` }]);
    }
    const latest = await this.deps.store.latest(id);
    if (request.createOnly && latest) throw new NuqtaError('NUQTA_CAMPAIGN_EXISTS', `campaign "${id}" exists; change it with PUT /v1/campaigns/${id}`);
    if (request.ifRevision !== undefined && latest?.revision !== request.ifRevision) {
      throw new NuqtaError('NUQTA_REVISION_MISMATCH', `campaign "${id}" is at revision ${latest?.revision ?? '(none)'}, not ${request.ifRevision}; read it again and retry`);
    }
    if (latest?.revision === parsed.campaign.revision) return { loaded: this.deps.registry.find(id) ?? this.parseStored(latest), stored: false, created: false };
    const loaded = await this.append(parsed.campaign, latest, { origin: request.origin, author: request.author });
    await this.bump();
    return { loaded, stored: true, created: latest === undefined };
  }

  /** Pauses, resumes or ends the campaign now: a new revision written from the newest one. */
  async applyLifecycle(campaignId: string, action: LifecycleAction, by: { origin: RevisionOrigin; author: string }, now: Date): Promise<SaveResult> {
    const latest = await this.latest(campaignId);
    const source = withLifecycle(latest.source, this.parseStored(latest).campaign, action, now);
    return this.save({ source, ...by, campaignId, ifRevision: latest.revision });
  }

  /** The newest stored revision of a campaign. */
  async latest(campaignId: string): Promise<CampaignRevision> {
    const latest = await this.deps.store.latest(campaignId);
    if (!latest) throw new NuqtaError('NUQTA_CAMPAIGN_NOT_FOUND', `no campaign "${campaignId}"`);
    return latest;
  }

  async history(campaignId: string): Promise<CampaignRevision[]> {
    const revisions = await this.deps.store.history(campaignId);
    if (revisions.length === 0) throw new NuqtaError('NUQTA_CAMPAIGN_NOT_FOUND', `no campaign "${campaignId}"`);
    return revisions;
  }

  async revision(campaignId: string, n: number): Promise<CampaignRevision> {
    const revision = await this.deps.store.revision(campaignId, n);
    if (!revision) throw new NuqtaError('NUQTA_NOT_FOUND', `campaign "${campaignId}" has no revision ${n}`);
    return revision;
  }

  /** Archives an ended campaign (or brings it back): it stops being listed and takes no events. */
  async setArchived(campaignId: string, archived: boolean, now: Date): Promise<void> {
    const { campaign } = this.deps.registry.get(campaignId);
    if (archived && campaign.ends_at > now) {
      throw new NuqtaError('NUQTA_CONFLICT', `campaign "${campaignId}" runs until ${campaign.ends_at.toISOString()}; end it before archiving it`);
    }
    await this.deps.store.setArchived(campaignId, archived ? now : undefined);
    await this.bump();
    await this.load();
  }

  private async append(
    parsed: LoadedCampaign,
    latest: CampaignRevision | undefined,
    by: { origin: RevisionOrigin; author: string },
    fileRevision?: string,
  ): Promise<LoadedCampaign> {
    const campaignId = parsed.campaign.id;
    const n = (latest?.n ?? 0) + 1;
    await this.deps.store.append(
      { campaignId, n, revision: parsed.revision, source: parsed.source, origin: by.origin, author: by.author, createdAt: new Date() },
      fileRevision === undefined ? {} : { fileRevision },
    );
    const loaded = { ...parsed, file: `campaign ${campaignId} revision ${n}`, n };
    this.deps.registry.put(loaded);
    return loaded;
  }

  parseStored(revision: CampaignRevision): LoadedCampaign {
    const label = `campaign ${revision.campaignId} revision ${revision.n}`;
    const parsed = parseCampaignFile(label, revision.source);
    if (!parsed.campaign) throw new NuqtaError('NUQTA_BAD_CAMPAIGN', `stored ${label} no longer validates:\n${parsed.problems.map(formatProblem).join('\n')}`);
    return { ...parsed.campaign, n: revision.n };
  }

  private async version(): Promise<string | null> {
    return this.deps.redis.get(this.versionKey);
  }

  /** Tells every process to reload. A change stored while Redis is away is still found by their next full reload. */
  private async bump(): Promise<void> {
    await this.deps.redis.incr(this.versionKey).catch((error: unknown) => {
      this.deps.logger.warn({ err: error }, 'could not announce a campaign change; other processes pick it up within a minute');
    });
  }
}
