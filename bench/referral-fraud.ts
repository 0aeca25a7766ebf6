/**
 * How the fraud scorer judges referral orders: seeded order streams with
 * known labels run, in time order, through the real code counters (the Lua
 * script, on the local Redis under a throwaway prefix) and the real fraud
 * scorer with the café campaign's settings (config/campaigns/cafe.yaml); an
 * order is held when its score reaches `hold_at`. No platform profiles: only
 * the referral signals speak.
 *
 *   npx tsx bench/referral-fraud.ts [seed]    (default 401)
 *
 * Honest: members' friends over a month (some ship to the member's own
 * address: they live together), and influencer crowds (some buyers share a
 * flat). Fraud: farms (one person's fresh accounts through one member code,
 * to one or two addresses, within hours), a member's second account ordering
 * as the member's own shop customer, and a member code posted on a coupon
 * site (strangers by the dozen in a day).
 */
import { Redis } from 'ioredis';
import { loadCampaignDirectory } from '../src/config/campaign-loader.js';
import { memberIdOf, toEngagementEvent } from '../src/domain/event.js';
import { createRandom, type Random } from '../src/platforms/emulator/random.js';
import { ReferralCounters } from '../src/referrals/code-uses.js';
import { fraudListsFor, scoreFraud, type RecentActivity } from '../src/scoring/fraud/index.js';

const SEED = Number(process.argv[2] ?? 401);
const CAMPAIGN = 'qahwa-corner';
const DAY = 86_400_000;
const HOUR = 3_600_000;
const T0 = Date.UTC(2027, 2, 1);

type Style = 'friends' | 'influencer crowd' | 'farm' | 'self-referral' | 'coupon site';
const FRAUD: ReadonlySet<Style> = new Set<Style>(['farm', 'self-referral', 'coupon site']);

interface Order {
  style: Style;
  buyer: string;
  code: string;
  codes: 'member' | 'influencer';
  owner?: string;
  at: number;
  customerRef: string;
  shippingRef: string;
}

/** A member's own earlier order: it tells the counters the member's shop references. */
interface OwnOrder {
  buyer: string;
  at: number;
  customerRef: string;
  shippingRef: string;
}

function population(random: Random): { orders: Order[]; own: OwnOrder[] } {
  const orders: Order[] = [];
  const own: OwnOrder[] = [];
  let next = 0;
  const account = (): string => String(1_000_000 + (next += 1));
  const member = (): { id: string; code: string; customerRef: string; shippingRef: string } => {
    const id = account();
    const ref = { id, code: `M${id}`, customerRef: `c-${id}`, shippingRef: `a-${id}` };
    own.push({ buyer: id, at: T0 + random.int(0, 3) * HOUR, customerRef: ref.customerRef, shippingRef: ref.shippingRef });
    return ref;
  };
  for (let index = 0; index < 300; index += 1) {
    const owner = member();
    for (let friend = random.int(0, 3); friend > 0; friend -= 1) {
      const buyer = account();
      const household = random.chance(0.06);
      orders.push({ style: 'friends', buyer, code: owner.code, codes: 'member', owner: owner.id, at: T0 + DAY + random.int(0, 30 * 24) * HOUR, customerRef: `c-${buyer}`, shippingRef: household ? owner.shippingRef : `a-${buyer}` });
    }
  }
  for (let influencer = 0; influencer < 3; influencer += 1) {
    const code = `INFLUENCER${influencer}`;
    let flat = '';
    for (let index = 0; index < 250; index += 1) {
      const buyer = account();
      // Flatmates: every so often two buyers in a row ship to one address.
      const shared = flat !== '' && random.chance(0.04);
      const shippingRef = shared ? flat : `a-${buyer}`;
      flat = shared ? '' : shippingRef;
      orders.push({ style: 'influencer crowd', buyer, code, codes: 'influencer', at: T0 + DAY + random.int(0, 48 * 60) * 60_000, customerRef: `c-${buyer}`, shippingRef });
    }
  }
  for (let farm = 0; farm < 15; farm += 1) {
    const owner = member();
    const addresses = [`farm-${farm}-a`, `farm-${farm}-b`].slice(0, random.int(1, 2));
    const start = T0 + DAY + random.int(0, 25 * 24) * HOUR;
    for (let fake = random.int(6, 14); fake > 0; fake -= 1) {
      const buyer = account();
      orders.push({ style: 'farm', buyer, code: owner.code, codes: 'member', owner: owner.id, at: start + random.int(0, 6 * 60) * 60_000, customerRef: `c-${buyer}`, shippingRef: random.pick(addresses) });
    }
  }
  for (let cheat = 0; cheat < 40; cheat += 1) {
    const owner = member();
    const buyer = account();
    orders.push({ style: 'self-referral', buyer, code: owner.code, codes: 'member', owner: owner.id, at: T0 + DAY + random.int(0, 30 * 24) * HOUR, customerRef: owner.customerRef, shippingRef: random.chance(0.5) ? owner.shippingRef : `a-${buyer}` });
  }
  for (let posted = 0; posted < 6; posted += 1) {
    const owner = member();
    const start = T0 + DAY + random.int(0, 25 * 24) * HOUR;
    for (let stranger = random.int(20, 30); stranger > 0; stranger -= 1) {
      const buyer = account();
      orders.push({ style: 'coupon site', buyer, code: owner.code, codes: 'member', owner: owner.id, at: start + random.int(0, 20 * 60) * 60_000, customerRef: `c-${buyer}`, shippingRef: `a-${buyer}` });
    }
  }
  return { orders: orders.sort((a, b) => a.at - b.at), own };
}

