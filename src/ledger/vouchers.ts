/**
 * Vouchers a reward issues with each redemption: codes from a pool the brand
 * uploads, or made from the reward's pattern. Redis holds what must change
 * atomically (the pool, which redemption took which code, each code's status
 * and expiry, each member's wallet); MongoDB keeps a document per code for
 * the record. Issuing is one Lua script keyed by the redemption, so a retried
 * redemption gets the code it got the first time; using and cancelling are
 * compare-and-set steps, so a code is used or refunded once, never both.
 */
import { createHmac } from 'node:crypto';
import type { ChainableCommander, Redis } from 'ioredis';
import type { Collection, Db } from 'mongodb';
import type { CampaignReward } from '../config/campaign-schema.js';
import { NuqtaError } from '../errors.js';
import { DUPLICATE_KEY } from '../insert-once.js';

export type VoucherStatus = 'available' | 'issued' | 'used' | 'cancelling' | 'cancelled';

export interface Voucher {
  campaignId: string;
  rewardId: string;
  code: string;
  status: VoucherStatus;
  memberId?: string;
  /** The redemption (its ledger eventKey) that issued it. */
  redemptionKey?: string;
  issuedAt?: Date;
  expiresAt?: Date;
  usedAt?: Date;
  cancelledAt?: Date;
  uploadedAt?: Date;
}

type VoucherDoc = Voucher & { _id: string };

/** Unambiguous characters for `X` (no 0/O, 1/I/L). */
const LETTERS = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
const DIGITS = '0123456789';
export const VOUCHER_CODE = /^[A-Za-z0-9-]{4,64}$/;

// KEYS: pool, issued; ARGV: redemption key. The code the redemption holds, or one from the pool, or nothing.
const ISSUE_FROM_POOL = `
local held = redis.call('HGET', KEYS[2], ARGV[1])
if held then return held end
local code = redis.call('LPOP', KEYS[1])
if not code then return false end
redis.call('HSET', KEYS[2], ARGV[1], code)
return code`;

// KEYS: status, expiry; ARGV: code, from (comma list), to, now ms. Returns the status before ('expired' when past its date).
const TRANSITION = `
local status = redis.call('HGET', KEYS[1], ARGV[1])
if not status then return 'unknown' end
local expires = redis.call('HGET', KEYS[2], ARGV[1])
if ARGV[3] == 'used' and status == 'issued' and expires and tonumber(expires) < tonumber(ARGV[4]) then return 'expired' end
for from in string.gmatch(ARGV[2], '[^,]+') do
  if status == from then
    redis.call('HSET', KEYS[1], ARGV[1], ARGV[3])
    return status
  end
end
return status`;

/** The pattern's random places filled from `seed` (an HMAC), so the same redemption always makes the same code. */
export function codeFromPattern(pattern: string, seed: Buffer): string {
  let index = 0;
  return [...pattern].map((char) => {
    if (char !== 'X' && char !== '#') return char;
    const byte = seed[index % seed.length] ?? 0;
    index += 1;
    return char === 'X' ? LETTERS[byte % LETTERS.length] : DIGITS[byte % DIGITS.length];
  }).join('');
}

export class Vouchers {
  private readonly collection: Collection<VoucherDoc>;

  constructor(db: Db, private readonly redis: Redis, private readonly prefix: string, private readonly secret: Buffer) {
    this.collection = db.collection<VoucherDoc>('vouchers');
  }

  private poolKey(campaignId: string, rewardId: string): string {
    return `${this.prefix}:vouchers:${campaignId}:${rewardId}:pool`;
  }

  private issuedKey(campaignId: string, rewardId: string): string {
    return `${this.prefix}:vouchers:${campaignId}:${rewardId}:issued`;
  }

  private statusKey(campaignId: string): string {
    return `${this.prefix}:vouchers:${campaignId}:status`;
  }

  private expiryKey(campaignId: string): string {
    return `${this.prefix}:vouchers:${campaignId}:expiry`;
  }

  private walletKey(campaignId: string, memberId: string): string {
    return `${this.prefix}:wallet:${campaignId}:${memberId}`;
  }

  /** Adds codes to a reward's pool; a code the campaign already has is skipped. */
  async upload(campaignId: string, rewardId: string, codes: readonly string[], now: Date): Promise<{ added: number; repeated: number; available: number }> {
    const unique = [...new Set(codes)];
    let repeated = new Set<number>();
    try {
      if (unique.length > 0) await this.collection.insertMany(unique.map((code) => ({ _id: `${campaignId}:${code}`, campaignId, rewardId, code, status: 'available' as const, uploadedAt: now })), { ordered: false });
    } catch (error) {
      const writeErrors = [(error as { writeErrors?: { code: number; index: number } | { code: number; index: number }[] }).writeErrors ?? []].flat();
      if (writeErrors.length === 0 || writeErrors.some((writeError) => writeError.code !== DUPLICATE_KEY)) throw error;
      repeated = new Set(writeErrors.map((writeError) => writeError.index));
    }
    const added = unique.filter((_, index) => !repeated.has(index));
    if (added.length > 0) {
      await this.redis.pipeline()
        .rpush(this.poolKey(campaignId, rewardId), ...added)
        .hset(this.statusKey(campaignId), Object.fromEntries(added.map((code) => [code, 'available'])))
        .exec();
    }
    return { added: added.length, repeated: codes.length - added.length, available: await this.redis.llen(this.poolKey(campaignId, rewardId)) };
  }

