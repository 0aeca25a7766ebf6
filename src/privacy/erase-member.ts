/**
 * src/privacy owns a person's rights over their data (GDPR, Saudi PDPL):
 * erasure and export. It is the one place that knows every store holding
 * personal data (see `PERSONAL_DATA` and the Redis steps), so it reads and
 * rewrites those stores directly. It never decides points: an erased
 * member's ledger entries move, unchanged in points, to an anonymous member,
 * so campaign figures stay right.
 *
 * An erasure runs as a member task in the member's queue partition: events
 * queued before the request are scored first and then erased with the rest,
 * and nothing of the member is scored while it runs. Each step is idempotent
 * and the order lets a retry finish what a crash interrupted; a second
 * erasure of the same member finds nothing left and changes nothing.
 */
import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Db } from 'mongodb';
import { z } from 'zod';
import type { CampaignRegistry } from '../config/campaign-registry.js';
import type { IngestQueue, MemberTask } from '../ingestion/ingest-queue.js';
import type { MemberTaskHandler } from '../scoring/member-task.js';
import type { MongoBlockList } from '../review/block-list.js';
import type { LedgerStore } from '../ledger/ledger-store.js';
import type { RedisMemberStates } from '../ledger/member-states.js';
import type { RedisRewardStock } from '../ledger/reward-stock.js';
import type { Logger } from '../log.js';
import type { RedisFraudHistory } from '../scoring/fraud-history.js';
import {
  eraseDecisions, eraseEvents, eraseFlags, eraseLedger, eraseMemberships, eraseRedemptions, eraseReviews, type ErasureScope,
} from './erase-documents.js';
import { moveMemberRecords, moveRewardUnits, removeIngestJobs } from './erase-redis.js';
import { ERASED_CODE, eraseReferrals, eraseVouchers, type ReferralErasureDeps } from './erase-referrals.js';
import type { Vouchers } from '../ledger/vouchers.js';
import type { Erasure, ErasureCounts, MongoErasureStore } from './erasure-store.js';
import { findMemberData, usernamesIn } from './member-data.js';
import { anonymousPerson, personOf } from './scrub.js';
import type { Tombstones } from './tombstones.js';
import type { WebhookDeliveries } from '../outbound/deliveries.js';
import { AFTER_EVERY_ENTRY } from '../outbound/outbound-event.js';
import type { RedisOutbox } from '../outbound/outbox.js';

export const ERASE_MEMBER_TASK = 'erase-member';

/** Member tasks name a campaign; an erasure spans them all. */
const ALL_CAMPAIGNS = '*';

export interface ErasureDeps extends ReferralErasureDeps {
  db: Db;
  redis: Redis;
  config: { NUQTA_QUEUE_PREFIX: string };
  campaigns: CampaignRegistry;
  ledger: Pick<LedgerStore, 'entriesAfter'>;
  states: RedisMemberStates;
  blocks: Pick<MongoBlockList, 'unblockEverywhere'>;
  clearances: { withdraw(campaignId: string, memberId: string): Promise<boolean> };
  stock: RedisRewardStock;
  fraudHistory: Pick<RedisFraudHistory, 'forget'>;
  erasures: MongoErasureStore;
  /** Brands' webhook endpoints hear of the erasure; the deliveries that named the member are erased with the rest. */
  outbound: { outbox: Pick<RedisOutbox, 'announce'>; deliveries: Pick<WebhookDeliveries, 'forgetMember'> };
  vouchers: Pick<Vouchers, 'moveMember'>;
  logger: Logger;
}

