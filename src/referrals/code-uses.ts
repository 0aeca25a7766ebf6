/**
 * What one order does to the campaign's referral counters, in one Lua
 * script so that buyers in different partitions never overdraw a code: it
 * marks the buyer's first order, remembers the shop references the buyer
 * ordered with, and, when the order names a code, takes one use of it
 * within the code's limits. Everything is keyed by the order, so an order
 * delivered again gets the answer it got the first time.
 *
 * It also hands back what the fraud scorer weighs: whether the order's
 * references are the code owner's own, and the code's other recent buyers
 * with the references they ordered with.
 */
import type { Redis } from 'ioredis';

export type UseOutcome = 'used' | 'exhausted' | 'member_limit';

export interface OrderFacts {
  campaignId: string;
  orderKey: string;
  buyerId: string;
  at: Date;
  customerRef?: string | undefined;
  shippingRef?: string | undefined;
}

export interface CodeClaim {
  code: string;
  ownerId?: string | undefined;
  maxUses?: number | undefined;
  maxUsesPerMember: number;
  /** How far back the code's other buyers are read (ms). */
  windowMs: number;
}

export interface RecentUse {
  buyerId: string;
  at: number;
  customerRef?: string;
  shippingRef?: string;
}

export interface OrderCount {
  /** The buyer's first order seen in the campaign. */
  firstOrder: boolean;
  use?: {
    outcome: UseOutcome;
    /** Uses of the code after this order. */
    uses: number;
    /** Which of the owner's own references the order carries. */
    ownerShares: 'customer' | 'shipping' | undefined;
    /** The code's other uses in the window before this order, newest first (at most 200). */
    recent: RecentUse[];
  };
}

const RECENT_LIMIT = 200;

// KEYS: first orders, buyer refs, code hash, code recent zset, owner refs.
// ARGV: order key, buyer, at ms, customer ref, shipping ref, claim (0/1), max uses (0 = none), max per member, window ms.
const COUNT_ORDER = `
redis.call('HSETNX', KEYS[1], ARGV[2], ARGV[1])
local first = redis.call('HGET', KEYS[1], ARGV[2]) == ARGV[1] and 1 or 0
if ARGV[4] ~= '' then redis.call('SADD', KEYS[2], 'c:' .. ARGV[4]) end
if ARGV[5] ~= '' then redis.call('SADD', KEYS[2], 's:' .. ARGV[5]) end
if ARGV[6] == '0' then return {first} end
local outcome = redis.call('HGET', KEYS[3], 'o:' .. ARGV[1])
if not outcome then
  local uses = tonumber(redis.call('HGET', KEYS[3], 'n') or '0')
  local mine = tonumber(redis.call('HGET', KEYS[3], 'b:' .. ARGV[2]) or '0')
  if ARGV[7] ~= '0' and uses >= tonumber(ARGV[7]) then outcome = 'exhausted'
  elseif mine >= tonumber(ARGV[8]) then outcome = 'member_limit'
  else
    outcome = 'used'
    redis.call('HINCRBY', KEYS[3], 'n', 1)
    redis.call('HINCRBY', KEYS[3], 'b:' .. ARGV[2], 1)
    redis.call('HSET', KEYS[3], 'm:' .. ARGV[1], ARGV[2] .. '\\t' .. ARGV[3] .. '\\t' .. ARGV[4] .. '\\t' .. ARGV[5])
    redis.call('ZADD', KEYS[4], ARGV[3], ARGV[1])
  end
  redis.call('HSET', KEYS[3], 'o:' .. ARGV[1], outcome)
end
local shares = ''
if ARGV[4] ~= '' and redis.call('SISMEMBER', KEYS[5], 'c:' .. ARGV[4]) == 1 then shares = 'customer'
elseif ARGV[5] ~= '' and redis.call('SISMEMBER', KEYS[5], 's:' .. ARGV[5]) == 1 then shares = 'shipping' end
local recent = redis.call('ZREVRANGEBYSCORE', KEYS[4], '(' .. ARGV[3], tonumber(ARGV[3]) - tonumber(ARGV[9]), 'LIMIT', 0, ${RECENT_LIMIT})
local metas = {}
for i, key in ipairs(recent) do metas[i] = redis.call('HGET', KEYS[3], 'm:' .. key) or '' end
return {first, outcome, tonumber(redis.call('HGET', KEYS[3], 'n') or '0'), shares, metas}`;

