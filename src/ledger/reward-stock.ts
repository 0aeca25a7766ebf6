/**
 * Units of a reward taken, as a Redis set of the redemptions holding them
 * (their ledger eventKeys) plus a marker that says the set was built. Taking
 * a unit is one Lua script — atomic and idempotent per redemption — so
 * concurrent requests on any number of API processes never oversell.
 *
 * The set is a projection of the ledger's redeem entries: built from them when
 * missing (Redis lost its data, or a reward's first redemption) and rebuilt by
 * `nuqta verify --repair`, which also frees units a crash left reserved.
 */
import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { CampaignReward } from '../config/campaign-schema.js';
import { REFUND_RULE_PREFIX, REWARD_RULE_PREFIX } from '../domain/ledger.js';
import type { LedgerEntry } from './entry.js';
import type { LedgerStore } from './ledger-store.js';

/** Never an eventKey: redemption eventKeys start with `redeem:`. */
const BUILT = '#built';

const TAKE = `
if redis.call('EXISTS', KEYS[1]) == 0 then return -1 end
if redis.call('SISMEMBER', KEYS[1], ARGV[1]) == 1 then return 1 end
if redis.call('SCARD', KEYS[1]) - 1 < tonumber(ARGV[2]) then
  redis.call('SADD', KEYS[1], ARGV[1])
  return 1
end
return 0`;

/** The redemptions a reward's stock set should hold: its posted redeem entries. */
export function holdsStock(entry: Pick<LedgerEntry, 'kind' | 'status' | 'ruleId'>, rewardId: string): boolean {
  return entry.kind === 'redeem' && entry.status === 'posted' && entry.ruleId === `${REWARD_RULE_PREFIX}${rewardId}`;
}

export class RedisRewardStock {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly ledger: Pick<LedgerStore, 'entriesOfRule'>,
  ) {}

  /** Units left; null for a reward without a stock limit. */
  async left(campaignId: string, reward: CampaignReward): Promise<number | null> {
    if (reward.stock === undefined) return null;
    await this.build(campaignId, reward.id);
    return Math.max(0, reward.stock - ((await this.redis.scard(this.key(campaignId, reward.id))) - 1));
  }

  /** Ids of rewards known to be sold out, without building missing sets (for reads). */
  async soldOut(campaignId: string, rewards: readonly CampaignReward[]): Promise<Set<string>> {
    const limited = rewards.filter((reward) => reward.stock !== undefined);
    const sizes = await Promise.all(limited.map((reward) => this.redis.scard(this.key(campaignId, reward.id))));
    return new Set(limited.filter((reward, index) => {
      const size = sizes[index] ?? 0;
      return size > 0 && size - 1 >= (reward.stock ?? 0);
    }).map((reward) => reward.id));
  }

  /** Reserves one unit for `holder` (a redemption's eventKey); true when it holds one, also when it already did. */
  async take(campaignId: string, reward: CampaignReward, holder: string): Promise<boolean> {
    if (reward.stock === undefined) return true;
    const key = this.key(campaignId, reward.id);
    let taken = Number(await this.redis.eval(TAKE, 1, key, holder, reward.stock));
    if (taken === -1) {
      await this.build(campaignId, reward.id);
      taken = Number(await this.redis.eval(TAKE, 1, key, holder, reward.stock));
    }
    return taken === 1;
  }

  async release(campaignId: string, reward: CampaignReward, holder: string): Promise<void> {
    if (reward.stock !== undefined) await this.redis.srem(this.key(campaignId, reward.id), holder);
  }

  /** The holders recorded in Redis, or null when the set is not built. */
  async holders(campaignId: string, rewardId: string): Promise<string[] | null> {
    const members = await this.redis.smembers(this.key(campaignId, rewardId));
    return members.includes(BUILT) ? members.filter((member) => member !== BUILT) : null;
  }

  /** Replaces the set at once (verify --repair). */
  async replaceHolders(campaignId: string, rewardId: string, holders: readonly string[]): Promise<void> {
    const scratch = await this.scratch(campaignId, rewardId, holders);
    await this.redis.rename(scratch, this.key(campaignId, rewardId));
  }

  private async build(campaignId: string, rewardId: string): Promise<void> {
    if ((await this.redis.exists(this.key(campaignId, rewardId))) === 1) return;
    const holders: string[] = [];
    for await (const entry of this.ledger.entriesOfRule(campaignId, `${REWARD_RULE_PREFIX}${rewardId}`)) {
      if (holdsStock(entry, rewardId)) holders.push(entry.eventKey);
    }
    // A cancelled voucher's redemption gave its unit back.
    const refunded = new Set<string>();
    for await (const entry of this.ledger.entriesOfRule(campaignId, `${REFUND_RULE_PREFIX}${rewardId}`)) if (entry.refersTo) refunded.add(entry.refersTo.eventKey);
    const scratch = await this.scratch(campaignId, rewardId, holders.filter((holder) => !refunded.has(holder)));
    // Another process may have built it meanwhile: the first build stands.
    if ((await this.redis.renamenx(scratch, this.key(campaignId, rewardId))) === 0) await this.redis.del(scratch);
  }

  private async scratch(campaignId: string, rewardId: string, holders: readonly string[]): Promise<string> {
    const scratch = `${this.key(campaignId, rewardId)}:build:${randomBytes(6).toString('hex')}`;
    await this.redis.sadd(scratch, BUILT);
    for (let index = 0; index < holders.length; index += 1000) await this.redis.sadd(scratch, ...holders.slice(index, index + 1000));
    return scratch;
  }

  private key(campaignId: string, rewardId: string): string {
    return `${this.prefix}:stock:${campaignId}:${rewardId}`;
  }
}
