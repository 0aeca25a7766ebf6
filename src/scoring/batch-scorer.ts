/**
 * Scores one partition's batch of jobs (events and member tasks) in queue
 * order, with every guarantee of scoring them one at a time: each event is
 * stored once and decided once per campaign, each member's events and tasks
 * see the member state as the previous ones left it, and the fraud scorer
 * sees the batch's earlier events. The reads happen up front (raw events in
 * one insert, member records from Redis with one key probe of the ledger
 * each, the fraud history in two round trips); the writes at the end, in one
 * commit (ledger/ledger-writer.ts). A failed commit fails the batch's jobs
 * (BullMQ retries them) and forgets its members, so the retry reads them
 * back from the stores and finishes what the cut-short commit began.
 */
import type { CampaignCatalog } from '../config/campaign-catalog.js';
import type { CampaignRegistry } from '../config/campaign-registry.js';
import type { LoadedCampaign } from '../config/campaign-loader.js';
import { engagementEventSchema, memberIdOf, platformSchema, type EngagementEvent } from '../domain/event.js';
import { isNuqtaError, NuqtaError } from '../errors.js';
import type { FraudSignalCode } from '../domain/fraud-codes.js';
import type { EventStore } from '../ingestion/event-store.js';
import type { IngestJob, IngestQueue, MemberTask } from '../ingestion/ingest-queue.js';
import type { BatchHandler, JobOutcome } from '../ingestion/partition-consumer.js';
import type { LedgerStore } from '../ledger/ledger-store.js';
import type { LedgerWriter, MemberBook } from '../ledger/ledger-writer.js';
import { MemberLoader, type LoadedMember, type MemberSighting } from '../ledger/member-loader.js';
import type { RedisMemberStates } from '../ledger/member-states.js';
import type { RedemptionStore } from '../ledger/redemption-store.js';
import type { Vouchers } from '../ledger/vouchers.js';
import type { ReferralCounters } from '../referrals/code-uses.js';
import type { ReferralCodes } from '../referrals/codes.js';
import type { ReferralOrders } from '../referrals/orders.js';
import type { MemberDirectory } from '../ledger/member-directory.js';
import type { Logger } from '../log.js';
import type { Metrics } from '../metrics.js';
import { blockKeyOf, type MongoBlockList } from '../review/block-list.js';
import type { MongoClearances } from '../review/clearances.js';
import type { FlagStore } from '../review/flag-store.js';
import { BatchHistory, type HistoryItem } from './batch-history.js';
import { BatchRecords } from './batch-records.js';
import type { MongoDecisionStore } from './decision-store.js';
import { takeEventTurn, UNJUDGED_KINDS } from './event-turn.js';
import type { RedisFraudHistory } from './fraud-history.js';
import type { MemberTaskHandler } from './member-task.js';
import { standInEvent } from '../privacy/scrub.js';
import type { Tombstones } from '../privacy/tombstones.js';
import { recoverCutShort } from './recovery.js';

export interface BatchScorerDeps {
  campaigns: CampaignRegistry;
  /** Looked at before each batch, so an event accepted after a campaign change is scored with it. */
  catalog: Pick<CampaignCatalog, 'refresh'>;
  /** Looked at before each batch too, so entries of a campaign that just got a webhook endpoint reach its outbox. */
  outbound: { endpoints: { refresh(): Promise<void> } };
  events: Pick<EventStore, 'insert'>;
  decisions: MongoDecisionStore;
  ledger: LedgerStore;
  states: RedisMemberStates;
  directory: Pick<MemberDirectory, 'get'>;
  writer: LedgerWriter;
  fraudHistory: RedisFraudHistory;
  blocks: Pick<MongoBlockList, 'blockedAmong'>;
  clearances: Pick<MongoClearances, 'clearedAmong'>;
  flags: Pick<FlagStore, 'hold'>;
  tombstones: Pick<Tombstones, 'buriedAmong'>;
  redemptions: Pick<RedemptionStore, 'remember'>;
  vouchers: Pick<Vouchers, 'queueIssued' | 'recordIssued' | 'queueStatus' | 'recordStatus'>;
  /** Paid orders: the codes they name, the codes' counters, the attribution records. */
  referralCodes: Pick<ReferralCodes, 'get'>;
  referralCounters: Pick<ReferralCounters, 'count'>;
  referralOrders: Pick<ReferralOrders, 'record' | 'get' | 'markRefunded'>;
  tasks: ReadonlyMap<string, MemberTaskHandler>;
  /** Member tasks a batch queues for other members (the reviews of a recognised wave, a code owner's award). */
  queue: Pick<IngestQueue, 'enqueueMemberTasks'>;
  metrics: Metrics;
  logger: Logger;
  clock?: () => Date;
}