export class ReferralCounters {
  constructor(private readonly redis: Redis, private readonly prefix: string) {}

  private key(campaignId: string, ...parts: string[]): string {
    return [this.prefix, 'referrals', campaignId, ...parts].join(':');
  }

  /** Counts the order (the buyer's first or not) and takes a use of `claim`'s code when given. */
  async count(order: OrderFacts, claim?: CodeClaim): Promise<OrderCount> {
    const { campaignId } = order;
    const keys = [
      this.key(campaignId, 'first-orders'),
      this.key(campaignId, 'refs', order.buyerId),
      this.key(campaignId, 'code', claim?.code ?? ''),
      this.key(campaignId, 'code', claim?.code ?? '', 'recent'),
      this.key(campaignId, 'refs', claim?.ownerId ?? ''),
    ];
    const reply = (await this.redis.eval(COUNT_ORDER, keys.length, ...keys,
      order.orderKey, order.buyerId, order.at.getTime(), order.customerRef ?? '', order.shippingRef ?? '',
      claim ? '1' : '0', claim?.maxUses ?? 0, claim?.maxUsesPerMember ?? 0, claim?.windowMs ?? 0,
    )) as [number, UseOutcome?, number?, string?, string[]?];
    const [first, outcome, uses, shares, metas] = reply;
    if (outcome === undefined) return { firstOrder: first === 1 };
    return {
      firstOrder: first === 1,
      use: {
        outcome,
        uses: uses ?? 0,
        ownerShares: claim?.ownerId !== undefined && (shares === 'customer' || shares === 'shipping') ? shares : undefined,
        recent: (metas ?? []).flatMap(recentUseOf),
      },
    };
  }

  /**
   * An erased buyer's traces: the shop references they ordered with go,
   * their first order and their uses of codes move to the anonymous member
   * (so a code's limits still count them), without the references.
   */
  async forgetBuyer(campaignId: string, memberId: string, anonymousId: string, uses: readonly { code: string; orderKey: string; at: Date }[]): Promise<void> {
    const firstOrders = this.key(campaignId, 'first-orders');
    const first = await this.redis.hget(firstOrders, memberId);
    const pipeline = this.redis.pipeline().del(this.key(campaignId, 'refs', memberId));
    if (first !== null) pipeline.hsetnx(firstOrders, anonymousId, first).hdel(firstOrders, memberId);
    for (const use of uses) pipeline.hset(this.key(campaignId, 'code', use.code), `m:${use.orderKey}`, `${anonymousId}\t${use.at.getTime()}\t\t`);
    // Set, not added to: an erasure run again after a crash counts the same.
    for (const code of new Set(uses.map((use) => use.code))) {
      const key = this.key(campaignId, 'code', code);
      pipeline.hdel(key, `b:${memberId}`).hset(key, `b:${anonymousId}`, uses.filter((use) => use.code === code).length);
    }
    await pipeline.exec();
  }

  /** A code taken out of use: its counters go with it. */
  async forgetCode(campaignId: string, code: string): Promise<void> {
    await this.redis.del(this.key(campaignId, 'code', code), this.key(campaignId, 'code', code, 'recent'));
  }

  /** Orders each code redeemed so far (for listings; the attribution report reads the orders themselves). */
  async usesOf(campaignId: string, codes: readonly string[]): Promise<Map<string, number>> {
    if (codes.length === 0) return new Map();
    const pipeline = this.redis.pipeline();
    for (const code of codes) pipeline.hget(this.key(campaignId, 'code', code), 'n');
    const replies = (await pipeline.exec()) ?? [];
    return new Map(codes.map((code, index) => [code, Number(replies[index]?.[1] ?? 0)]));
  }
}

function recentUseOf(meta: string): RecentUse[] {
  const [buyerId, at, customerRef, shippingRef] = meta.split('\t');
  if (!buyerId || !at) return [];
  return [{ buyerId, at: Number(at), ...(customerRef ? { customerRef } : {}), ...(shippingRef ? { shippingRef } : {}) }];
}
