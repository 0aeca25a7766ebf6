/**
 * Rewards: whether a redemption may go ahead, and the member's next goal
 * ("40 points to your free coffee"). The shell supplies the balance and the
 * stock left; this file only decides.
 */
import type { Campaign, CampaignReward } from '../../config/campaign-schema.js';
import { NuqtaError } from '../../errors.js';
import { REWARD_RULE_PREFIX } from '../../domain/ledger.js';
import { reason } from './reasons.js';
import type { Localized } from '../../domain/localized.js';
import type { ConditionCheck, ScoredEntry } from './types.js';
import { pointsText } from '../../domain/wording.js';

export type RedemptionRefusal =
  | { ok: false; code: 'NUQTA_OUT_OF_STOCK'; message: Localized }
  | { ok: false; code: 'NUQTA_INSUFFICIENT_POINTS'; missing: number; message: Localized };

export type RedemptionCheck = { ok: true; entry: ScoredEntry; balanceAfter: number } | RedemptionRefusal;



/**
 * Stock is checked first: telling a member who is short of points that the
 * reward is gone saves them saving up for it.
 */
export function checkRedemption(input: {
  balance: number;
  reward: CampaignReward;
  /** Units left, or null when the reward has no stock limit. */
  stockLeft: number | null;
  /** The request's idempotency key: it becomes the entry's eventKey. */
  redemptionKey: string;
  now: Date;
}): RedemptionCheck {
  const { balance, reward, stockLeft, redemptionKey, now } = input;
  const name = reward.name;
  if (stockLeft !== null && stockLeft <= 0) {
    return {
      ok: false,
      code: 'NUQTA_OUT_OF_STOCK',
      message: { en: `${name.en} is out of stock`, ar: `نفدت الكمية من ${name.ar}` },
    };
  }
  if (balance < reward.cost) {
    const missing = reward.cost - balance;
    return {
      ok: false,
      code: 'NUQTA_INSUFFICIENT_POINTS',
      missing,
      message: {
        en: `${name.en} costs ${pointsText(reward.cost).en}; the balance is ${pointsText(balance).en}, ${pointsText(missing).en} short`,
        ar: `${name.ar} تكلف ${pointsText(reward.cost).ar}، ورصيدك ${pointsText(balance).ar}، ينقصك ${pointsText(missing).ar}`,
      },
    };
  }
  const conditions: ConditionCheck[] = [
    { condition: 'stock', passed: true, expected: 1, actual: stockLeft ?? 'unlimited' },
    { condition: 'balance', passed: true, expected: reward.cost, actual: balance },
  ];
  return {
    ok: true,
    balanceAfter: balance - reward.cost,
    entry: {
      eventKey: redemptionKey,
      ruleId: `${REWARD_RULE_PREFIX}${reward.id}`,
      kind: 'redeem',
      points: -reward.cost,
      status: 'posted',
      occurredAt: now,
      reason: reason('REDEEMED', { points: reward.cost, reward: name }),
      explain: { conditions, limits: [] },
    },
  };
}

/** The refusal as the API error (409, with the missing points when short). */
export function redemptionError(refusal: RedemptionRefusal): NuqtaError {
  const details =
    refusal.code === 'NUQTA_INSUFFICIENT_POINTS' ? { missing: refusal.missing, message: refusal.message } : { message: refusal.message };
  return new NuqtaError(refusal.code, refusal.message.en, details);
}

export interface NextReward {
  reward: CampaignReward;
  missing: number;
  message: Localized;
}

/**
 * The cheapest reward the balance does not reach yet, skipping rewards with no
 * stock. Null when every reward is already affordable (or there is none).
 */
export function nextReward(balance: number, campaign: Campaign, soldOut: ReadonlySet<string> = new Set()): NextReward | null {
  const candidates = campaign.rewards.filter((reward) => reward.cost > balance && reward.stock !== 0 && !soldOut.has(reward.id));
  const reward = candidates.reduce<CampaignReward | undefined>(
    (cheapest, next) => (cheapest === undefined || next.cost < cheapest.cost ? next : cheapest),
    undefined,
  );
  if (reward === undefined) return null;
  const missing = reward.cost - balance;
  return {
    reward,
    missing,
    message: {
      en: `${pointsText(missing).en} to your ${inSentence(reward.name.en)}`,
      ar: `باقي ${pointsText(missing).ar} على ${reward.name.ar}`,
    },
  };
}

/** "Free coffee" reads "your free coffee"; a name like "VIP lounge" or "iPhone case" keeps its capitals. */
function inSentence(name: string): string {
  return /^[A-Z][a-z]*(\s|$)/.test(name) ? name.charAt(0).toLowerCase() + name.slice(1) : name;
}
