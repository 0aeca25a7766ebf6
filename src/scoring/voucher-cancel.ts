/**
 * Cancelling an issued voucher gives its points back: a member task, so the
 * refund entry goes through the ledger writer in the member's turn. The code
 * is first moved from `issued` to `cancelling` (a shop using it at the same
 * moment gets one answer or the other, never both), the refund is written as
 * a `redeem` entry with positive points (`refund:<reward>`), the reward's
 * stock unit is freed, and the answer is kept under the key `cancel:<code>`
 * like a redemption's, so a retried request, or a commit cut short and
 * recovered, gives back the points once.
 */
import { z } from 'zod';
import type { CampaignRegistry } from '../config/campaign-registry.js';
import { REFUND_RULE_PREFIX, REWARD_RULE_PREFIX } from '../domain/ledger.js';
import { NuqtaError } from '../errors.js';
import type { LedgerEntry } from '../ledger/entry.js';
import type { RedemptionAnswer, RedemptionStore } from '../ledger/redemption-store.js';
import type { RedisRewardStock } from '../ledger/reward-stock.js';
import type { Vouchers } from '../ledger/vouchers.js';
import type { MemberTaskHandler, TaskTurn } from './member-task.js';
import { reason } from './rules/reasons.js';

export const VOUCHER_CANCEL_TASK = 'voucher-cancel';

const cancelPayload = z.object({ code: z.string().min(1) });

export function cancellationKey(code: string): string {
  return `cancel:${code}`;
}

export interface VoucherCancelDeps {
  vouchers: Pick<Vouchers, 'get' | 'transition' | 'queueStatus' | 'recordStatus'>;
  redemptions: RedemptionStore;
  stock: Pick<RedisRewardStock, 'release'>;
  campaigns: Pick<CampaignRegistry, 'find'>;
}

export function voucherCancelHandler(deps: VoucherCancelDeps): MemberTaskHandler {
  return { inBatch: (turn, task) => cancelInTurn(deps, turn, task.memberId, cancelPayload.parse(task.payload).code) };
}

async function cancelInTurn(deps: VoucherCancelDeps, turn: TaskTurn, memberId: string, code: string): Promise<RedemptionAnswer> {
  const { loaded, book, ledger, records, now } = turn;
  const { campaign } = loaded;
  const key = { campaignId: campaign.id, memberId, idempotencyKey: cancellationKey(code) };
  const answered = records.redemptionAnswer(key) ?? (await deps.redemptions.get(campaign.id, memberId, key.idempotencyKey));
  if (answered) return answered;
  const voucher = await deps.vouchers.get(campaign.id, code);
  const reward = campaign.rewards.find((candidate) => candidate.id === voucher?.rewardId);
  if (!voucher || voucher.memberId !== memberId || !reward || !book || voucher.redemptionKey === undefined) {
    throw new NuqtaError('NUQTA_NOT_FOUND', `member "${memberId}" holds no voucher "${code}" in campaign "${campaign.id}"`);
  }
  const before = await deps.vouchers.transition(campaign.id, code, ['issued', 'cancelling'], 'cancelling', now);
  if (before !== 'issued' && before !== 'cancelling') {
    // Used, cancelled or past its date: final, so the answer is kept for the key.
    const error = { code: 'NUQTA_CONFLICT', message: `voucher ${code} is ${before}: it cannot be cancelled`, details: { status: before } };
    return answer(deps, records, { ...key, rewardId: reward.id, answeredAt: now, status: 409, body: { error } });
  }
  const [entry] = ledger.append(book, [{
    eventKey: key.idempotencyKey, ruleId: `${REFUND_RULE_PREFIX}${reward.id}`, kind: 'redeem', points: reward.cost, status: 'posted', occurredAt: now,
    reason: reason('VOUCHER_CANCELLED', { points: reward.cost, reward: reward.name, code }),
    explain: { voucher: { code, redemption: voucher.redemptionKey } },
    refersTo: { eventKey: voucher.redemptionKey, ruleId: `${REWARD_RULE_PREFIX}${reward.id}` },
  }], 'voucher', now);
  if (!entry) throw new NuqtaError('NUQTA_INTERNAL', `the refund of voucher ${code} was not recorded`);
  const redemptionKey = voucher.redemptionKey;
  records.afterLedger(() => deps.stock.release(campaign.id, reward, redemptionKey));
  return settle(deps, records, entry, book.record.state.balance, now);
}

/** The answer of a refund entry written (now, or by a commit cut short and recovered): the code cancelled, the answer kept. */
export function settle(deps: { vouchers: Pick<Vouchers, 'queueStatus' | 'recordStatus'>; redemptions: Pick<RedemptionStore, 'remember'> }, records: TaskTurn['records'], entry: LedgerEntry, balance: number, at: Date): RedemptionAnswer {
  const code = (entry.explain.voucher as { code: string }).code;
  const rewardId = entry.ruleId.slice(REFUND_RULE_PREFIX.length);
  records.onPipeline((pipeline) => deps.vouchers.queueStatus(pipeline, entry.campaignId, code, 'cancelled'));
  records.afterLedger(() => deps.vouchers.recordStatus(entry.campaignId, code, 'cancelled', at));
  return answer(deps, records, {
    campaignId: entry.campaignId, memberId: entry.memberId, idempotencyKey: entry.eventKey, rewardId, answeredAt: at,
    status: 200, body: { campaignId: entry.campaignId, memberId: entry.memberId, code, status: 'cancelled', refunded: entry.points, balance },
  });
}

function answer(deps: { redemptions: Pick<RedemptionStore, 'remember'> }, records: TaskTurn['records'], said: RedemptionAnswer): RedemptionAnswer {
  records.rememberRedemption(said);
  records.afterLedger(() => deps.redemptions.remember(said));
  return said;
}
