/**
 * Redeeming a reward for a member. The request becomes a member task in the
 * member's queue partition, so a redemption is decided on the member state
 * the partition's owner holds, after the member's earlier events and never
 * beside them: one spend at a time, whatever the number of API and worker
 * processes. The rules decide (stock first, then the balance that is not
 * under review), a Redis set reserves the unit, the redeem entry goes through
 * the ledger writer, and the answer is remembered under the request's
 * idempotency key, so a repeated request gets the first answer and never
 * spends twice.
 */
import { createHash } from 'node:crypto';
import { addDays } from 'date-fns';
import { z } from 'zod';
import type { CampaignRegistry } from '../config/campaign-registry.js';
import type { CampaignReward } from '../config/campaign-schema.js';
import { REWARD_RULE_PREFIX } from '../domain/ledger.js';
import { NuqtaError } from '../errors.js';
import type { MemberTask } from '../ingestion/ingest-queue.js';
import type { LedgerEntry } from '../ledger/entry.js';
import { pointsUnderReview } from '../ledger/member-state.js';
import type { RedemptionAnswer, RedemptionOutcome, RedemptionReceipt, RedemptionRefusal, RedemptionStore } from '../ledger/redemption-store.js';
import type { RedisRewardStock } from '../ledger/reward-stock.js';
import type { Voucher, Vouchers } from '../ledger/vouchers.js';
import type { MemberTaskHandler, TaskTurn } from './member-task.js';
import { checkRedemption, redemptionError, type RedemptionRefusal as Refusal } from './rules/index.js';

export const REDEEM_TASK = 'redeem';

export interface RedemptionRequest {
  campaignId: string;
  memberId: string;
  rewardId: string;
  idempotencyKey: string;
}

export type RedemptionResult = RedemptionOutcome & {
  /** True when this is the remembered answer to an earlier request with the same key. */
  replayed: boolean;
};

const redemptionPayload = z.object({ rewardId: z.string().min(1), idempotencyKey: z.string().min(1) });

/** The ledger's unique key has no member, so the member is part of the redemption's eventKey. */
export function redemptionEventKey(memberId: string, idempotencyKey: string): string {
  return `redeem:${memberId}:${idempotencyKey}`;
}

/** One task per redemption request: a repeated request waits for the same job. */
export function redemptionTaskId(request: Pick<RedemptionRequest, 'campaignId' | 'memberId' | 'idempotencyKey'>): string {
  return `redeem-${createHash('sha256').update(`${request.campaignId}\u0000${request.memberId}\u0000${request.idempotencyKey}`).digest('hex').slice(0, 40)}`;
}

export function redemptionTaskOf(request: RedemptionRequest): MemberTask {
  return { kind: REDEEM_TASK, campaignId: request.campaignId, memberId: request.memberId, payload: { rewardId: request.rewardId, idempotencyKey: request.idempotencyKey } };
}

/** The answer a request gets when its key was used before: the first answer, or a conflict when the key named another reward. */
export function replayedAnswer(answer: RedemptionAnswer, rewardId: string): RedemptionResult {
  if (answer.rewardId !== rewardId) throw keyReused(answer.idempotencyKey, answer.rewardId);
  return { status: answer.status, body: answer.body, replayed: true } as RedemptionResult;
}

export interface RedemptionTaskDeps {
  stock: RedisRewardStock;
  redemptions: RedemptionStore;
  campaigns: CampaignRegistry;
  vouchers: Pick<Vouchers, 'issue' | 'queueIssued' | 'recordIssued'>;
}

/** The member task: runs in the member's turn of a batch and returns the answer the request gets. */
export function redemptionTaskHandler(deps: RedemptionTaskDeps): MemberTaskHandler {
  return { inBatch: (turn, task) => redeemInTurn(deps, turn, task) };
}

