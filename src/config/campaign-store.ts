/**
 * Campaign revisions in MongoDB: an append-only log per campaign (`<id>#<n>`,
 * inserted once, so two writers of the same number cannot both win) and a
 * head per campaign that names it and points near its newest revision. The
 * log is the truth: a head left behind by a writer that stopped half-way is
 * rolled forward by probing the next numbers, all by exact `_id`.
 */
import type { Collection, Db } from 'mongodb';
import { NuqtaError } from '../errors.js';
import { isDuplicateKey } from '../insert-once.js';

/** Who made a revision: a campaign file read at start-up, the HTTP API, or `nuqta campaigns push`. */
export type RevisionOrigin = 'file' | 'api' | 'cli';

export interface CampaignRevision {
  campaignId: string;
  /** 1, 2, 3… in the order they were stored. */
  n: number;
  /** The content's revision id (`v<version>-<hash>`), as recorded on ledger entries. */
  revision: string;
  /** The campaign as YAML, exactly as validated. */
  source: string;
  origin: RevisionOrigin;
  /** A key's fingerprint, a file path or the operator's user name. */
  author: string;
  createdAt: Date;
}

export interface CampaignHead {
  campaignId: string;
  /** The newest revision known when the head was last written (the log may be ahead). */
  n: number;
  /** The revision of the campaign file last read for it, so an unchanged file is not stored again. */
  fileRevision?: string;
  archivedAt?: Date;
}

interface RevisionDoc extends Omit<CampaignRevision, 'campaignId'> {
  _id: string;
  campaignId: string;
}

interface HeadDoc {
  _id: string;
  n: number;
  fileRevision?: string;
  archivedAt?: Date;
  updatedAt: Date;
}


function revisionKey(campaignId: string, n: number): string {
  return `${campaignId}#${n}`;
}

function revisionOf(doc: RevisionDoc): CampaignRevision {
  const { _id: _key, ...revision } = doc;
  return revision;
}

export class MongoCampaignStore {
  private readonly revisions: Collection<RevisionDoc>;
  private readonly heads: Collection<HeadDoc>;

  constructor(db: Db) {
    this.revisions = db.collection<RevisionDoc>('campaign_revisions');
    this.heads = db.collection<HeadDoc>('campaign_heads');
  }

  /** Every campaign's head (a handful of documents). */
  async allHeads(): Promise<CampaignHead[]> {
    const docs = await this.heads.find({}).toArray();
    return docs.map(headOf);
  }

  async head(campaignId: string): Promise<CampaignHead | undefined> {
    const doc = await this.heads.findOne({ _id: campaignId });
    return doc ? headOf(doc) : undefined;
  }

  /** The newest revision of a campaign, rolling its head forward when the log is ahead of it. */
  async latest(campaignId: string, head?: CampaignHead): Promise<CampaignRevision | undefined> {
    const known = head ?? (await this.head(campaignId));
    let n = known?.n ?? 0;
    let newest = n > 0 ? await this.revision(campaignId, n) : undefined;
    for (;;) {
      const next = await this.revision(campaignId, n + 1);
      if (!next) break;
      newest = next;
      n += 1;
    }
    if (newest && known && newest.n > known.n) await this.pointHead(campaignId, newest.n);
    return newest;
  }

  async revision(campaignId: string, n: number): Promise<CampaignRevision | undefined> {
    const doc = await this.revisions.findOne({ _id: revisionKey(campaignId, n) });
    return doc ? revisionOf(doc) : undefined;
  }

  /** Every revision, oldest first (each read by its key: a campaign has tens, not thousands). */
  async history(campaignId: string): Promise<CampaignRevision[]> {
    const newest = await this.latest(campaignId);
    if (!newest) return [];
    const found = await Promise.all(Array.from({ length: newest.n }, (_, index) => this.revision(campaignId, index + 1)));
    return found.filter((revision): revision is CampaignRevision => revision !== undefined);
  }

  /**
   * Stores revision `n` (the newest plus one, as the caller read it). The head
   * is written first so the campaign is listed even if this process stops
   * before the revision lands; a revision of that number stored meanwhile by
   * another writer refuses this one.
   */
  async append(revision: CampaignRevision, options: { fileRevision?: string } = {}): Promise<void> {
    const { campaignId, n } = revision;
    await this.declare(campaignId);
    try {
      await this.revisions.insertOne({ _id: revisionKey(campaignId, n), ...revision });
    } catch (error) {
      if (isDuplicateKey(error)) {
        throw new NuqtaError('NUQTA_CONFLICT', `campaign "${campaignId}" changed at the same time (revision ${n} was stored by another writer); read it again and retry`);
      }
      throw error;
    }
    await this.pointHead(campaignId, n, options.fileRevision);
  }

  /** Remembers the campaign file's revision without storing a new campaign revision. */
  async rememberFile(campaignId: string, fileRevision: string): Promise<void> {
    await this.heads.updateOne({ _id: campaignId }, { $set: { fileRevision, updatedAt: new Date() } });
  }

  async setArchived(campaignId: string, archivedAt: Date | undefined): Promise<void> {
    await this.heads.updateOne(
      { _id: campaignId },
      archivedAt ? { $set: { archivedAt, updatedAt: new Date() } } : { $unset: { archivedAt: '' }, $set: { updatedAt: new Date() } },
    );
  }

  private async declare(campaignId: string): Promise<void> {
    try {
      await this.heads.updateOne({ _id: campaignId }, { $setOnInsert: { n: 0, updatedAt: new Date() } }, { upsert: true });
    } catch (error) {
      // Two writers declaring the same new campaign: the other one's head will do.
      if (!isDuplicateKey(error)) throw error;
    }
  }

  private async pointHead(campaignId: string, n: number, fileRevision?: string): Promise<void> {
    await this.heads.updateOne(
      { _id: campaignId },
      { $max: { n }, $set: { updatedAt: new Date(), ...(fileRevision === undefined ? {} : { fileRevision }) } },
    );
  }
}

function headOf(doc: HeadDoc): CampaignHead {
  return {
    campaignId: doc._id,
    n: doc.n,
    ...(doc.fileRevision === undefined ? {} : { fileRevision: doc.fileRevision }),
    ...(doc.archivedAt === undefined ? {} : { archivedAt: doc.archivedAt }),
  };
}
