/**
 * The block list (`blocks`): members reviewers have shut out of a campaign,
 * or (an admin's block) out of every campaign. `_id` is `campaign|member`,
 * `*|member` for a block of every campaign. MongoDB keeps the record; a
 * Redis set mirrors it for the fraud scorer, which asks about every member
 * of a batch in one round trip. The set is rebuilt from MongoDB whenever its
 * marker is missing (a new or emptied Redis), and every change writes
 * MongoDB first.
 */
import type { Redis } from 'ioredis';
import type { Collection, Db } from 'mongodb';
import { isDuplicateKey } from '../insert-once.js';

/** Never a block key (those are `campaign|member`). */
const BUILT = '#built';
const EVERY_CAMPAIGN = '*';

export interface Block {
  memberId: string;
  /** The campaign the member is blocked in; absent: every campaign. */
  campaignId?: string;
  by: string;
  at: Date;
  note?: string;
}

/** Which block: a member in one campaign, or (campaignId undefined) in every campaign. */
export interface BlockRef {
  campaignId: string | undefined;
  memberId: string;
}

type BlockDocument = Omit<Block, 'memberId' | 'campaignId'> & { _id: string; memberId: string; campaignId: string };

export function blockKeyOf({ campaignId, memberId }: BlockRef): string {
  return `${campaignId ?? EVERY_CAMPAIGN}|${memberId}`;
}

export class MongoBlockList {
  private readonly blocks: Collection<BlockDocument>;
  private readonly key: string;

  constructor(db: Db, private readonly redis: Redis, prefix: string) {
    this.blocks = db.collection<BlockDocument>('blocks');
    this.key = `${prefix}:blocks`;
  }

  /** Of the (campaign, member) pairs, the ones blocked there or everywhere, as `campaign|member`. */
  async blockedAmong(pairs: readonly { campaignId: string; memberId: string }[]): Promise<Set<string>> {
    if (pairs.length === 0) return new Set();
    const asked = pairs.flatMap((pair) => [blockKeyOf(pair), blockKeyOf({ campaignId: undefined, memberId: pair.memberId })]);
    let found = await this.redis.smismember(this.key, BUILT, ...asked);
    if (found[0] !== 1) {
      await this.mirror();
      found = await this.redis.smismember(this.key, BUILT, ...asked);
    }
    return new Set(pairs.filter((_, index) => found[2 * index + 1] === 1 || found[2 * index + 2] === 1).map(blockKeyOf));
  }

  async get(ref: BlockRef): Promise<Block | null> {
    const found = await this.blocks.findOne({ _id: blockKeyOf(ref) });
    return found && blockOf(found);
  }

  /** Every block of the member (any campaign or all of them), for an export. */
  async ofMember(memberId: string, campaignIds: readonly string[]): Promise<Block[]> {
    const refs: BlockRef[] = [{ campaignId: undefined, memberId }, ...campaignIds.map((campaignId) => ({ campaignId, memberId }))];
    return (await Promise.all(refs.map((ref) => this.get(ref)))).filter((block): block is Block => block !== null);
  }

  /** Blocks the member; an existing block is kept as it was (`created` false). */
  async block(block: Block): Promise<{ block: Block; created: boolean }> {
    const { memberId, campaignId, ...rest } = block;
    const id = blockKeyOf({ campaignId, memberId });
    try {
      await this.blocks.insertOne({ _id: id, memberId, campaignId: campaignId ?? EVERY_CAMPAIGN, ...rest });
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
      const existing = await this.get({ campaignId, memberId });
      if (!existing) throw error;
      await this.redis.sadd(this.key, id);
      return { block: existing, created: false };
    }
    await this.redis.sadd(this.key, id);
    return { block, created: true };
  }

  /** True when the member was blocked there. */
  async unblock(ref: BlockRef): Promise<boolean> {
    const id = blockKeyOf(ref);
    const removed = (await this.blocks.deleteOne({ _id: id })).deletedCount > 0;
    await this.redis.srem(this.key, id);
    return removed;
  }

  /** Every block of the member (an erasure): returns how many there were. */
  async unblockEverywhere(memberId: string, campaignIds: readonly string[]): Promise<number> {
    const blocks = await this.ofMember(memberId, campaignIds);
    for (const block of blocks) await this.unblock({ campaignId: block.campaignId, memberId: block.memberId });
    return blocks.length;
  }

  /** Blocks of these campaigns (and, with `everywhere`, those of every campaign), oldest first. */
  async list(campaignIds: readonly string[] | 'all', everywhere: boolean): Promise<Block[]> {
    const campaigns = campaignIds === 'all' ? undefined : [...campaignIds, ...(everywhere ? [EVERY_CAMPAIGN] : [])];
    const filter = campaigns === undefined ? {} : { campaignId: { $in: campaigns } };
    return (await this.blocks.find(filter).sort({ at: 1 }).toArray()).map(blockOf);
  }

  /** Blocks kept before blocks had campaigns (`_id` the member id) become blocks of every campaign. */
  async adoptUnscoped(): Promise<void> {
    const old = await this.blocks.find({ campaignId: { $exists: false } }).toArray();
    for (const { _id: memberId, ...rest } of old) {
      await this.block({ ...rest, memberId });
      await this.blocks.deleteOne({ _id: memberId });
    }
    if (old.length > 0) await this.redis.del(this.key);
  }

  private async mirror(): Promise<void> {
    const ids = (await this.blocks.find({}, { projection: { _id: 1 } }).toArray()).map((block) => block._id);
    await this.redis.multi().del(this.key).sadd(this.key, BUILT, ...ids).exec();
  }
}

function blockOf({ _id, campaignId, ...block }: BlockDocument): Block {
  return { ...block, ...(campaignId === EVERY_CAMPAIGN ? {} : { campaignId }) };
}