const NO_HISTORY: RecentActivity = { member: [], media: [], texts: [], coActors: [], firstSeenAt: { get: () => undefined }, arrival: undefined };

const loaded = (await loadCampaignDirectory('config/campaigns')).find((candidate) => candidate.campaign.id === CAMPAIGN);
if (!loaded) throw new Error(`no campaign ${CAMPAIGN} in config/campaigns`);
const { campaign } = loaded;
const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
const prefix = `bench_referral_fraud_${SEED}_${Date.now()}`;
const counters = new ReferralCounters(redis, prefix);
const { orders, own } = population(createRandom(SEED));
const held = new Map<Style, { orders: number; held: number }>();
try {
  for (const order of own) await counters.count({ campaignId: campaign.id, orderKey: `own-${order.buyer}`, buyerId: memberIdOf('instagram', order.buyer), at: new Date(order.at), customerRef: order.customerRef, shippingRef: order.shippingRef });
  for (const [index, order] of orders.entries()) {
    const at = new Date(order.at);
    const buyerId = memberIdOf('instagram', order.buyer);
    const counted = await counters.count(
      { campaignId: campaign.id, orderKey: `order-${index}`, buyerId, at, customerRef: order.customerRef, shippingRef: order.shippingRef },
      { code: order.code, ownerId: order.owner === undefined ? undefined : memberIdOf('instagram', order.owner), maxUsesPerMember: 1, windowMs: 7 * DAY },
    );
    const event = toEngagementEvent({
      platform: 'instagram', kind: 'purchase', actor: { platformUserId: order.buyer }, target: { accountId: campaign.accounts.instagram[0] ?? '' },
      occurredAt: at, receivedAt: at, source: 'api', verified: false, platformEventId: `order-${index}`,
      order: { amount: 120, currency: 'SAR', code: order.code, customerRef: order.customerRef, shippingRef: order.shippingRef },
    });
    const use = counted.use;
    const verdict = scoreFraud({
      event, campaign, history: NO_HISTORY, lists: fraudListsFor(campaign), now: at,
      ...(use ? { referral: { code: order.code, codes: order.codes, ownerShares: use.ownerShares, recent: use.recent } } : {}),
    });
    const tally = held.get(order.style) ?? { orders: 0, held: 0 };
    tally.orders += 1;
    if (verdict.decision !== 'allow') tally.held += 1;
    held.set(order.style, tally);
  }
} finally {
  const keys = await redis.keys(`${prefix}:*`);
  if (keys.length > 0) await redis.del(...keys);
  redis.disconnect();
}

const sum = (fraud: boolean, which: 'orders' | 'held'): number => [...held].filter(([style]) => FRAUD.has(style) === fraud).reduce((total, [, tally]) => total + tally[which], 0);
console.log(`referral orders, seed ${SEED} (${orders.length} orders; held = score ≥ ${campaign.fraud.hold_at})`);
console.log('style               label   orders   held   share held');
for (const [style, tally] of held) {
  console.log(`${style.padEnd(20)}${(FRAUD.has(style) ? 'fraud' : 'honest').padEnd(8)}${String(tally.orders).padStart(6)}${String(tally.held).padStart(7)}${(tally.held / tally.orders * 100).toFixed(1).padStart(11)}%`);
}
const fraudHeld = sum(true, 'held');
const honestHeld = sum(false, 'held');
console.log(`precision ${(fraudHeld / (fraudHeld + honestHeld)).toFixed(3)}, recall ${(fraudHeld / sum(true, 'orders')).toFixed(3)}, false positives ${(honestHeld / sum(false, 'orders') * 100).toFixed(2)}% of honest orders`);
