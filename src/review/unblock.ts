/**
 * Taking a member off the block list (of one campaign, or of every campaign)
 * reconsiders their open flags there: a flag whose score falls below the
 * campaign's hold line without the block is approved by `system`; the others
 * stay for a reviewer, as do the flags of a campaign where another block of
 * the member still stands.
 */
import type { CampaignRegistry } from '../config/campaign-registry.js';
import type { EventStore } from '../ingestion/event-store.js';
import type { IngestQueue } from '../ingestion/ingest-queue.js';
import type { RedisMemberStates } from '../ledger/member-states.js';
import { fraudListsFor, listKeysOf } from '../scoring/fraud/index.js';
import { blockKeyOf, type BlockRef, type MongoBlockList } from './block-list.js';
import { queueDecision } from './decide-flag.js';
import type { FlagStore } from './flag-store.js';
import { flagIdOf, heldEvents, SYSTEM_REVIEWER, verdictWithoutBlock } from './flags.js';

export interface UnblockDeps {
  campaigns: CampaignRegistry;
  states: Pick<RedisMemberStates, 'get'>;
  events: Pick<EventStore, 'get'>;
  flags: FlagStore;
  queue: Pick<IngestQueue, 'enqueueMemberTask'>;
  blocks: Pick<MongoBlockList, 'blockedAmong'>;
}

/**
 * Queues a system approval for each open flag of the member that only the
 * block held. The member records say which events are held (a key read per
 * campaign, no scan of `flags`). Returns the ids of the flags queued.
 */
export async function reconsiderAfterUnblock(deps: UnblockDeps, unblocked: BlockRef): Promise<string[]> {
  const { memberId } = unblocked;
  const campaigns = deps.campaigns.all.map(({ campaign }) => campaign).filter((campaign) => unblocked.campaignId === undefined || campaign.id === unblocked.campaignId);
  const stillBlocked = await deps.blocks.blockedAmong(campaigns.map((campaign) => ({ campaignId: campaign.id, memberId })));
  const queued: string[] = [];
  for (const campaign of campaigns) {
    if (stillBlocked.has(blockKeyOf({ campaignId: campaign.id, memberId }))) continue;
    const member = await deps.states.get(campaign.id, memberId);
    if (!member) continue;
    const lists = fraudListsFor(campaign);
    for (const eventKey of heldEvents(member.state)) {
      const flag = await deps.flags.get(flagIdOf(campaign.id, eventKey));
      if (flag?.status !== 'open' || !flag.reasons.includes('blocked_member')) continue;
      // The campaign file may block the member too, by id or by @username.
      const event = await deps.events.get(eventKey);
      const keys = event ? listKeysOf(event) : [memberId];
      const verdict = verdictWithoutBlock(flag, campaign.fraud, keys.some((key) => lists.blocked.has(key)));
      if (verdict.decision !== 'allow') continue;
      await queueDecision(deps.queue, flag, {
        flagId: flag.id,
        decision: 'approve',
        by: SYSTEM_REVIEWER,
        note: `Unblocked: the fraud score without the block is ${verdict.score}, below the hold line ${campaign.fraud.hold_at}`,
      });
      queued.push(flag.id);
    }
  }
  return queued;
}
