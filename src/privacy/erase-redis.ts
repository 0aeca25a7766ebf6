/**
 * The Redis steps of an erasure: the member's finished ingest jobs (they
 * carry the raw events), their member records, their places and names on
 * the leaderboards, and the reward units their redemptions hold.
 * Recent-activity records are the fraud history's to forget
 * (`RedisFraudHistory.forget`).
 */
import type { Redis } from 'ioredis';
import type { CampaignRegistry } from '../config/campaign-registry.js';
import { REWARD_RULE_PREFIX } from '../domain/ledger.js';
import { partitionOf, type IngestQueue } from '../ingestion/ingest-queue.js';
import type { RedisMemberStates } from '../ledger/member-states.js';
import type { RedisRewardStock } from '../ledger/reward-stock.js';
import { leaderboardKey, leaderboardNamesKey } from '../leaderboard/leaderboard-index.js';
import { redemptionEventKey, redemptionTaskId } from '../scoring/redemption.js';
import type { ErasureScope } from './erase-documents.js';
import { replaceEverywhere } from './scrub.js';

/**
 * A member's jobs all ride in their partition: their events (job id = the
 * eventKey) and their redemptions (job id derived from the request). The
 * erasure runs in that partition, so none of them is active meanwhile. The
 * partition's event stream (what happened to each job, with results such as
 * a redemption's receipt) loses its entries about them too.
 */
export async function removeIngestJobs(redis: Redis, prefix: string, queue: Pick<IngestQueue, 'partitions'>, { person, data }: ErasureScope): Promise<number> {
  const partition = queue.partitions[partitionOf(person.memberId)];
  if (!partition) return 0;
  const redemptionJobs = data.memberships.flatMap((membership) => membership.entries
    .filter((entry) => entry.kind === 'redeem' && entry.eventKey.startsWith(redemptionEventKey(person.memberId, '')))
    .map((entry) => redemptionTaskId({ campaignId: membership.campaignId, memberId: person.memberId, idempotencyKey: entry.eventKey.slice(redemptionEventKey(person.memberId, '').length) })));
  const jobIds = new Set([
    ...data.events.map((event) => event.eventKey),
    ...data.memberships.flatMap((membership) => membership.entries.map((entry) => entry.eventKey)),
    ...redemptionJobs,
  ]);
  let removed = 0;
  for (const jobId of jobIds) {
    if (await partition.getJob(jobId)) removed += await partition.remove(jobId);
  }
  await scrubJobEvents(redis, `${prefix}:${partition.name}:events`, [person.memberId, person.platformUserId, ...jobIds]);
  return removed;
}

/** Deletes the stream entries that name any of `needles` (job ids, the member's ids). */
async function scrubJobEvents(redis: Redis, stream: string, needles: readonly string[]): Promise<void> {
  const wanted = needles.filter((needle) => needle.length > 0);
  let start = '-';
  for (;;) {
    const page = await redis.xrange(stream, start, '+', 'COUNT', 1_000);
    const naming = page.filter(([, fields]) => fields.some((field) => wanted.some((needle) => field.includes(needle)))).map(([id]) => id);
    if (naming.length > 0) await redis.xdel(stream, ...naming);
    const last = page.at(-1);
    if (!last || page.length < 1_000) return;
    start = `(${last[0]}`;
  }
}

/**
 * The member record moves to the anonymous member, under a pseudonym, with
 * the exact places on every board it stands on, so ranks and ties do not
 * move; the name beside the boards goes. Returns the board places moved.
 */
export async function moveMemberRecords(redis: Redis, prefix: string, states: RedisMemberStates, { person, anonymous, data }: ErasureScope): Promise<number> {
  let moved = 0;
  for (const membership of data.memberships) {
    const { campaignId } = membership;
    const record = await states.get(campaignId, person.memberId);
    const boards = ['all', ...Object.keys(record?.state.boards ?? {})];
    for (const board of new Set(boards)) {
      const key = leaderboardKey(prefix, campaignId, board);
      const score = await redis.zscore(key, person.memberId);
      if (score === null) continue;
      await redis.multi().zadd(key, score, anonymous.memberId).zrem(key, person.memberId).exec();
      moved += 1;
    }
    const pipeline = redis.pipeline();
    if (record) {
      const { username: _username, ...rest } = record;
      states.queuePut(pipeline, {
        ...rest, memberId: anonymous.memberId, platformUserId: anonymous.platformUserId, hideName: true,
        state: replaceEverywhere(record.state, person.memberId, anonymous.memberId),
      });
      states.queueDelete(pipeline, campaignId, person.memberId);
    }
    pipeline.hdel(leaderboardNamesKey(prefix, campaignId), person.memberId);
    await pipeline.exec();
  }
  return moved;
}

/** A redemption's unit is held under its eventKey, which names the member: it moves to the anonymized key. */
export async function moveRewardUnits(stock: RedisRewardStock, campaigns: CampaignRegistry, { person, anonymous, data }: ErasureScope): Promise<number> {
  let moved = 0;
  for (const membership of data.memberships) {
    const campaign = campaigns.find(membership.campaignId)?.campaign;
    for (const entry of membership.entries) {
      if (entry.kind !== 'redeem' || !entry.ruleId.startsWith(REWARD_RULE_PREFIX) || !entry.eventKey.includes(person.memberId)) continue;
      const reward = campaign?.rewards.find((candidate) => `${REWARD_RULE_PREFIX}${candidate.id}` === entry.ruleId);
      if (!campaign || reward?.stock === undefined) continue;
      const holders = await stock.holders(campaign.id, reward.id);
      if (!holders?.includes(entry.eventKey)) continue;
      const holder = replaceEverywhere(entry.eventKey, person.memberId, anonymous.memberId);
      // Take the new key before freeing the old one; only a sold-out reward needs the old unit freed first.
      if (!(await stock.take(campaign.id, reward, holder))) {
        await stock.release(campaign.id, reward, entry.eventKey);
        await stock.take(campaign.id, reward, holder);
      }
      await stock.release(campaign.id, reward, entry.eventKey);
      moved += 1;
    }
  }
  return moved;
}
