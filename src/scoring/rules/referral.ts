/**
 * Referral awards of a paid order (kind `purchase`) that names a code: the
 * buyer's bonus, and what the code's owner earns, each a fixed amount the
 * tier does not multiply. The checks run in the order a shop assistant
 * would ask: is it our code, does it work today, is it someone else's, has
 * it (or this buyer) used it up, is this the buyer's first order, is the
 * order big enough. Every check is recorded, passed or not.
 *
 * The shell counts the order first (src/referrals/code-uses.ts): the
 * buyer's first order or not, and a use of the code taken atomically across
 * partitions; `codeAdmits` tells it whether a use may be taken at all.
 */
import type { Campaign, ReferralProgram } from '../../config/campaign-schema.js';
import { memberIdOf, type EngagementEvent, type Order } from '../../domain/event.js';
import { REFERRAL_RULE_PREFIX, REFERRER_RULE_PREFIX, type LedgerStatus } from '../../domain/ledger.js';
import type { MemberState } from '../../ledger/member-state.js';
import { campaignTimeChecks } from './conditions.js';
import { reason } from './reasons.js';
import { tierChangeEntry } from './tier-change.js';
import type { ConditionCheck, NonAward, Reason, ReferralExplain, ScoredEntry } from './types.js';

/** A code as the rules read it. */
export interface ReferralCodeFacts {
  code: string;
  program: string;
  ownerId?: string | undefined;
  validFrom?: Date | undefined;
  validUntil?: Date | undefined;
  maxUses?: number | undefined;
  maxUsesPerMember: number;
}

/** The order as counted: the buyer's first or not, and the code use it took (absent when no use was asked for). */
export interface OrderCountFacts {
  firstOrder: boolean;
  use?: { outcome: 'used' | 'exhausted' | 'member_limit'; uses: number } | undefined;
}

export interface ReferralInput {
  event: EngagementEvent & { order: Order & { code: string } };
  campaign: Campaign;
  /** Undefined when the campaign has no such code. */
  code: ReferralCodeFacts | undefined;
  count: OrderCountFacts;
  status: LedgerStatus;
  /** The shop refunded the order before it was scored. */
  refunded?: boolean;
}

export interface ReferralDecision {
  entries: ScoredEntry[];
  nonAwards: NonAward[];
  /** What the code's owner earns; absent when the order earns them nothing. */
  referrer?: ReferralExplain & { referrer: { memberId: string; points: number } };
}

interface Checked {
  checks: ConditionCheck[];
  failure?: Reason;
}

/** The checks that come before a use of the code may be taken: it exists, works at the order's time, and is not the buyer's own. */
export function codeAdmits(input: Pick<ReferralInput, 'event' | 'campaign' | 'code'>): Checked & { program?: ReferralProgram } {
  const { event, campaign, code } = input;
  const buyerId = memberIdOf(event.platform, event.actor.platformUserId);
  const named = event.order.code;
  const checks: ConditionCheck[] = [];
  for (const { check, failure } of campaignTimeChecks(event.occurredAt, campaign)) {
    checks.push(check);
    if (!check.passed) return { checks, failure };
  }
  const program = code && campaign.referrals.find((candidate) => candidate.id === code.program);
  checks.push({ condition: 'referral_code', passed: program !== undefined, expected: 'a code of this campaign', actual: named });
  if (!code || !program) return { checks, failure: reason('REFERRAL_CODE_UNKNOWN', { code: named }) };
  const at = event.occurredAt;
  const before = code.validFrom !== undefined && at < code.validFrom;
  const after = code.validUntil !== undefined && at >= code.validUntil;
  checks.push({
    condition: 'code_valid', passed: !before && !after,
    expected: `${code.validFrom?.toISOString() ?? ''}..${code.validUntil?.toISOString() ?? ''}`, actual: at.toISOString(),
  });
  if (before || after) {
    const edge = (before ? code.validFrom : code.validUntil)?.toISOString() ?? '';
    return { checks, program, failure: reason('REFERRAL_CODE_NOT_VALID', { code: code.code, side: before ? 'before' : 'after', edge }) };
  }
  const own = code.ownerId === buyerId;
  checks.push({ condition: 'not_own_code', passed: !own, expected: 'someone else\'s code', actual: own ? 'the buyer\'s own' : 'someone else\'s' });
  if (own) return { checks, program, failure: reason('REFERRAL_OWN_CODE', { code: code.code }) };
  return { checks, program };
}

