/**
 * `nuqta verify --repair` rebuilds the member records that differ from the
 * ledger through this member task, in each member's partition, so the
 * consumer that owns the member writes the rebuilt record itself and never
 * writes an older one back over it.
 */
import { z } from 'zod';
import type { LedgerStore } from '../ledger/ledger-store.js';
import { stateOf } from '../ledger/member-state.js';
import { stateSpecOf } from '../ledger/state-spec.js';
import type { MemberTaskHandler } from './member-task.js';
import { countTaskDone } from './task-runs.js';

export const REPAIR_TASK = 'repair';

const repairPayload = z.object({ runId: z.string() });

export function repairTaskHandler(deps: { ledger: Pick<LedgerStore, 'entriesAfter'>; config: { NUQTA_QUEUE_PREFIX: string } }): MemberTaskHandler {
  return {
    inBatch: async ({ loaded, book, ledger, records }, task) => {
      const { runId } = repairPayload.parse(task.payload);
      if (book) {
        const entries = await deps.ledger.entriesAfter(loaded.campaign.id, task.memberId, 0);
        // Entries of this very batch are not in the ledger yet: they follow on top.
        const pending = ledger.entries.filter((entry) => entry.campaignId === loaded.campaign.id && entry.memberId === task.memberId);
        ledger.replaceState(book, stateOf([...entries, ...pending.filter((entry) => entry.seq > (entries.at(-1)?.seq ?? 0))], stateSpecOf(loaded.campaign)));
      }
      records.onPipeline((pipeline) => countTaskDone(pipeline, deps.config.NUQTA_QUEUE_PREFIX, runId, { repaired: book ? 1 : 0 }));
      return 'repaired';
    },
  };
}
