/**
 * The shared block list (`blocks`, `_id` = memberId): members reviewers have
 * shut out of every campaign. MongoDB keeps the record; a Redis set mirrors
 * it for the fraud scorer, which asks about every member of a batch in one
 * round trip. The set is rebuilt from MongoDB whenever its marker is missing
 * (a new or emptied Redis), and every change writes MongoDB first.
 */
import type { Redis } from 'ioredis';
import { MongoServerError, type Collection, type Db } from 'mongodb';

const DUPLICATE_KEY = 11000;
/** Never a member id (those are `platform:id`). */
const BUILT = '#built';

export interface Block {
  memberId: string;
  by: string;
  at: Date;
  note?: string;
}

type BlockDocument = Omit<Block, 'memberId'> & { _id: string };

export class MongoBlockList {
  private readonly blocks: Collection<BlockDocument>;
  private readonly key: string;

  constructor(db: Db, private readonly redis: Redis, prefix: string) {
    this.blocks = db.collection<BlockDocument>('blocks');
    this.key = `${prefix}:blocks`;
  }

  /** The members among `memberIds` on the block list. */
  async blockedAmong(memberIds: readonly string[]): Promise<Set<string>> {
    if (memberIds.length === 0) return new Set();
    let found = await this.redis.smismember(this.key, BUILT, ...memberIds);
    if (found[0] !== 1) {
      await this.mirror();
      found = await this.redis.smismember(this.key, BUILT, ...memberIds);
    }
    return new Set(memberIds.filter((_, index) => found[index + 1] === 1));
  }

  async get(memberId: string): Promise<Block | null> {
    const found = await this.blocks.findOne({ _id: memberId });
    return found && blockOf(found);
  }

  /** Blocks the member; an existing block is kept as it was (`created` false). */
  async block(block: Block): Promise<{ block: Block; created: boolean }> {
    const { memberId, ...rest } = block;
    try {
      await this.blocks.insertOne({ _id: memberId, ...rest });
    } catch (error) {
      if (!(error instanceof MongoServerError && error.code === DUPLICATE_KEY)) throw error;
      const existing = await this.get(memberId);
      if (!existing) throw error;
      await this.redis.sadd(this.key, memberId);
      return { block: existing, created: false };
    }
    await this.redis.sadd(this.key, memberId);
    return { block, created: true };
  }

  /** True when the member was blocked. */
  async unblock(memberId: string): Promise<boolean> {
    const removed = (await this.blocks.deleteOne({ _id: memberId })).deletedCount > 0;
    await this.redis.srem(this.key, memberId);
    return removed;
  }

  async all(): Promise<Block[]> {
    return (await this.blocks.find().sort({ at: 1 }).toArray()).map(blockOf);
  }

  private async mirror(): Promise<void> {
    const members = (await this.blocks.find({}, { projection: { _id: 1 } }).toArray()).map((block) => block._id);
    await this.redis.multi().del(this.key).sadd(this.key, BUILT, ...members).exec();
  }
}

function blockOf({ _id, ...block }: BlockDocument): Block {
  return { memberId: _id, ...block };
}
