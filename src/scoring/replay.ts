/**
 * `nuqta replay`: re-scores a campaign's stored events against the current
 * campaign file with the pure rules engine, member by member from an empty
 * state, and shows where the ledger differs. With `apply`, it writes the
 * `adjust` entries (ruleId `replay:<revision>`) that make the totals agree.
 */
import type { Nuqta } from '../app.js';
import type { LoadedCampaign } from '../config/campaign-loader.js';
import { memberIdOf, type EngagementEvent } from '../domain/event.js';
import { recordRetrying } from './record-retrying.js';
import { replayAdjustments, replayMember, type MemberReplay } from './replay-diff.js';

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

export async function replayCampaign(nuqta: Nuqta, loaded: LoadedCampaign, options: ReplayOptions): Promise<ReplayReport> {
  const { campaign, revision } = loaded;
  const total = await nuqta.members.count(campaign.id);
  const report: ReplayReport = { campaignId: campaign.id, revision, members: 0, events: 0, differences: [], applied: options.apply, written: 0 };

  const replay = async (memberId: string, events: readonly EngagementEvent[]): Promise<void> => {
    const member = await nuqta.members.get(campaign.id, memberId);
    const facts = member?.facts ?? [];
    const compared = replayMember({ memberId, campaign, events, facts });
    report.members += 1;
    report.events += events.length;
    options.onProgress?.(report.members, Math.max(total, report.members));
    if (compared.events.length === 0) return;
    report.differences.push(compared);
    if (!options.apply) return;
    const last = events.at(-1);
    // Events that newly concern the campaign (an account added to the file) may have no member yet.
    if (!member && last) await nuqta.members.upsertMember(campaign.id, memberId, last.platform, last.actor);
    const { written } = await recordRetrying(nuqta.scorer, loaded, memberId, replayAdjustments(compared, facts, revision), 'replay');
    report.written += written.length;
  };

  let memberId: string | undefined;
  let events: EngagementEvent[] = [];
  // Sorted by member, then occurredAt: one member's events arrive together.
  for await (const event of nuqta.events.forCampaign(campaign)) {
    const owner = memberIdOf(event.platform, event.actor.platformUserId);
    if (owner !== memberId) {
      if (memberId !== undefined) await replay(memberId, events);
      memberId = owner;
      events = [];
    }
    events.push(event);
  }
  if (memberId !== undefined) await replay(memberId, events);
  return report;
}