type Step =
  | { kind: 'event'; index: number; event: EngagementEvent; campaigns: LoadedCampaign[] }
  | { kind: 'task'; index: number; task: MemberTask; handler: MemberTaskHandler; loaded: LoadedCampaign | undefined };

/** A member task's permanent refusal, kept as its own job's outcome. */
class TaskRefusal {
  constructor(readonly error: NuqtaError) {}
}

export class BatchScorer implements BatchHandler {
  private readonly loader: MemberLoader;

  constructor(private readonly deps: BatchScorerDeps) {
    this.loader = new MemberLoader({ ledger: deps.ledger, states: deps.states, directory: deps.directory });
  }

  /** Forgets every kept member (the partition was let go: another owner may write them now). */
  forget(): void {
    this.loader.clear();
  }

  async score(jobs: readonly IngestJob[], ownership: () => void): Promise<JobOutcome[]> {
    await Promise.all([this.deps.catalog.refresh(), this.deps.outbound.endpoints.refresh()]);
    const outcomes: JobOutcome[] = new Array<JobOutcome>(jobs.length);
    const steps: Step[] = [];
    const seen = new Set<string>();
    jobs.forEach((job, index) => {
      const step = this.stepOf(job, index);
      if ('error' in step) {
        outcomes[index] = { ok: false, error: step.error };
      } else if (step.kind === 'event' && seen.has(step.event.eventKey)) {
        // The same event twice in one batch is decided once.
        outcomes[index] = { ok: true, value: 'duplicate' };
      } else {
        if (step.kind === 'event') seen.add(step.event.eventKey);
        steps.push(step);
      }
    });
    // Work that runs alone splits the batch; the rest goes in segments with one commit each.
    let segment: Step[] = [];
    for (const step of steps) {
      if (step.kind === 'task' && 'alone' in step.handler) {
        await this.scoreSegment(segment, outcomes, ownership);
        segment = [];
        ownership();
        await this.runAlone(step, step.handler.alone, outcomes);
      } else {
        segment.push(step);
      }
    }
    await this.scoreSegment(segment, outcomes, ownership);
    return outcomes;
  }

  private stepOf(job: IngestJob, index: number): Step | { error: Error } {
    if ('task' in job) {
      const handler = this.deps.tasks.get(job.task.kind);
      if (!handler) return { error: new NuqtaError('NUQTA_BAD_PAYLOAD', `no handler for member task "${job.task.kind}"`) };
      if (!platformSchema.safeParse(job.task.memberId.split(':')[0]).success) {
        return { error: new NuqtaError('NUQTA_BAD_PAYLOAD', `member task "${job.task.kind}" names no member ("${job.task.memberId}")`) };
      }
      return { kind: 'task', index, task: job.task, handler, loaded: this.deps.campaigns.find(job.task.campaignId) };
    }
    // Job data went through JSON: revive dates and re-check the shape.
    const parsed = engagementEventSchema.safeParse(job.event);
    if (!parsed.success) {
      const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ');
      return { error: new NuqtaError('NUQTA_BAD_PAYLOAD', `event does not match the canonical shape: ${problems}`) };
    }
    return { kind: 'event', index, event: parsed.data, campaigns: this.deps.campaigns.matching(parsed.data) };
  }

  private async runAlone(step: Step & { kind: 'task' }, alone: (task: MemberTask) => Promise<unknown>, outcomes: JobOutcome[]): Promise<void> {
    try {
      outcomes[step.index] = { ok: true, value: await alone(step.task) };
    } catch (error) {
      outcomes[step.index] = { ok: false, error };
    } finally {
      for (const { campaign } of this.deps.campaigns.all) this.loader.forget(campaign.id, step.task.memberId);
    }
  }

  private async scoreSegment(steps: readonly Step[], outcomes: JobOutcome[], ownership: () => void): Promise<void> {
    if (steps.length === 0) return;
    const touched: { campaignId: string; memberId: string }[] = [];
    try {
      const values = await this.scoreAndCommit(steps, touched, ownership);
      for (const step of steps) {
        const value = values.get(step.index);
        outcomes[step.index] = value instanceof TaskRefusal ? { ok: false, error: value.error } : { ok: true, value };
      }
    } catch (error) {
      for (const { campaignId, memberId } of touched) this.loader.forget(campaignId, memberId);
      for (const step of steps) outcomes[step.index] = { ok: false, error };
    }
  }

