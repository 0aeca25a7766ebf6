/**
 * The demo's shop: friends of the board's first members order with their
 * referral codes (the campaign's member program), one order is sent twice,
 * one friend orders again and one order is refunded, all through
 * `POST /v1/events` as a brand's shop would.
 */
import type { LedgerStore } from './ledger/ledger-store.js';
import type { RedisLeaderboardIndex } from './leaderboard/leaderboard-index.js';
import type { ReferralCodes } from './referrals/codes.js';
import type { ReferralOrders } from './referrals/orders.js';
import type { MongoDecisionStore } from './scoring/decision-store.js';
import type { Campaign } from './config/campaign-schema.js';
import { referralReport } from './scoring/order-points.js';
import { createRandom } from './platforms/emulator/random.js';

const REFERRERS = 3;
const FRIENDS_EACH = 2;

export interface DemoShop {
  /** The stores the shop's orders are read back from: the board, the codes, the orders and the ledger they earned in. */
  nuqta: {
    leaderboard: Pick<RedisLeaderboardIndex, 'top'>;
    referralCodes: Pick<ReferralCodes, 'forMember' | 'list'>;
    referralOrders: Pick<ReferralOrders, 'ofCampaign'>;
    ledger: Pick<LedgerStore, 'entries'>;
    decisions: Pick<MongoDecisionStore, 'get'>;
  };
  campaign: Campaign;
  /** Sends events as the shop (ingest key). */
  send(events: readonly object[]): Promise<void>;
  /** Waits until the workers have scored everything queued. */
  drained(): Promise<void>;
}

/** Plays the orders; returns the line the demo prints, or undefined for a campaign without a member program. */
export async function playReferralOrders(shop: DemoShop, seed: number): Promise<string | undefined> {
  const { nuqta, campaign } = shop;
  const program = campaign.referrals.find((candidate) => candidate.codes === 'member');
  if (!program) return undefined;
  const referrers = await nuqta.leaderboard.top(campaign.id, 'all', REFERRERS);
  const codes = await Promise.all(referrers.map(async (referrer) => (await nuqta.referralCodes.forMember(campaign, program.id, referrer, new Date())).code.code));
  const random = createRandom(seed).fork('orders');
  const account = campaign.accounts.instagram[0] ?? '';
  const order = (id: string, buyer: string, code: string | undefined) => ({
    platform: 'instagram', kind: 'purchase', platformEventId: id,
    actor: { platformUserId: buyer, username: `friend.${buyer.slice(-4)}` }, target: { accountId: account },
    occurredAt: new Date().toISOString(),
    order: { amount: 10 * random.int(18, 48), currency: 'SAR', ...(code === undefined ? {} : { code }), customerRef: `c-${buyer}`, shippingRef: `a-${buyer}` },
  });
  const orders = codes.flatMap((code, index) => Array.from({ length: FRIENDS_EACH }, (_, friend) => order(`demo-order-${seed}-${index}-${friend}`, `8${String(seed).padStart(3, '0')}${index}${friend}`, code)));
  const [first, second] = orders;
  // The shop's webhook fires twice for the first order; the second friend comes back for another.
  await shop.send([...orders, ...(first ? [first] : []), ...(second ? [order(`${second.platformEventId}-again`, second.actor.platformUserId, second.order.code)] : [])]);
  await shop.drained();
  if (first) {
    await shop.send([{ platform: 'instagram', kind: 'order_refunded', platformEventId: first.platformEventId, actor: first.actor, target: first.target, occurredAt: new Date().toISOString() }]);
    await shop.drained();
  }
  const report = await referralReport(nuqta, campaign.id);
  const { total } = report;
  const revenue = total.revenue.map(({ amount, currency }) => `${amount} ${currency}`).join(' + ') || '0';
  return `referrals: ${total.uses} first orders by friends with ${codes.length} members' codes (${codes.join(', ')}), ${revenue}, ${total.points.issued} points issued; ${total.refunded} refunded, ${Object.values(total.refused).reduce((sum, n) => sum + n, 0)} earned nothing`;
}