/** Records the request and queues the erasure; the job is dropped once done, since its data names the member. */
export async function requestErasure(
  deps: { queue: Pick<IngestQueue, 'enqueueMemberTask'>; erasures: MongoErasureStore; tombstones: Pick<Tombstones, 'bury'> },
  memberId: string,
): Promise<Erasure> {
  const person = personOf(memberId);
  const id = randomBytes(12).toString('hex');
  const now = new Date();
  // Buried first: an event that arrives while the erasure waits in the queue is not scored for the member.
  await deps.tombstones.bury(memberId, anonymousPerson(person.platform, id).platformUserId, now);
  const erasure = await deps.erasures.create(id, now);
  await deps.queue.enqueueMemberTask({ kind: ERASE_MEMBER_TASK, campaignId: ALL_CAMPAIGNS, memberId, payload: { erasureId: id } }, `erase-${id}`, { removeOnComplete: true });
  return erasure;
}

/** The member task handler: runs alone, between batches of the member's partition. */
export function erasureTaskHandler(deps: ErasureDeps): MemberTaskHandler {
  return { alone: (task) => eraseMember(deps, task) };
}

async function eraseMember(deps: ErasureDeps, task: MemberTask): Promise<string> {
  const { erasureId } = z.object({ erasureId: z.string().min(1) }).parse(task.payload);
  const erasure = await deps.erasures.get(erasureId);
  if (erasure?.status !== 'queued') return 'done before';
  const person = personOf(task.memberId);
  const anonymous = anonymousPerson(person.platform, erasureId);
  const data = await findMemberData(deps.db, deps.ledger, person);
  const scope: ErasureScope = { db: deps.db, person, anonymous, data };
  const prefix = deps.config.NUQTA_QUEUE_PREFIX;
  const campaignIds = [...new Set([...deps.campaigns.all.map((loaded) => loaded.campaign.id), ...data.memberships.map((membership) => membership.campaignId)])];

  // Order matters for retries: steps that need the member's names or
  // projections run before the steps that remove them.
  const identifiers = [...usernamesIn(data).flatMap((name) => [`@${name}`, name]), person.memberId, person.platformUserId];
  const referrals = await eraseReferrals(deps, scope, usernamesIn(data));
  const counts: ErasureCounts = {
    queueJobs: await removeIngestJobs(deps.redis, prefix, deps.queue, scope),
    reviews: await eraseReviews(scope, identifiers),
    flags: await eraseFlags(scope, identifiers),
    decisions: await eraseDecisions(scope),
    activityRecords: await deps.fraudHistory.forget(person, {
      mediaIds: data.events.flatMap((event) => (event.target.mediaId === undefined ? [] : [event.target.mediaId])),
      accountIds: data.events.map((event) => event.target.accountId),
      campaignIds,
    }),
    boardPlaces: await moveMemberRecords(deps.redis, prefix, deps.states, scope),
    rewardUnits: await moveRewardUnits(deps.stock, deps.campaigns, scope),
    ledgerEntries: await eraseLedger(scope, deps.erasures, erasureId, referrals.codes.map((code) => [code, ERASED_CODE] as const)),
    memberships: await eraseMemberships(scope),
    redemptions: await eraseRedemptions(scope),
    blocks: await deps.blocks.unblockEverywhere(person.memberId, campaignIds),
    clearances: (await Promise.all(campaignIds.map((campaignId) => deps.clearances.withdraw(campaignId, person.memberId)))).filter(Boolean).length,
    events: await eraseEvents(scope, new Set(deps.campaigns.all.flatMap((loaded) => loaded.campaign.hashtags))),
    webhookDeliveries: await deps.outbound.deliveries.forgetMember(person.memberId),
    vouchers: await eraseVouchers(deps.vouchers, scope),
    referralCodes: referrals.codes.length,
    referralOrders: referrals.orders,
  };
  const at = new Date();
  // The brand's systems are told which member to erase on their side (the one thing that still names them).
  await deps.outbound.outbox.announce(data.memberships.map((membership) => ({
    campaignId: membership.campaignId, memberId: person.memberId, type: 'member.erased' as const, key: erasureId, afterSeq: AFTER_EVERY_ENTRY, at, data: { erasureId },
  })));
  await deps.erasures.complete(erasureId, counts, at);
  // Logged by erasure id only: the log must not say who was erased.
  deps.logger.info({ erasureId, counts }, 'member data erased');
  return 'erased';
}