  private async scoreAndCommit(given: readonly Step[], touched: { campaignId: string; memberId: string }[], ownership: () => void): Promise<Map<number, unknown>> {
    const { deps } = this;
    const now = deps.clock?.() ?? new Date();
    const values = new Map<number, unknown>();
    const steps = await this.afterErasures(given, values);
    const events = steps.flatMap((step) => (step.kind === 'event' ? [step.event] : []));
    const fresh = await deps.events.insert(events);
    deps.metrics.eventsStored.inc({ outcome: 'stored' }, fresh.size);
    deps.metrics.eventsStored.inc({ outcome: 'duplicate' }, events.length - fresh.size);

    // Who is needed, per campaign, in order.
    const sightings = new Map<string, Map<string, MemberSighting>>();
    const need = (loaded: LoadedCampaign, sighting: MemberSighting): void => {
      const members = sightings.get(loaded.campaign.id) ?? new Map<string, MemberSighting>();
      if (!members.has(sighting.memberId)) members.set(sighting.memberId, sighting);
      sightings.set(loaded.campaign.id, members);
      touched.push({ campaignId: loaded.campaign.id, memberId: sighting.memberId });
    };
    for (const step of steps) {
      if (step.kind === 'event') for (const loaded of step.campaigns) need(loaded, sightingOf(step.event));
      else if (step.loaded) need(step.loaded, taskSighting(step.task));
    }
    const loadedMembers = new Map<string, Map<string, LoadedMember>>();
    await Promise.all([...sightings].map(async ([campaignId, members]) => {
      loadedMembers.set(campaignId, await this.loader.load(deps.campaigns.get(campaignId), [...members.values()], now));
    }));

    const ledger = deps.writer.batch();
    const records = new BatchRecords();
    const decided = await recoverCutShort({ decisions: deps.decisions, campaigns: deps.campaigns, redemptions: deps.redemptions, vouchers: deps.vouchers, queue: deps.queue }, loadedMembers, records);
    // A member caught up from the ledger is written back now, even when all their events were decided before.
    for (const [campaignId, members] of loadedMembers) {
      for (const member of members.values()) if (member.rebuilt || member.recovered.length > 0) ledger.open(deps.campaigns.get(campaignId), member);
    }
    // An event stored before this batch may have been decided already (a retry, a redelivery): never twice.
    const toDecide = await this.undecided(steps, fresh, decided);

    const historyItems: (HistoryItem & { step: number })[] = [];
    for (const step of steps) {
      if (step.kind !== 'event') continue;
      for (const loaded of step.campaigns) {
        historyItems.push({ event: step.event, campaign: loaded.campaign, step: step.index, judged: toDecide.has(decisionKey(loaded, step.event)) && !UNJUDGED_KINDS.has(step.event.kind) });
      }
    }
    const [history, blocked, cleared] = await Promise.all([
      BatchHistory.load(deps.fraudHistory, historyItems),
      deps.blocks.blockedAmong(historyItems.filter((item) => item.judged).map((item) => ({ campaignId: item.campaign.id, memberId: memberIdOf(item.event.platform, item.event.actor.platformUserId) }))),
      this.clearancesOf(historyItems, now),
    ]);

    const bookOf = (loaded: LoadedCampaign, memberId: string): MemberBook | undefined => {
      const member = loadedMembers.get(loaded.campaign.id)?.get(memberId);
      return member && ledger.open(loaded, member);
    };
    let item = 0;
    for (const step of steps) {
      let decidedNow = 0;
      if (step.kind === 'task') {
        if (!step.loaded || !('inBatch' in step.handler)) continue;
        const member = loadedMembers.get(step.loaded.campaign.id)?.get(step.task.memberId);
        const book = member && !member.isNew ? ledger.open(step.loaded, member) : undefined;
        try {
          values.set(step.index, await step.handler.inBatch({ now, loaded: step.loaded, book, ledger, records }, step.task));
        } catch (error) {
          // A task refused for good (an unknown member or reward) fails alone; the events batched with it are scored as ever.
          if (!isNuqtaError(error) || error.retryable) throw error;
          values.set(step.index, new TaskRefusal(error));
        }
        continue;
      }
      for (const loaded of step.campaigns) {
        const index = item;
        item += 1;
        if (!toDecide.has(decisionKey(loaded, step.event))) continue;
        const memberId = memberIdOf(step.event.platform, step.event.actor.platformUserId);
        const book = bookOf(loaded, memberId);
        if (!book) throw new Error(`member ${memberId} of campaign ${loaded.campaign.id} was not loaded`);
        if (step.event.actor.username !== undefined) ledger.rename(book, step.event.actor.username);
        const judged = historyItems[index]?.judged === true;
        decidedNow += 1;
        await takeEventTurn(deps, {
          event: step.event, loaded, book, blocked: blocked.has(blockKeyOf({ campaignId: loaded.campaign.id, memberId })),
          cleared: cleared.get(loaded.campaign.id)?.get(memberId) ?? new Set(),
          ...(judged ? { history: history.sourceFor(index) } : {}),
        }, { ledger, records, now });
      }
      values.set(step.index, step.campaigns.length === 0 ? 'no campaign' : decidedNow > 0 ? 'scored' : 'decided before');
    }

    ownership();
    await ledger.commit({
      afterLedger: () => records.write({ decisions: deps.decisions, flags: deps.flags, onFlagOpened: (campaign) => deps.metrics.flagsOpened.inc({ campaign }) }),
      pipeline: (pipeline) => {
        records.queuePipeline(pipeline);
        // Every event joins the recent-activity windows, decided now or before (remembering again changes nothing).
        const campaignsOf = new Map<string, { event: EngagementEvent; campaignIds: string[] }>();
        for (const { event, campaign } of historyItems) {
          const known = campaignsOf.get(event.eventKey) ?? { event, campaignIds: [] };
          known.campaignIds.push(campaign.id);
          campaignsOf.set(event.eventKey, known);
        }
        deps.fraudHistory.queueRemember(pipeline, [...campaignsOf.values()]);
      },
    });
    return values;
  }

