/**
 * The attribution report: for each code and each influencer, the orders
 * that used it, who bought, who bought for the first time, the revenue per
 * currency and the points the orders issued (or hold for review) as the
 * ledger has them now, with the reasons orders that named the code earned
 * nothing.
 */
import type { Influencer, ReferralCode } from './codes.js';
import type { ReferralOrder } from './orders.js';

/** Orders refused before a use of the code was taken: they did not use it. */
const NOT_A_USE: ReadonlySet<string> = new Set([
  'REFERRAL_CODE_UNKNOWN', 'REFERRAL_CODE_NOT_VALID', 'REFERRAL_OWN_CODE', 'REFERRAL_CODE_EXHAUSTED', 'REFERRAL_MEMBER_LIMIT',
  'OUTSIDE_CAMPAIGN_WINDOW', 'CAMPAIGN_PAUSED', 'ORDER_REFUNDED',
]);

/** What an order's awards stand at in the ledger (src/scoring/order-points.ts). */
export interface OrderPoints {
  issued: number;
  held: number;
}

export interface Attribution {
  uses: number;
  buyers: number;
  firstTimeBuyers: number;
  revenue: { currency: string; amount: number }[];
  points: { issued: number; held: number };
  /** Orders that named the code and earned nothing, by reason code. */
  refused: Record<string, number>;
  /** Orders refunded after they were scored: left out of uses, buyers, revenue and points (their points were taken back). */
  refunded: number;
}

export interface CodeAttribution extends Attribution {
  code: string;
  program: string;
  ownerId?: string;
  influencer?: Influencer;
}

export interface InfluencerAttribution extends Attribution {
  influencer: Influencer;
  codes: string[];
}

export interface AttributionReport {
  codes: CodeAttribution[];
  influencers: InfluencerAttribution[];
  total: Attribution;
}

/** `points`: each order's awards as the ledger has them now, by order key. */
export function attributionReport(codes: readonly ReferralCode[], orders: readonly ReferralOrder[], points: ReadonlyMap<string, OrderPoints>): AttributionReport {
  const attributionOf = (some: readonly ReferralOrder[]): Attribution => attributionOfOrders(some, points);
  const byCode = new Map<string, ReferralOrder[]>();
  for (const order of orders) byCode.set(order.code, [...(byCode.get(order.code) ?? []), order]);
  const codeRows = codes.map((code): CodeAttribution => ({
    code: code.code, program: code.program,
    ...(code.ownerId === undefined ? {} : { ownerId: code.ownerId }),
    ...(code.influencer === undefined ? {} : { influencer: code.influencer }),
    ...attributionOf(byCode.get(code.code) ?? []),
  }));
  const byInfluencer = new Map<string, { influencer: Influencer; codes: string[] }>();
  for (const code of codes) {
    if (code.influencer === undefined) continue;
    const known = byInfluencer.get(code.influencer.name) ?? { influencer: code.influencer, codes: [] };
    known.codes.push(code.code);
    byInfluencer.set(code.influencer.name, known);
  }
  const influencers = [...byInfluencer.values()].map(({ influencer, codes: names }) => ({
    influencer, codes: names, ...attributionOf(names.flatMap((name) => byCode.get(name) ?? [])),
  }));
  return {
    codes: codeRows.sort((a, b) => b.uses - a.uses || a.code.localeCompare(b.code)),
    influencers: influencers.sort((a, b) => b.uses - a.uses || a.influencer.name.localeCompare(b.influencer.name)),
    total: attributionOf(orders),
  };
}

function attributionOfOrders(all: readonly ReferralOrder[], standing: ReadonlyMap<string, OrderPoints>): Attribution {
  const orders = all.filter((order) => order.refundedAt === undefined);
  const uses = orders.filter((order) => !NOT_A_USE.has(order.outcome));
  const revenue = new Map<string, number>();
  for (const order of uses) revenue.set(order.currency, (revenue.get(order.currency) ?? 0) + order.amount);
  const points = (which: keyof OrderPoints): number => orders.reduce((sum, order) => sum + (standing.get(order.orderKey)?.[which] ?? 0), 0);
  const refused: Record<string, number> = {};
  for (const order of orders) if (order.outcome !== 'REFERRAL_BONUS') refused[order.outcome] = (refused[order.outcome] ?? 0) + 1;
  return {
    uses: uses.length,
    buyers: new Set(uses.map((order) => order.buyerId)).size,
    firstTimeBuyers: new Set(uses.filter((order) => order.firstOrder).map((order) => order.buyerId)).size,
    revenue: [...revenue].map(([currency, amount]) => ({ currency, amount: Math.round(amount * 100) / 100 })).sort((a, b) => a.currency.localeCompare(b.currency)),
    points: { issued: points('issued'), held: points('held') },
    refused,
    refunded: all.length - orders.length,
  };
}
