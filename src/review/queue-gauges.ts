import type { Metrics } from '../metrics.js';
import type { FlagStore } from './flag-store.js';

/** Sets the review queue gauges on a scrape: open flags and the oldest one's age, per campaign (from Redis, no scan). */
export async function gaugeReviewQueue(metrics: Metrics, flags: Pick<FlagStore, 'queueStates'>, campaignIds: readonly string[], now: Date): Promise<void> {
  const states = await flags.queueStates(campaignIds).catch(() => []);
  for (const state of states) {
    metrics.reviewQueueOpen.set({ campaign: state.campaignId }, state.open);
    metrics.reviewQueueAge.set({ campaign: state.campaignId }, state.oldest === null ? 0 : Math.max(0, (now.getTime() - state.oldest.getTime()) / 1000));
  }
}
