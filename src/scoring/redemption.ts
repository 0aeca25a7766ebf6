/**
 * Redeeming a reward for a member: the rules decide (stock first, then
 * balance), a Redis set reserves the unit, and the redeem entry is recorded
 * like any other. Every answer is remembered under the request's idempotency
 * key, so a repeated request gets the first answer and never spends twice.
 */
import type { LoadedCampaign } from '../config/campaign-loader.js';
import type { CampaignReward } from '../config/campaign-schema.js';
import { NuqtaError } from '../errors.js';
import type { LedgerEntry, MemberFact } from '../ledger/entry.js';
import type { LedgerStore } from '../ledger/ledger-store.js';
import type { MemberLocks } from '../ledger/member-lock.js';
import type { RedemptionAnswer, RedemptionOutcome, RedemptionReceipt, RedemptionRefusal, RedemptionStore } from '../ledger/redemption-store.js';
import type { RedisRewardStock } from '../ledger/reward-stock.js';
import type { Logger } from '../log.js';
import type { EventScorer, ScoreOutcome } from './event-scorer.js';
import { recordRetrying } from './record-retrying.js';
import { balanceOf, checkRedemption, pointsUnderReview, redemptionError, REWARD_RULE_PREFIX, type RedemptionRefusal as Refusal } from './rules/index.js';

export interface RedemptionDeps {
  scorer: EventScorer;
  ledger: Pick<LedgerStore, 'entry'>;
  stock: RedisRewardStock;
  redemptions: RedemptionStore;
  memberLocks: MemberLocks;
  logger: Logger;
}

export interface RedemptionRequest {
  loaded: LoadedCampaign;
  memberId: string;
  rewardId: string;
  idempotencyKey: string;
  now: Date;
}

export type RedemptionResult = RedemptionOutcome & {
  /** True when this is the remembered answer to an earlier request with the same key. */
  replayed: boolean;
};

/** The ledger's unique key has no member, so the member is part of the redemption's eventKey. */
export function redemptionEventKey(memberId: string, idempotencyKey: string): string {
  return `redeem:${memberId}:${idempotencyKey}`;
}

export async function redeemReward(deps: RedemptionDeps, request: RedemptionRequest): Promise<RedemptionResult> {
  const { loaded, memberId, rewardId, idempotencyKey } = request;
  const { campaign } = loaded;
  const reward = campaign.rewards.find((candidate) => candidate.id === rewardId);
  if (!reward) throw new NuqtaError('NUQTA_NOT_FOUND', `campaign "${campaign.id}" has no reward "${rewardId}"`);
  // One spend of a member at a time: two redemptions (or a redemption and expiry) must not both pass on the same balance.
  return deps.memberLocks.withLock(campaign.id, memberId, async () => {
    const answered = await deps.redemptions.get(campaign.id, memberId, idempotencyKey);
    if (answered) return replayed(answered, rewardId);
    return redeemOnce(deps, request, reward);
  });
}

