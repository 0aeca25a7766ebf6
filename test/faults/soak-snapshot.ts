/** Reads what the soak checker needs from the stores: one campaign's events, decisions, ledger, member records and all-time board. */
import type { Nuqta } from '../../src/app.js';
import type { Campaign } from '../../src/config/campaign-schema.js';
import { memberIdOf, type EngagementEvent } from '../../src/domain/event.js';
import type { LedgerEntry } from '../../src/ledger/entry.js';
import type { ScoringDecision } from '../../src/scoring/decision-store.js';
import type { StoreSnapshot } from './soak-checker.js';

type SnapshotStores = Pick<Nuqta, 'db' | 'events' | 'ledger' | 'states' | 'leaderboard'>;

/** More than any soak's members: the whole board in one read. */
const WHOLE_BOARD = 100_000;

export async function readSnapshot(stores: SnapshotStores, campaign: Campaign): Promise<StoreSnapshot> {
  // Decisions first: a batch writes them last, so every decision read here has its event, entries and records in the reads that follow
  // (read the other way round, a batch finishing in between shows decisions newer than the ledger read).
  const decisions = await stores.db.collection<ScoringDecision>('decisions').find({ campaignId: campaign.id }, { projection: { _id: 0 } }).toArray();
  const events: EngagementEvent[] = [];
  for await (const event of stores.events.forCampaign(campaign)) events.push(event);
  const ledger: LedgerEntry[] = [];
  for await (const entry of stores.ledger.campaignEntries(campaign.id)) ledger.push(entry);
  const members = [...new Set([...ledger.map((entry) => entry.memberId), ...events.map((event) => memberIdOf(event.platform, event.actor.platformUserId))])];
  const records = await stores.states.getMany(campaign.id, members);
  const board = await stores.leaderboard.top(campaign.id, 'all', WHOLE_BOARD);
  return {
    events,
    decisions,
    ledger,
    records: new Map(members.map((memberId, index) => [memberId, records[index]?.state ?? null])),
    board: new Map(board.map((row) => [row.memberId, row.points])),
  };
}
