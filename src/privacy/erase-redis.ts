/**
 * The Redis steps of an erasure: the member's finished ingest jobs (they
 * carry the raw events), their places on the leaderboards and the reward
 * units their redemptions hold. Recent-activity records are the fraud
 * history's to forget (`RedisFraudHistory.forget`).
 */
import type { Redis } from 'ioredis';
import type { CampaignRegistry } from '../config/campaign-registry.js';
import { partitionOf, type IngestQueue } from '../ingestion/ingest-queue.js';
import type { RedisRewardStock } from '../ledger/reward-stock.js';
import { leaderboardKey } from '../leaderboard/leaderboard-index.js';
import { boardsOf } from '../leaderboard/standings.js';
import { REWARD_RULE_PREFIX } from '../scoring/rules/index.js';
import type { ErasureScope } from './erase-documents.js';
import { replaceEverywhere } from './scrub.js';

/**
 * Job ids are eventKeys and a member's jobs all ride in their partition. The
 * erasure runs in that partition, so none of them is active meanwhile.
 */
export async function removeIngestJobs(queue: Pick<IngestQueue, 'partitions'>, { person, data }: ErasureScope): Promise<number> {
  const partition = queue.partitions[partitionOf(person.memberId)];
  if (!partition) return 0;
  const eventKeys = new Set([...data.events.map((event) => event.eventKey), ...data.memberships.flatMap((membership) => membership.facts.map((fact) => fact.eventKey))]);
  let removed = 0;
  for (const eventKey of eventKeys) {
    if (await partition.getJob(eventKey)) removed += await partition.remove(eventKey);
  }
  return removed;
}

/** The anonymous member takes the erased member's exact score, so ranks and ties do not move. */
export async function moveBoardPlaces(redis: Redis, prefix: string, campaigns: CampaignRegistry, { person, anonymous, data }: ErasureScope): Promise<number> {
  let moved = 0;
  for (const membership of data.memberships) {
    const loaded = campaigns.find(membership.campaignId);
    const boards = new Set(['all', ...(loaded ? membership.facts.flatMap((fact) => boardsOf(fact, loaded.campaign)) : [])]);
    for (const board of boards) {
      const key = leaderboardKey(prefix, membership.campaignId, board);
      const score = await redis.zscore(key, person.memberId);
      if (score === null) continue;
      await redis.multi().zadd(key, score, anonymous.memberId).zrem(key, person.memberId).exec();
      moved += 1;
    }
  }
  return moved;
}

/** A redemption's unit is held under its eventKey, which names the member: it moves to the anonymized key. */
export async function moveRewardUnits(stock: RedisRewardStock, campaigns: CampaignRegistry, { person, anonymous, data }: ErasureScope): Promise<number> {
  let moved = 0;
  for (const membership of data.memberships) {
    const campaign = campaigns.find(membership.campaignId)?.campaign;
    for (const fact of membership.facts) {
      if (fact.kind !== 'redeem' || !fact.ruleId.startsWith(REWARD_RULE_PREFIX) || !fact.eventKey.includes(person.memberId)) continue;
      const reward = campaign?.rewards.find((candidate) => `${REWARD_RULE_PREFIX}${candidate.id}` === fact.ruleId);
      if (!campaign || reward?.stock === undefined) continue;
      const holders = await stock.holders(campaign.id, reward.id);
      if (!holders?.includes(fact.eventKey)) continue;
      const holder = replaceEverywhere(fact.eventKey, person.memberId, anonymous.memberId);
      // Take the new key before freeing the old one; only a sold-out reward needs the old unit freed first.
      if (!(await stock.take(campaign.id, reward, holder))) {
        await stock.release(campaign.id, reward, fact.eventKey);
        await stock.take(campaign.id, reward, holder);
      }
      await stock.release(campaign.id, reward, fact.eventKey);
      moved += 1;
    }
  }
  return moved;
}
