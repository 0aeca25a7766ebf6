/**
 * Loads members' records for the writer of one queue partition and keeps the
 * ones it used (the partition's owner is the only writer of its members, so
 * what it keeps stays right until it lets the partition go).
 *
 * A record not kept is read from Redis and checked against the ledger with
 * one key read: the entry after the record's seq must not exist. When it
 * does (a commit cut short between the ledger and the record, or Redis lost
 * its last writes) the record is caught up from the ledger; when the record
 * is missing but the ledger knows the member, or it was built under other
 * campaign settings, it is rebuilt from the ledger. Either way the entries
 * found are handed back, so the caller can finish what the cut-short commit
 * left undone.
 */
import pLimit from 'p-limit';
import type { LoadedCampaign } from '../config/campaign-loader.js';
import type { Platform } from '../domain/event.js';
import type { LedgerEntry } from './entry.js';
import type { LedgerStore } from './ledger-store.js';
import type { MemberDirectory } from './member-directory.js';
import { applyEntry, emptyState, stateOf } from './member-state.js';
import type { MemberRecord, RedisMemberStates } from './member-states.js';
import { stateSpecOf } from './state-spec.js';

/** Who an event says the member is: enough to record a member seen for the first time. */
export interface MemberSighting {
  memberId: string;
  platform: Platform;
  platformUserId: string;
  username?: string;
}

export interface LoadedMember {
  record: MemberRecord;
  /** Seen for the first time: their identity goes into the directory. */
  isNew: boolean;
  /** Entries the ledger had beyond the stored record (applied to it): what a cut-short commit wrote. */
  recovered: LedgerEntry[];
  /** Rebuilt from the ledger (missing, built under other settings, or settled behind its back): every projection of it is written again. */
  rebuilt: boolean;
}

/** Members kept per partition; the least recently used go first. */
const KEPT = 20_000;
/** Parallel ledger key reads while loading. */
const PROBES_IN_FLIGHT = 32;

export class MemberLoader {
  private readonly kept = new Map<string, MemberRecord>();

  constructor(
    private readonly deps: { ledger: LedgerStore; states: RedisMemberStates; directory: Pick<MemberDirectory, 'get'> },
  ) {}

  /** The members of one campaign, from what is kept or from the stores. */
  async load(loaded: LoadedCampaign, sightings: readonly MemberSighting[], now: Date): Promise<Map<string, LoadedMember>> {
    const { campaign } = loaded;
    const spec = stateSpecOf(campaign);
    const found = new Map<string, LoadedMember>();
    const missing: MemberSighting[] = [];
    for (const sighting of sightings) {
      const record = this.kept.get(keyOf(campaign.id, sighting.memberId));
      if (record && record.state.spec === spec.fingerprint) {
        this.keep(record);
        found.set(sighting.memberId, { record, isNew: false, recovered: [], rebuilt: false });
      } else if (!found.has(sighting.memberId)) {
        missing.push(sighting);
      }
    }
    const stored = await this.deps.states.getMany(campaign.id, missing.map((sighting) => sighting.memberId));
    const limit = pLimit(PROBES_IN_FLIGHT);
    await Promise.all(missing.map((sighting, index) => limit(async () => {
      const member = await this.verified(campaign.id, sighting, stored[index] ?? null, now, spec);
      found.set(sighting.memberId, member);
      this.keep(member.record);
    })));
    return found;
  }

  /** Drops kept records (a commit failed, or the partition was let go): they are read again next time. */
  forget(campaignId: string, memberId: string): void {
    this.kept.delete(keyOf(campaignId, memberId));
  }

  clear(): void {
    this.kept.clear();
  }

  private async verified(
    campaignId: string,
    sighting: MemberSighting,
    record: MemberRecord | null,
    now: Date,
    spec: ReturnType<typeof stateSpecOf>,
  ): Promise<LoadedMember> {
    const { ledger } = this.deps;
    if (record && record.state.spec === spec.fingerprint && !(await this.settledSince(record))) {
      const recovered = await ledger.entriesAfter(campaignId, sighting.memberId, record.state.seq);
      for (const entry of recovered) applyEntry(record.state, entry, spec);
      return { record, isNew: false, recovered, rebuilt: false };
    }
    const entries = await ledger.entriesAfter(campaignId, sighting.memberId, 0);
    if (!record && entries.length === 0) {
      return {
        record: { campaignId, ...identityOf(sighting), hideName: false, firstSeenAt: now, state: emptyState(spec) },
        isNew: true,
        recovered: [],
        rebuilt: false,
      };
    }
    const directory = record ? null : await this.deps.directory.get(campaignId, sighting.memberId);
    const identity = record ?? directory ?? { ...identityOf(sighting), hideName: false, firstSeenAt: now };
    const knownSeq = record?.state.seq ?? 0;
    return {
      record: { ...identity, campaignId, memberId: sighting.memberId, state: stateOf(entries, spec) },
      // Not in the directory either: the member's first commit was cut short before recording them.
      isNew: !record && !directory,
      recovered: entries.filter((entry) => entry.seq > knownSeq),
      rebuilt: true,
    };
  }

  /** Whether a review decision settled one of the record's held entries after the record was written (then it is rebuilt). */
  private async settledSince(record: MemberRecord): Promise<boolean> {
    if (record.state.held.length === 0) return false;
    const entries = await this.deps.ledger.entries(record.campaignId, record.memberId, record.state.held.map((note) => note.seq));
    return entries.some((entry) => entry.status !== 'held');
  }

  private keep(record: MemberRecord): void {
    // Re-inserting moves the record to the young end of the map's order.
    const key = keyOf(record.campaignId, record.memberId);
    this.kept.delete(key);
    this.kept.set(key, record);
    if (this.kept.size > KEPT) {
      const oldest = this.kept.keys().next();
      if (!oldest.done) this.kept.delete(oldest.value);
    }
  }
}

function keyOf(campaignId: string, memberId: string): string {
  return `${campaignId}|${memberId}`;
}

function identityOf(sighting: MemberSighting): Pick<MemberRecord, 'memberId' | 'platform' | 'platformUserId' | 'username'> {
  return {
    memberId: sighting.memberId,
    platform: sighting.platform,
    platformUserId: sighting.platformUserId,
    ...(sighting.username === undefined ? {} : { username: sighting.username }),
  };
}