export function referralAward(input: ReferralInput): ReferralDecision {
  const { event, code, count, status } = input;
  const admitted = codeAdmits(input);
  const program = admitted.program;
  const ruleId = `${REFERRAL_RULE_PREFIX}${program?.id ?? event.order.code}`;
  const refuse = (checked: Checked): ReferralDecision => ({
    entries: [],
    nonAwards: [{ eventKey: event.eventKey, ruleId, reason: checked.failure ?? reason('REFERRAL_CODE_UNKNOWN', { code: event.order.code }), explain: { conditions: checked.checks, limits: [] } }],
  });
  if (admitted.failure || !program || !code) return refuse(admitted);
  if (input.refunded === true) {
    return refuse({ checks: [...admitted.checks, { condition: 'not_refunded', passed: false, expected: false, actual: true }], failure: reason('ORDER_REFUNDED', { rule: ruleId }) });
  }
  const checked = orderChecks(program, code, count, event.order, admitted.checks);
  if (checked.failure) return refuse(checked);

  const referral: ReferralExplain = {
    code: code.code, program: program.id, order: event.eventKey,
    ...(code.ownerId !== undefined && program.referrer_points > 0 ? { referrer: { memberId: code.ownerId, points: program.referrer_points } } : {}),
  };
  const entries: ScoredEntry[] = program.buyer_points > 0
    ? [{
        eventKey: event.eventKey, ruleId, kind: 'bonus', points: program.buyer_points, status, occurredAt: event.occurredAt,
        reason: reason('REFERRAL_BONUS', { points: program.buyer_points, code: code.code, program: program.id }),
        explain: { conditions: checked.checks, limits: [], referral },
      }]
    : [];
  const { referrer } = referral;
  return { entries, nonAwards: [], ...(referrer && status !== 'rejected' ? { referrer: { ...referral, referrer } } : {}) };
}

/** Limits of the code and the buyer, first order, order size: after the use was counted. */
function orderChecks(program: ReferralProgram, code: ReferralCodeFacts, count: OrderCountFacts, order: Order, earlier: readonly ConditionCheck[]): Checked {
  const checks = [...earlier];
  const outcome = count.use?.outcome ?? 'used';
  checks.push({ condition: 'code_uses', passed: outcome !== 'exhausted', expected: code.maxUses ?? null, actual: count.use?.uses ?? null });
  if (outcome === 'exhausted') return { checks, failure: reason('REFERRAL_CODE_EXHAUSTED', { code: code.code, max: code.maxUses ?? 0 }) };
  checks.push({ condition: 'member_code_uses', passed: outcome !== 'member_limit', expected: code.maxUsesPerMember, actual: outcome });
  if (outcome === 'member_limit') return { checks, failure: reason('REFERRAL_MEMBER_LIMIT', { code: code.code, max: code.maxUsesPerMember }) };
  if (program.first_order_only) {
    checks.push({ condition: 'first_order', passed: count.firstOrder, expected: true, actual: count.firstOrder });
    if (!count.firstOrder) return { checks, failure: reason('REFERRAL_NOT_FIRST_ORDER', { code: code.code }) };
  }
  const minimum = program.min_order;
  if (minimum) {
    const passed = order.currency === minimum.currency && order.amount >= minimum.amount;
    checks.push({ condition: 'min_order', passed, expected: `${minimum.amount} ${minimum.currency}`, actual: `${order.amount} ${order.currency}` });
    if (!passed) return { checks, failure: reason('REFERRAL_BELOW_MINIMUM', { code: code.code, minimum: `${minimum.amount} ${minimum.currency}`, amount: `${order.amount} ${order.currency}` }) };
  }
  return { checks };
}

/** The owner's award for an order made with their code, and the tier change it brings. */
export function referrerAward(input: {
  campaign: Campaign;
  state: MemberState;
  eventKey: string;
  referral: ReferralExplain & { referrer: { memberId: string; points: number }; buyer: { memberId: string; username?: string | undefined } };
  status: LedgerStatus;
  occurredAt: Date;
}): ScoredEntry[] {
  const { campaign, state, eventKey, referral, status, occurredAt } = input;
  const points = referral.referrer.points;
  const buyer = referral.buyer.username === undefined ? referral.buyer.memberId : `@${referral.buyer.username}`;
  const award: ScoredEntry = {
    eventKey, ruleId: `${REFERRER_RULE_PREFIX}${referral.program}`, kind: 'bonus', points, status, occurredAt,
    reason: reason('REFERRER_BONUS', { points, code: referral.code, buyer }),
    explain: { conditions: [], limits: [], referral },
  };
  const tier = tierChangeEntry(campaign, state, [award], { eventKey, occurredAt });
  return tier ? [award, tier] : [award];
}
