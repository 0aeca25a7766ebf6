/**
 * The shared block list (`blocks`, `_id` = memberId): members reviewers have
 * shut out of every campaign. The fraud scorer asks about one member per
 * event, an `_id` look-up; listing the whole list is a scan of a small collection.
 */
import { MongoServerError, type Collection, type Db } from 'mongodb';
import type { BlockList } from '../scoring/event-scorer.js';

const DUPLICATE_KEY = 11000;

export interface Block {
  memberId: string;
  by: string;
  at: Date;
  note?: string;
}

type BlockDocument = Omit<Block, 'memberId'> & { _id: string };

export class MongoBlockList implements BlockList {
  private readonly blocks: Collection<BlockDocument>;

  constructor(db: Db) {
    this.blocks = db.collection<BlockDocument>('blocks');
  }

  async isBlocked(memberId: string): Promise<boolean> {
    return (await this.blocks.findOne({ _id: memberId }, { projection: { _id: 1 } })) !== null;
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
      return { block, created: true };
    } catch (error) {
      if (!(error instanceof MongoServerError && error.code === DUPLICATE_KEY)) throw error;
      const existing = await this.get(memberId);
      if (!existing) throw error;
      return { block: existing, created: false };
    }
  }

  /** True when the member was blocked. */
  async unblock(memberId: string): Promise<boolean> {
    return (await this.blocks.deleteOne({ _id: memberId })).deletedCount > 0;
  }

  async all(): Promise<Block[]> {
    return (await this.blocks.find().sort({ at: 1 }).toArray()).map(blockOf);
  }
}

function blockOf({ _id, ...block }: BlockDocument): Block {
  return { memberId: _id, ...block };
}