  async available(campaignId: string, rewardId: string): Promise<number> {
    return this.redis.llen(this.poolKey(campaignId, rewardId));
  }

  /** The redemption's code: the one it got before, else a new one; null when the pool is empty. */
  async issue(campaignId: string, reward: CampaignReward, redemptionKey: string): Promise<string | null> {
    const voucher = reward.voucher;
    if (!voucher) throw new NuqtaError('NUQTA_INTERNAL', `reward "${reward.id}" issues no voucher`);
    if (voucher.pattern !== undefined) {
      return codeFromPattern(voucher.pattern, createHmac('sha256', this.secret).update(`${campaignId}\u0000${reward.id}\u0000${redemptionKey}`).digest());
    }
    const code = await this.redis.eval(ISSUE_FROM_POOL, 2, this.poolKey(campaignId, reward.id), this.issuedKey(campaignId, reward.id), redemptionKey);
    return typeof code === 'string' ? code : null;
  }

  /** In the redemption's commit pipeline: the code is the member's, issued. */
  queueIssued(pipeline: ChainableCommander, voucher: Voucher): void {
    pipeline.hset(this.statusKey(voucher.campaignId), voucher.code, 'issued');
    if (voucher.expiresAt) pipeline.hset(this.expiryKey(voucher.campaignId), voucher.code, voucher.expiresAt.getTime());
    if (voucher.memberId) pipeline.sadd(this.walletKey(voucher.campaignId, voucher.memberId), voucher.code);
  }

  /** After the ledger: the code's document says who has it. */
  async recordIssued(voucher: Voucher): Promise<void> {
    const { campaignId, code } = voucher;
    await this.collection.updateOne({ _id: `${campaignId}:${code}` }, { $set: { ...voucher } }, { upsert: true });
  }

  /** Moves a code from one of `from` to `to`; returns its status before (or `unknown`, `expired`). */
  async transition(campaignId: string, code: string, from: readonly VoucherStatus[], to: VoucherStatus, now: Date): Promise<VoucherStatus | 'unknown' | 'expired'> {
    return (await this.redis.eval(TRANSITION, 2, this.statusKey(campaignId), this.expiryKey(campaignId), code, from.join(','), to, now.getTime())) as VoucherStatus | 'unknown' | 'expired';
  }

  queueStatus(pipeline: ChainableCommander, campaignId: string, code: string, status: VoucherStatus): void {
    pipeline.hset(this.statusKey(campaignId), code, status);
  }

  async recordStatus(campaignId: string, code: string, status: VoucherStatus, at: Date): Promise<void> {
    const when = status === 'used' ? { usedAt: at } : status === 'cancelled' ? { cancelledAt: at } : {};
    await this.collection.updateOne({ _id: `${campaignId}:${code}` }, { $set: { status, ...when } });
  }

  /** Every voucher issued to the member, in any campaign (a scan: for an export). */
  async ofMember(memberId: string): Promise<Voucher[]> {
    return (await this.collection.find({ memberId }).toArray()).map((doc) => voucherOf(doc, null));
  }

  /**
   * An erased member's vouchers move to the anonymous member: the documents
   * (the redemption key names the member), the wallet, and a pool code's
   * hold under the redemption key. `rename` gives a voucher with every
   * mention of the member replaced. Returns the vouchers moved.
   */
  async moveMember(memberId: string, anonymousId: string, rename: (voucher: VoucherDoc) => VoucherDoc): Promise<number> {
    const docs = await this.collection.find({ memberId }).toArray();
    for (const doc of docs) {
      const moved = rename(doc);
      const pipeline = this.redis.pipeline()
        .srem(this.walletKey(doc.campaignId, memberId), doc.code)
        .sadd(this.walletKey(doc.campaignId, anonymousId), doc.code);
      if (doc.redemptionKey !== undefined && moved.redemptionKey !== undefined) {
        const issued = this.issuedKey(doc.campaignId, doc.rewardId);
        pipeline.hdel(issued, doc.redemptionKey);
        if (await this.redis.hexists(issued, doc.redemptionKey)) pipeline.hset(issued, moved.redemptionKey, doc.code);
      }
      await pipeline.exec();
      await this.collection.replaceOne({ _id: doc._id }, moved);
    }
    return docs.length;
  }

  async get(campaignId: string, code: string): Promise<Voucher | undefined> {
    const [doc, status] = await Promise.all([this.collection.findOne({ _id: `${campaignId}:${code}` }), this.redis.hget(this.statusKey(campaignId), code)]);
    return doc ? voucherOf(doc, status) : undefined;
  }

  /** The member's vouchers, newest first. */
  async wallet(campaignId: string, memberId: string): Promise<Voucher[]> {
    const codes = await this.redis.smembers(this.walletKey(campaignId, memberId));
    const found = await Promise.all(codes.map((code) => this.get(campaignId, code)));
    return found.filter((voucher): voucher is Voucher => voucher !== undefined).sort((a, b) => (b.issuedAt?.getTime() ?? 0) - (a.issuedAt?.getTime() ?? 0));
  }
}

function voucherOf(doc: VoucherDoc, status: string | null): Voucher {
  const { _id: _key, ...voucher } = doc;
  // Redis has the status a use or a cancellation set first; the document follows it.
  return { ...voucher, status: (status as VoucherStatus | null) ?? voucher.status };
}