async function redeemOnce(deps: RedemptionDeps, request: RedemptionRequest, reward: CampaignReward): Promise<RedemptionResult> {
  const { loaded, memberId, idempotencyKey, now } = request;
  const { campaign } = loaded;
  const eventKey = redemptionEventKey(memberId, idempotencyKey);
  const member = await deps.scorer.caughtUp(loaded, memberId);
  const recorded = member.facts.find((fact) => fact.eventKey === eventKey && fact.kind === 'redeem');
  if (recorded) {
    // Written before a crash cut the request short: answer from the ledger.
    if (recorded.ruleId !== `${REWARD_RULE_PREFIX}${reward.id}`) throw keyReused(idempotencyKey, recorded.ruleId.slice(REWARD_RULE_PREFIX.length));
    const answer = await remember(deps, request, { status: 201, body: await receiptOf(deps, request, reward, recorded, member.facts) });
    return { ...answer, replayed: true };
  }

  const stockLeft = await deps.stock.left(campaign.id, reward);
  // Points under fraud review stay in the balance until a reviewer decides, but cannot be spent meanwhile.
  const spendable = member.balance - pointsUnderReview(member.facts);
  let check = checkRedemption({ balance: spendable, reward, stockLeft, redemptionKey: eventKey, now });
  if (check.ok && !(await deps.stock.take(campaign.id, reward, eventKey))) {
    // Another member took the last unit between reading the stock and reserving it.
    check = checkRedemption({ balance: spendable, reward, stockLeft: 0, redemptionKey: eventKey, now });
  }
  if (!check.ok) return remember(deps, request, { status: 409, body: refusalOf(check) });

  let outcome: ScoreOutcome;
  try {
    outcome = await recordRetrying(deps.scorer, loaded, memberId, [check.entry], 'redemption');
  } catch (error) {
    // Free the unit only when the entry is surely not in the ledger; a unit held in doubt is freed by `nuqta verify --repair`.
    const written = await deps.scorer.caughtUp(loaded, memberId).then((after) => after.facts.some((fact) => fact.eventKey === eventKey), () => true);
    if (!written) await deps.stock.release(campaign.id, reward, eventKey).catch(() => undefined);
    throw error;
  }
  const fact = outcome.member.facts.find((candidate) => candidate.eventKey === eventKey && candidate.kind === 'redeem');
  if (!fact) throw new NuqtaError('NUQTA_INTERNAL', `the redemption ${eventKey} was recorded but is not in the member's projection`);
  const entry = outcome.written.find((written) => written.seq === fact.seq);
  return remember(deps, request, { status: 201, body: await receiptOf(deps, request, reward, fact, outcome.member.facts, entry) });
}

async function receiptOf(
  deps: RedemptionDeps,
  request: RedemptionRequest,
  reward: CampaignReward,
  fact: MemberFact,
  facts: readonly MemberFact[],
  written?: LedgerEntry,
): Promise<RedemptionReceipt> {
  const entry = written ?? (await deps.ledger.entry(request.loaded.campaign.id, request.memberId, fact.seq));
  if (!entry) throw new NuqtaError('NUQTA_INTERNAL', `ledger entry ${fact.seq} of ${request.memberId} vanished`);
  return {
    campaignId: request.loaded.campaign.id,
    memberId: request.memberId,
    idempotencyKey: request.idempotencyKey,
    reward: { id: reward.id, name: reward.name, cost: reward.cost },
    entry: { seq: entry.seq, eventKey: entry.eventKey, points: entry.points, reason: entry.reason, createdAt: entry.createdAt.toISOString() },
    balance: balanceOf(facts.filter((candidate) => candidate.seq <= entry.seq)),
  };
}

function refusalOf(refusal: Refusal): RedemptionRefusal {
  const error = redemptionError(refusal);
  return { error: { code: error.code, message: error.message, details: error.details } };
}

async function remember(deps: RedemptionDeps, request: RedemptionRequest, said: RedemptionOutcome): Promise<RedemptionResult> {
  const answer: RedemptionAnswer = {
    campaignId: request.loaded.campaign.id,
    memberId: request.memberId,
    idempotencyKey: request.idempotencyKey,
    rewardId: request.rewardId,
    answeredAt: request.now,
    ...said,
  };
  // The ledger holds the redemption either way; a lost answer is rebuilt from it on the next request with this key.
  await deps.redemptions.remember(answer).catch((error: unknown) => deps.logger.warn({ err: error, memberId: request.memberId }, 'redemption answer not remembered'));
  return { ...said, replayed: false };
}

function replayed(answer: RedemptionAnswer, rewardId: string): RedemptionResult {
  if (answer.rewardId !== rewardId) throw keyReused(answer.idempotencyKey, answer.rewardId);
  return { ...answer, replayed: true };
}

function keyReused(idempotencyKey: string, rewardId: string): NuqtaError {
  return new NuqtaError('NUQTA_CONFLICT', `Idempotency-Key "${idempotencyKey}" was already used to redeem "${rewardId}"; use a new key for a new redemption`);
}
