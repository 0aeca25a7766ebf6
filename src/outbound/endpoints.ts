/**
 * The endpoints brands register for a campaign's events, in MongoDB, with
 * their signing secrets sealed at rest (AES-256-GCM under a key derived from
 * the server secret, the endpoint id as associated data). Every process keeps
 * them in memory and reloads when any process changes one (a Redis counter),
 * so the ledger writer knows at once whether a campaign has listeners.
 */
import { hkdfSync, randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Collection, Db } from 'mongodb';
import { NuqtaError } from '../errors.js';
import { TokenCipher, type EncryptedToken } from '../platforms/accounts/token-cipher.js';
import type { OutboundEventType } from '../domain/outbound-events.js';

/** How long a rotated-out secret still signs deliveries, so receivers can switch without losing any. */
export const DEFAULT_ROTATION_GRACE_HOURS = 24;
/** Days before points expire that `points.expiring` is sent, unless the endpoint says otherwise. */
export const DEFAULT_EXPIRING_DAYS = 7;

export interface WebhookEndpoint {
  id: string;
  campaignId: string;
  url: string;
  events: OutboundEventType[];
  description?: string;
  expiringDays: number;
  createdAt: Date;
}

interface SealedSecret {
  id: string;
  sealed: EncryptedToken;
  createdAt: Date;
  /** Set when a newer secret replaced it: it signs until then. */
  expiresAt?: Date;
}

interface EndpointDoc extends Omit<WebhookEndpoint, 'id'> {
  _id: string;
  secrets: SealedSecret[];
}

export class WebhookEndpoints {
  private readonly collection: Collection<EndpointDoc>;
  private readonly cipher: TokenCipher;
  private byId = new Map<string, EndpointDoc>();
  private seenVersion: string | null | undefined;

  constructor(db: Db, private readonly redis: Redis, private readonly prefix: string, serverSecret: Buffer) {
    this.collection = db.collection<EndpointDoc>('webhook_endpoints');
    const key = Buffer.from(hkdfSync('sha256', serverSecret, Buffer.alloc(0), 'nuqta webhook signing secrets', 32));
    this.cipher = TokenCipher.fromKey(key.toString('hex'));
  }

  private get versionKey(): string {
    return `${this.prefix}:webhooks:version`;
  }

  /** Whether any endpoint listens to the campaign (the writer asks before it writes to the outbox). */
  listens(campaignId: string): boolean {
    for (const doc of this.byId.values()) if (doc.campaignId === campaignId) return true;
    return false;
  }

  /** The endpoints that want this event type of this campaign. */
  subscribed(campaignId: string, type: OutboundEventType): WebhookEndpoint[] {
    return [...this.byId.values()].filter((doc) => doc.campaignId === campaignId && doc.events.includes(type)).map(endpointOf);
  }

  /** The most days ahead any endpoint of the campaign wants to hear of expiring points; undefined when none listens. */
  expiringNoticeDays(campaignId: string): number | undefined {
    const days = this.subscribed(campaignId, 'points.expiring').map((endpoint) => endpoint.expiringDays);
    return days.length === 0 ? undefined : Math.max(...days);
  }

  find(endpointId: string): WebhookEndpoint | undefined {
    const doc = this.byId.get(endpointId);
    return doc ? endpointOf(doc) : undefined;
  }

  forCampaign(campaignId: string): WebhookEndpoint[] {
    return [...this.byId.values()].filter((doc) => doc.campaignId === campaignId).map(endpointOf);
  }

  /** The secrets that sign a delivery now: the newest and any still in its grace period. */
  signingSecrets(endpointId: string, now: Date): string[] {
    const doc = this.byId.get(endpointId);
    if (!doc) return [];
    return doc.secrets
      .filter((secret) => secret.expiresAt === undefined || secret.expiresAt > now)
      .map((secret) => this.cipher.decrypt(secret.sealed, `${endpointId}|${secret.id}`));
  }

  /** Reloads when any process changed an endpoint since the last look. */
  async refresh(): Promise<void> {
    const version = await this.redis.get(this.versionKey);
    if (version === this.seenVersion) return;
    const docs = await this.collection.find({}).toArray();
    this.byId = new Map(docs.map((doc) => [doc._id, doc]));
    this.seenVersion = version;
  }

  /** Registers an endpoint; the secret is returned once and never again. */
  async add(input: { campaignId: string; url: string; events: OutboundEventType[]; description?: string; expiringDays?: number }, now: Date): Promise<{ endpoint: WebhookEndpoint; secret: string }> {
    const id = `we_${randomBytes(12).toString('hex')}`;
    const secret = newSecret();
    const doc: EndpointDoc = {
      _id: id,
      campaignId: input.campaignId,
      url: checkedUrl(input.url),
      events: [...new Set(input.events)],
      ...(input.description === undefined ? {} : { description: input.description }),
      expiringDays: input.expiringDays ?? DEFAULT_EXPIRING_DAYS,
      createdAt: now,
      secrets: [this.seal(id, secret, now)],
    };
    await this.collection.insertOne(doc);
    await this.changed();
    return { endpoint: endpointOf(doc), secret };
  }

  async remove(endpointId: string): Promise<void> {
    await this.collection.deleteOne({ _id: endpointId });
    await this.changed();
  }

  /** A new secret signs from now on; the previous ones keep signing for `graceHours`. */
  async rotate(endpointId: string, now: Date, graceHours = DEFAULT_ROTATION_GRACE_HOURS): Promise<{ secret: string; previousExpireAt: Date }> {
    const doc = await this.collection.findOne({ _id: endpointId });
    if (!doc) throw new NuqtaError('NUQTA_NOT_FOUND', `no webhook endpoint "${endpointId}"`);
    const previousExpireAt = new Date(now.getTime() + graceHours * 3_600_000);
    const secret = newSecret();
    const secrets = [
      ...doc.secrets
        .filter((old) => old.expiresAt === undefined || old.expiresAt > now)
        .map((old) => ({ ...old, expiresAt: old.expiresAt !== undefined && old.expiresAt < previousExpireAt ? old.expiresAt : previousExpireAt })),
      this.seal(endpointId, secret, now),
    ];
    await this.collection.updateOne({ _id: endpointId }, { $set: { secrets } });
    await this.changed();
    return { secret, previousExpireAt };
  }

  private seal(endpointId: string, secret: string, now: Date): SealedSecret {
    const id = randomBytes(6).toString('hex');
    return { id, sealed: this.cipher.encrypt(secret, `${endpointId}|${id}`), createdAt: now };
  }

  private async changed(): Promise<void> {
    await this.redis.incr(this.versionKey);
    await this.refresh();
  }
}

function newSecret(): string {
  return `whsec_${randomBytes(24).toString('base64url')}`;
}

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

/** HTTPS only, but for a receiver on this machine (tests, a local relay). */
function checkedUrl(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new NuqtaError('NUQTA_BAD_REQUEST', `url: "${text}" is not a URL`);
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && LOOPBACK.has(url.hostname))) {
    throw new NuqtaError('NUQTA_BAD_REQUEST', 'url: must be https:// (http:// only for localhost)');
  }
  if (url.username || url.password) throw new NuqtaError('NUQTA_BAD_REQUEST', 'url: must not carry a user name or password');
  return url.toString();
}

function endpointOf(doc: EndpointDoc): WebhookEndpoint {
  const { _id: id, campaignId, url, events, description, expiringDays, createdAt } = doc;
  return { id, campaignId, url, events, ...(description === undefined ? {} : { description }), expiringDays, createdAt };
}