async function redeemInTurn(deps: RedemptionTaskDeps, turn: TaskTurn, task: MemberTask): Promise<RedemptionResult> {
  const { rewardId, idempotencyKey } = redemptionPayload.parse(task.payload);
  const { loaded, book, ledger, records, now } = turn;
  const { campaign } = loaded;
  const request = { campaignId: campaign.id, memberId: task.memberId, rewardId, idempotencyKey };
  const answered = records.redemptionAnswer(request) ?? (await deps.redemptions.get(campaign.id, task.memberId, idempotencyKey));
  if (answered) return replayedAnswer(answered, rewardId);
  const reward = campaign.rewards.find((candidate) => candidate.id === rewardId);
  if (!reward) throw new NuqtaError('NUQTA_NOT_FOUND', `campaign "${campaign.id}" has no reward "${rewardId}"`);
  if (!book) throw new NuqtaError('NUQTA_MEMBER_NOT_FOUND', `no member "${task.memberId}" in campaign "${campaign.id}"`);

  const eventKey = redemptionEventKey(task.memberId, idempotencyKey);
  const { state } = book.record;
  const stockLeft = await deps.stock.left(campaign.id, reward);
  // Points under fraud review stay in the balance until a reviewer decides, but cannot be spent meanwhile.
  const spendable = state.balance - pointsUnderReview(state);
  let check = checkRedemption({ balance: spendable, reward, stockLeft, redemptionKey: eventKey, now });
  if (check.ok && !(await deps.stock.take(campaign.id, reward, eventKey))) {
    // Another member took the last unit between reading the stock and reserving it.
    check = checkRedemption({ balance: spendable, reward, stockLeft: 0, redemptionKey: eventKey, now });
  }
  if (!check.ok) return remember(deps, records, request, { status: 409, body: refusalOf(check) }, now);
  const code = reward.voucher ? await deps.vouchers.issue(campaign.id, reward, eventKey) : undefined;
  if (code === null) {
    const error = { code: 'NUQTA_OUT_OF_STOCK', message: `no vouchers left for "${reward.id}": no points were taken; the brand uploads more codes`, details: { rewardId: reward.id } };
    return remember(deps, records, request, { status: 409, body: { error } }, now);
  }
  const validDays = reward.voucher?.valid_days;
  const voucher = code === undefined ? undefined : { code, expiresAt: validDays === undefined ? null : addDays(now, validDays).toISOString() };
  const before = state.balance;
  const explain = { ...check.entry.explain, balance: { before, after: before - reward.cost }, ...(voucher ? { voucher } : {}) };
  const [entry] = ledger.append(book, [{ ...check.entry, explain }], 'redemption', now);
  if (!entry) throw new NuqtaError('NUQTA_INTERNAL', `the redemption ${eventKey} was not recorded`);
  keepVoucher(deps, records, entry);
  return remember(deps, records, request, { status: 201, body: receiptOf(request, reward, entry) }, now);
}

/** The voucher a redeem entry issued (kept in its explanation), as the wallet holds it. */
export function voucherOfEntry(entry: LedgerEntry): Voucher | undefined {
  const issued = entry.explain.voucher as { code: string; expiresAt: string | null } | undefined;
  if (!issued || !entry.ruleId.startsWith(REWARD_RULE_PREFIX)) return undefined;
  return {
    campaignId: entry.campaignId, rewardId: entry.ruleId.slice(REWARD_RULE_PREFIX.length), code: issued.code, status: 'issued',
    memberId: entry.memberId, redemptionKey: entry.eventKey, issuedAt: entry.createdAt, ...(issued.expiresAt === null ? {} : { expiresAt: new Date(issued.expiresAt) }),
  };
}

/** Puts the entry's voucher in the member's wallet with the commit (also when a cut-short commit is recovered). */
export function keepVoucher(deps: { vouchers: Pick<Vouchers, 'queueIssued' | 'recordIssued'> }, records: TaskTurn['records'], entry: LedgerEntry): void {
  const voucher = voucherOfEntry(entry);
  if (!voucher) return;
  records.onPipeline((pipeline) => deps.vouchers.queueIssued(pipeline, voucher));
  records.afterLedger(() => deps.vouchers.recordIssued(voucher));
}

/**
 * The answer to a redemption whose entry a cut-short commit wrote without
 * remembering the answer: rebuilt from the entry (src/scoring/recovery.ts).
 */
export function recoveredAnswer(campaigns: Pick<CampaignRegistry, 'find'>, entry: LedgerEntry): RedemptionAnswer | undefined {
  const reward = campaigns.find(entry.campaignId)?.campaign.rewards.find((candidate) => `${REWARD_RULE_PREFIX}${candidate.id}` === entry.ruleId);
  const idempotencyKey = entry.eventKey.slice(redemptionEventKey(entry.memberId, '').length);
  if (!reward) return undefined;
  const request = { campaignId: entry.campaignId, memberId: entry.memberId, rewardId: reward.id, idempotencyKey };
  return { ...request, answeredAt: entry.createdAt, status: 201, body: receiptOf(request, reward, entry) };
}

function receiptOf(request: RedemptionRequest, reward: CampaignReward, entry: LedgerEntry): RedemptionReceipt {
  const balance = (entry.explain.balance as { after?: number } | undefined)?.after ?? 0;
  return {
    campaignId: request.campaignId,
    memberId: request.memberId,
    idempotencyKey: request.idempotencyKey,
    reward: { id: reward.id, name: reward.name, cost: reward.cost },
    entry: { seq: entry.seq, eventKey: entry.eventKey, points: entry.points, reason: entry.reason, createdAt: entry.createdAt.toISOString() },
    balance,
    ...(entry.explain.voucher === undefined ? {} : { voucher: entry.explain.voucher as { code: string; expiresAt: string | null } }),
  };
}

function refusalOf(refusal: Refusal): RedemptionRefusal {
  const error = redemptionError(refusal);
  return { error: { code: error.code, message: error.message, details: error.details } };
}

function remember(deps: RedemptionTaskDeps, records: TaskTurn['records'], request: RedemptionRequest, said: RedemptionOutcome, now: Date): RedemptionResult {
  const answer = { ...request, answeredAt: now, ...said } as RedemptionAnswer;
  records.rememberRedemption(answer);
  records.afterLedger(() => deps.redemptions.remember(answer));
  return { ...said, replayed: false };
}

function keyReused(idempotencyKey: string, rewardId: string): NuqtaError {
  return new NuqtaError('NUQTA_CONFLICT', `Idempotency-Key "${idempotencyKey}" was already used to redeem "${rewardId}"; use a new key for a new redemption`);
}
