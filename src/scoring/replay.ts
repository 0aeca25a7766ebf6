/**
 * `nuqta replay`: re-scores a campaign's stored events against the current
 * campaign file with the pure rules engine, member by member from an empty
 * state, and shows where the ledger differs. The events and the ledger are
 * each read in one pass ordered by member. With `apply`, each differing
 * member gets a member task in their partition that writes the `adjust`
 * entries (ruleId `replay:<revision>`) making the totals agree; an
 * adjustment already written is not written again.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { z } from 'zod';
import type { LoadedCampaign } from '../config/campaign-loader.js';
import { memberIdOf, type EngagementEvent } from '../domain/event.js';
import type { EventStore } from '../ingestion/event-store.js';
import type { IngestQueue, QueuedTask } from '../ingestion/ingest-queue.js';
import type { EntryDecision, LedgerEntry } from '../ledger/entry.js';
import type { LedgerStore } from '../ledger/ledger-store.js';
import type { MemberDirectory } from '../ledger/member-directory.js';
import type { MemberTaskHandler } from './member-task.js';
import { entriesAbout, type EventEntriesDeps } from './event-entries.js';
import { replayAdjustments, replayMember, type MemberReplay } from './replay-diff.js';
import { countTaskDone, runDone } from './task-runs.js';

export const REPLAY_TASK = 'replay';

export interface ReplayReport {
  campaignId: string;
  revision: string;
  members: number;
  events: number;
  /** Members whose points differ, with the events that differ. */
  differences: MemberReplay[];
  applied: boolean;
  /** Adjust entries written (apply only). */
  written: number;
}

export interface ReplayOptions {
  apply: boolean;
  onProgress?: (members: number, total: number) => void;
}

export interface ReplayDeps {
  events: Pick<EventStore, 'forCampaign'>;
  ledger: Pick<LedgerStore, 'campaignEntries'>;
  directory: Pick<MemberDirectory, 'count'>;
  queue: Pick<IngestQueue, 'enqueueMemberTasks'>;
  redis: Redis;
  config: { NUQTA_QUEUE_PREFIX: string };
}

const adjustmentSchema = z.object({
  eventKey: z.string(),
  ruleId: z.string(),
  kind: z.literal('adjust'),
  points: z.number().int(),
  status: z.literal('posted'),
  occurredAt: z.coerce.date(),
  reason: z.object({ code: z.string(), text: z.object({ en: z.string(), ar: z.string() }) }),
  explain: z.record(z.unknown()),
});
const replayPayload = z.object({ runId: z.string(), adjustments: z.array(adjustmentSchema) });

export async function replayCampaign(deps: ReplayDeps, loaded: LoadedCampaign, options: ReplayOptions): Promise<ReplayReport> {
  const { campaign, revision } = loaded;
  const total = await deps.directory.count(campaign.id);
  const report: ReplayReport = { campaignId: campaign.id, revision, members: 0, events: 0, differences: [], applied: options.apply, written: 0 };
  const tasks: QueuedTask[] = [];
  const runId = randomBytes(8).toString('hex');
  const ledger = byMember(deps.ledger.campaignEntries(campaign.id, { byMember: true }), (entry) => entry.memberId);

  for await (const [memberId, events] of byMember(deps.events.forCampaign(campaign), (event) => memberIdOf(event.platform, event.actor.platformUserId))) {
    const facts = await ledger.until(memberId);
    const compared = replayMember({ memberId, campaign, events, facts });
    report.members += 1;
    report.events += events.length;
    options.onProgress?.(report.members, Math.max(total, report.members));
    if (compared.events.length === 0) continue;
    report.differences.push(compared);
    if (!options.apply) continue;
    const adjustments = replayAdjustments(compared, facts, revision);
    tasks.push({
      task: { kind: REPLAY_TASK, campaignId: campaign.id, memberId, payload: { runId, adjustments } },
      taskId: `replay-${revision}-${createHash('sha256').update(memberId).digest('hex').slice(0, 24)}-${runId}`,
    });
  }
  if (tasks.length > 0) {
    await deps.queue.enqueueMemberTasks(tasks, { removeOnComplete: true });
    const done = await runDone(deps.redis, deps.config.NUQTA_QUEUE_PREFIX, runId, tasks.length, () => undefined);
    report.written = done.written ?? 0;
  }
  return report;
}

/** The member task: writes the adjustments not written yet, in the member's turn. */
export function replayTaskHandler(deps: EventEntriesDeps & { config: { NUQTA_QUEUE_PREFIX: string } }): MemberTaskHandler {
  return {
    inBatch: async ({ loaded, book, ledger, records, now }, task) => {
      const { runId, adjustments } = replayPayload.parse(task.payload);
      const campaignId = loaded.campaign.id;
      const due: EntryDecision[] = [];
      if (book) {
        const written = await entriesAbout(deps, { campaignId, memberId: task.memberId, eventKeys: [...new Set(adjustments.map((adjustment) => adjustment.eventKey))] }, { records, entries: ledger.entries });
        const keys = new Set(written.map((entry) => `${entry.eventKey}\u0000${entry.ruleId}`));
        due.push(...adjustments.filter((adjustment) => !keys.has(`${adjustment.eventKey}\u0000${adjustment.ruleId}`)));
      }
      const entries = book && due.length > 0 ? ledger.append(book, due, 'replay', now) : [];
      for (const entry of entries) records.link(campaignId, entry.eventKey, entry.seq);
      records.onPipeline((pipeline) => countTaskDone(pipeline, deps.config.NUQTA_QUEUE_PREFIX, runId, { written: entries.length }));
      return { written: entries.length };
    },
  };
}

/** Groups a stream sorted by member into [memberId, items] runs. */
async function* runsOf<T>(stream: AsyncIterable<T>, memberOf: (item: T) => string): AsyncGenerator<[string, T[]]> {
  let memberId: string | undefined;
  let items: T[] = [];
  for await (const item of stream) {
    const owner = memberOf(item);
    if (owner !== memberId) {
      if (memberId !== undefined) yield [memberId, items];
      memberId = owner;
      items = [];
    }
    items.push(item);
  }
  if (memberId !== undefined) yield [memberId, items];
}

/**
 * A stream sorted by member, read alongside another sorted the same way:
 * `until(memberId)` skips the members before it and returns its items.
 */
function byMember<T extends EngagementEvent | LedgerEntry>(stream: AsyncIterable<T>, memberOf: (item: T) => string): AsyncIterable<[string, T[]]> & { until(memberId: string): Promise<T[]> } {
  const runs = runsOf(stream, memberOf);
  let ahead: [string, T[]] | undefined;
  let done = false;
  return {
    [Symbol.asyncIterator]: () => runs,
    async until(memberId: string): Promise<T[]> {
      while (!done) {
        if (!ahead) {
          const next = await runs.next();
          if (next.done) {
            done = true;
            break;
          }
          ahead = next.value;
        }
        if (ahead[0] > memberId) return [];
        const [owner, items] = ahead;
        ahead = undefined;
        if (owner === memberId) return items;
      }
      return [];
    },
  };
}
