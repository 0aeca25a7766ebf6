/**
 * src/outbound tells a brand's other systems what happened to their members:
 * events derived from what the ledger writer commits (points earned, a tier
 * reached, a reward unlocked or redeemed) and what member tasks announce (a
 * flag decided, points about to expire, a member erased), delivered to the
 * endpoints the brand registered, signed, retried and logged. It never
 * decides points and never slows scoring: the writer only appends to an
 * outbox stream, and delivery runs in a queue of its own.
 */
import { createHash } from 'node:crypto';
import type { CampaignReward } from '../config/campaign-schema.js';
import { isAward, REWARD_RULE_PREFIX, TIER_RULE_PREFIX } from '../domain/ledger.js';
import type { OutboundEventType } from '../domain/outbound-events.js';
import type { Announcement, WrittenEntry } from '../ledger/ledger-writer.js';


/** What a receiver gets, as JSON: `id` is the same on every delivery and retry of the event. */
export interface OutboundEvent {
  id: string;
  type: OutboundEventType;
  campaignId: string;
  memberId: string;
  createdAt: string;
  data: Record<string, unknown>;
}

/** An event on its way to the outbox: `order` sorts one member's events (their ledger seq, then the event within it). */
export interface OutboxItem {
  event: OutboundEvent;
  order: number;
}

/** Orders an announcement after every entry a member can have (an erasure: nothing comes after it). */
export const AFTER_EVERY_ENTRY = 2 ** 40;

/** Events within one ledger seq: up to this many (earned, tier, unlocked…, then announcements). */
const PER_SEQ = 64;

export function outboundEventId(campaignId: string, memberId: string, type: OutboundEventType, key: string): string {
  return `evt_${createHash('sha256').update(`${campaignId}\u0000${memberId}\u0000${type}\u0000${key}`).digest('hex').slice(0, 32)}`;
}

export function orderOf(seq: number, index: number): number {
  return seq * PER_SEQ + Math.min(index, PER_SEQ - 1);
}

/** The events one written (or approved) entry gives: points earned, a tier reached, a reward redeemed, rewards now within reach. */
export function eventsOfEntry(entry: WrittenEntry, rewards: readonly CampaignReward[]): OutboxItem[] {
  if (entry.status !== 'posted') return [];
  const { campaignId, memberId, seq } = entry;
  const member = { memberId, ...(entry.username ? { username: entry.username } : {}) };
  const items: OutboundEvent[] = [];
  const event = (type: OutboundEventType, key: string, data: Record<string, unknown>): void => {
    items.push({ id: outboundEventId(campaignId, memberId, type, key), type, campaignId, memberId, createdAt: entry.createdAt.toISOString(), data: { ...member, ...data } });
  };
  if (isAward(entry) && entry.points > 0) {
    event('points.earned', `${seq}`, { points: entry.points, ruleId: entry.ruleId, eventKey: entry.eventKey, balance: entry.balanceAfter, reason: entry.reason, seq });
  }
  if (entry.kind === 'adjust' && entry.ruleId.startsWith(TIER_RULE_PREFIX)) {
    event('tier.reached', `${seq}`, { tierId: entry.ruleId.slice(TIER_RULE_PREFIX.length), reason: entry.reason, seq });
  }
  if (entry.kind === 'redeem' && entry.ruleId.startsWith(REWARD_RULE_PREFIX)) {
    event('reward.redeemed', `${seq}`, { rewardId: entry.ruleId.slice(REWARD_RULE_PREFIX.length), points: -entry.points, balance: entry.balanceAfter, eventKey: entry.eventKey, seq });
  }
  for (const reward of rewards) {
    if (entry.balanceBefore < reward.cost && entry.balanceAfter >= reward.cost) {
      event('reward.unlocked', `${seq}:${reward.id}`, { rewardId: reward.id, name: reward.name, cost: reward.cost, balance: entry.balanceAfter, seq });
    }
  }
  return items.map((item, index) => ({ event: item, order: orderOf(seq, index) }));
}

/** An announcement a member task made (a flag decided, points expiring, an erasure), ordered after the member's last entry. */
export function eventOfAnnouncement(input: Announcement, index: number): OutboxItem {
  const { campaignId, memberId, type, key, afterSeq, at, data } = input;
  return {
    event: { id: outboundEventId(campaignId, memberId, type, key), type, campaignId, memberId, createdAt: at.toISOString(), data },
    order: orderOf(afterSeq, PER_SEQ / 2 + index),
  };
}
