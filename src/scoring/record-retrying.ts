import type { LoadedCampaign } from '../config/campaign-loader.js';
import { isNuqtaError } from '../errors.js';
import type { EntryDecision, EventScorer, ScoreOutcome } from './event-scorer.js';

const ATTEMPTS = 5;

/**
 * `scorer.record` for writers outside the member's queue partition
 * (redemptions, expiry, replays): when the member's event scoring takes the
 * next ledger seq first, the store says NUQTA_STORE_UNAVAILABLE; catching up
 * and writing again is then safe, because a recorded draft is never written twice.
 */
export async function recordRetrying(scorer: EventScorer, loaded: LoadedCampaign, memberId: string, drafts: readonly EntryDecision[], by: string): Promise<ScoreOutcome> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await scorer.record(loaded, memberId, drafts, by);
    } catch (error) {
      if (!isNuqtaError(error, 'NUQTA_STORE_UNAVAILABLE') || attempt >= ATTEMPTS) throw error;
      await new Promise((resolve) => setTimeout(resolve, 10 * 2 ** attempt + Math.random() * 10));
    }
  }
}
