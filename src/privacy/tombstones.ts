/**
 * What is left of an erased member: a keyed hash of their member id (never
 * the id), with the anonymous stand-in their ledger moved to. Platforms keep
 * re-delivering (Meta retries for about 36 hours) and followers keep
 * commenting; an event of a buried member is dropped, or, where the campaign
 * says `privacy.after_erasure: anonymous`, counted for the stand-in with the
 * handle, text and profile taken out. MongoDB keeps the record; a Redis set
 * mirrors it for the scorer (one round trip per batch), rebuilt whenever its
 * marker is missing.
 */
import { createHmac } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Collection, Db } from 'mongodb';
import { insertOnce } from '../insert-once.js';

/** Never a hash (those are hex). */
const BUILT = '#built';

interface TombstoneDocument {
  _id: string;
  /** The stand-in's platform user id (`erased-<erasure id>`). */
  standIn: string;
  at: Date;
}

export class Tombstones {
  private readonly tombstones: Collection<TombstoneDocument>;
  private readonly key: string;
  private readonly hashKey: Buffer;

  constructor(db: Db, private readonly redis: Redis, prefix: string, secret: Buffer) {
    this.tombstones = db.collection<TombstoneDocument>('tombstones');
    this.key = `${prefix}:tombstones`;
    this.hashKey = createHmac('sha256', secret).update('tombstone').digest();
  }

  private hashOf(memberId: string): string {
    return createHmac('sha256', this.hashKey).update(memberId).digest('hex');
  }

  /** Buries the member before their erasure runs, so nothing that arrives meanwhile brings them back. */
  async bury(memberId: string, standIn: string, at: Date): Promise<void> {
    const id = this.hashOf(memberId);
    await insertOnce(this.tombstones, { _id: id, standIn, at });
    await this.redis.hset(this.key, id, standIn);
  }

  /** Of these members, the buried ones and their stand-ins' platform user ids. */
  async buriedAmong(memberIds: readonly string[]): Promise<Map<string, string>> {
    if (memberIds.length === 0) return new Map();
    const hashes = memberIds.map((memberId) => this.hashOf(memberId));
    let found = await this.redis.hmget(this.key, BUILT, ...hashes);
    if (found[0] === null) {
      await this.mirror();
      found = await this.redis.hmget(this.key, BUILT, ...hashes);
    }
    const buried = new Map<string, string>();
    memberIds.forEach((memberId, index) => {
      const standIn = found[index + 1];
      if (standIn) buried.set(memberId, standIn);
    });
    return buried;
  }

  private async mirror(): Promise<void> {
    const all = await this.tombstones.find().toArray();
    const pipeline = this.redis.multi().del(this.key).hset(this.key, BUILT, '1');
    for (const tombstone of all) pipeline.hset(this.key, tombstone._id, tombstone.standIn);
    await pipeline.exec();
  }
}