  /**
   * Events of erased members: dropped (their job answers `erased member`),
   * or, for campaigns that count them anonymously, handed on as their
   * stand-in's, without handle, text or profile.
   */
  private async afterErasures(steps: readonly Step[], values: Map<number, unknown>): Promise<Step[]> {
    const actorOf = (event: EngagementEvent): string => memberIdOf(event.platform, event.actor.platformUserId);
    const buried = await this.deps.tombstones.buriedAmong([...new Set(steps.flatMap((step) => (step.kind === 'event' ? [actorOf(step.event)] : [])))]);
    if (buried.size === 0) return [...steps];
    return steps.flatMap((step): Step[] => {
      const standIn = step.kind === 'event' ? buried.get(actorOf(step.event)) : undefined;
      if (step.kind !== 'event' || standIn === undefined) return [step];
      const campaigns = step.campaigns.filter(({ campaign }) => campaign.privacy.after_erasure === 'anonymous');
      if (campaigns.length === 0) {
        values.set(step.index, 'erased member');
        return [];
      }
      return [{ ...step, event: standInEvent(step.event, standIn), campaigns }];
    });
  }

  /** The (campaign, event) pairs still to decide: new events, and stored ones without a decision. */
  private async undecided(steps: readonly Step[], fresh: ReadonlySet<string>, decided: ReadonlySet<string>): Promise<Set<string>> {
    const pending = new Set<string>();
    const toCheck: { loaded: LoadedCampaign; event: EngagementEvent }[] = [];
    for (const step of steps) {
      if (step.kind !== 'event') continue;
      for (const loaded of step.campaigns) {
        const key = decisionKey(loaded, step.event);
        if (decided.has(key)) continue;
        if (fresh.has(step.event.eventKey)) pending.add(key);
        else toCheck.push({ loaded, event: step.event });
      }
    }
    await Promise.all(toCheck.map(async ({ loaded, event }) => {
      if (!(await this.deps.decisions.get(loaded.campaign.id, event.eventKey))) pending.add(decisionKey(loaded, event));
    }));
    return pending;
  }

  private async clearancesOf(items: readonly HistoryItem[], now: Date): Promise<Map<string, Map<string, ReadonlySet<FraudSignalCode>>>> {
    const byCampaign = new Map<string, Set<string>>();
    for (const item of items) {
      if (!item.judged) continue;
      const members = byCampaign.get(item.campaign.id) ?? new Set<string>();
      byCampaign.set(item.campaign.id, members.add(memberIdOf(item.event.platform, item.event.actor.platformUserId)));
    }
    return new Map(await Promise.all([...byCampaign].map(async ([campaignId, members]) => [campaignId, await this.deps.clearances.clearedAmong(campaignId, [...members], now)] as const)));
  }
}

export function decisionKey(loaded: LoadedCampaign, event: EngagementEvent): string {
  return `${loaded.campaign.id}|${event.eventKey}`;
}

function sightingOf(event: EngagementEvent): MemberSighting {
  return {
    memberId: memberIdOf(event.platform, event.actor.platformUserId),
    platform: event.platform,
    platformUserId: event.actor.platformUserId,
    ...(event.actor.username === undefined ? {} : { username: event.actor.username }),
  };
}

/** A member id is `platform:platformUserId` (checked when the step was read). */
function taskSighting(task: MemberTask): MemberSighting {
  const colon = task.memberId.indexOf(':');
  return { memberId: task.memberId, platform: platformSchema.parse(task.memberId.slice(0, colon)), platformUserId: task.memberId.slice(colon + 1) };
}
