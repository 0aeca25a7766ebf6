/**
 * `nuqta verify` on a big ledger: how fast the pass that folds every member
 * state of a campaign from the ledger and compares it with the member
 * records, the boards and the reward stock runs, against a ceiling measured
 * in the same run on the same servers: the same ledger read raw with the
 * driver, in the order verify streams it (the store's own order, as
 * `campaignEntries` asks for it), nothing folded; its rate is taken over
 * the first 250,000 entries at most, to keep the run bounded in time.
 *
 *   npx tsx bench/verify.ts [entries]    (default 1000000)
 *
 * The ledger is built the way the product builds it. Seeded members of one
 * campaign comment and post hashtag photos from their first day until now
 * (entries per member long-tailed, about 20 on average); every event is
 * decided by the rules engine on the member's state (caps, cooldown, tiers),
 * a few are held or rejected as the fraud scorer would (putting the member's
 * recent awards under review), some comments are deleted and clawed back,
 * and members redeem the reward when their balance allows while the stock
 * lasts. The entries go through the ledger writer, which commits up to 1,000
 * entries per insertMany with the directory, the member records and the
 * boards; the stock set is written as redemptions leave it. (Raw events,
 * decisions, flags and redemption answers are not written: verify reads
 * none of them.) Verify must then find no difference, else the run exits 1.
 */
import { MongoClient } from 'mongodb';
import { cpus, loadavg } from 'node:os';
import type { Nuqta } from '../src/app.js';
import type { LoadedCampaign } from '../src/config/campaign-loader.js';
import { memberIdOf, toEngagementEvent, type EngagementEvent } from '../src/domain/event.js';
import { isCampaignBonus } from '../src/domain/ledger.js';
import { mulberry32 } from '../src/domain/seeded.js';
import { emptyState, pointsUnderReview, type AwardNote } from '../src/ledger/member-state.js';
import type { LedgerBatch, MemberBook } from '../src/ledger/ledger-writer.js';
import { stateSpecOf } from '../src/ledger/state-spec.js';
import { verifyCampaign } from '../src/ledger/verify.js';
import { createLogger } from '../src/log.js';
import { underReviewEntries } from '../src/review/retro-review.js';
import { openFromConfig } from '../src/runtime.js';
import { redemptionEventKey } from '../src/scoring/redemption.js';
import { checkRedemption, deletedEventKeys, scoreEvent } from '../src/scoring/rules/index.js';
import { dropTestData, testConfig } from '../test/helpers/test-nuqta.js';

const ENTRIES = Number(process.argv[2] ?? 1_000_000);
/** A comment rule with a daily cap and a cooldown, a weekly-capped photo rule, tiers, expiry lots, a reward with stock. */
const CAMPAIGN = 'thawb-style';
/** Entries per member: Pareto with this shape and scale (mean about 20), at most this many. */
const ENTRIES_SHAPE = 1.5;
const ENTRIES_SCALE = 7;
const MOST_ENTRIES = 900;
/** What one insertMany of the writer holds at most. */
const PER_COMMIT = 1_000;
/** Entries one event can add past a member's target (an award, a tier change, awards put under review, a redemption). */
const SLACK = 40;
const COMMITS_IN_FLIGHT = 3;
const MEAN_GAP_MS = 10 * 3_600_000;
const FILL_DEADLINE_MS = 12 * 60_000;
/** The target: ten million entries verified in under five minutes. */
const TARGET_ENTRIES = 10_000_000;
const TARGET_SECONDS = 300;
const RAW_BATCH_SIZE = 10_000;
/** The raw read's rate is taken over the ledger's first entries only, to keep the run bounded in time. */
const RAW_MOST = 250_000;

interface Mix {
  members: number;
  entries: number;
  byKind: Map<string, number>;
  byStatus: Map<string, number>;
  /** Holders of each limited reward, in the order they redeemed. */
  holders: Map<string, string[]>;
}

const count = (counts: Map<string, number>, key: string): void => {
  counts.set(key, (counts.get(key) ?? 0) + 1);
};

/** One member's activity, scored event by event into the writer's batch; stops at `target` entries or at `until`. */
function playMember(loaded: LoadedCampaign, batch: LedgerBatch, index: number, target: number, until: number, random: () => number, mix: Mix): void {
  const { campaign } = loaded;
  const spec = stateSpecOf(campaign);
  const platformUserId = String(178_410_000_000_000 + index);
  const memberId = memberIdOf('instagram', platformUserId);
  const username = `fan.${index.toString(36)}`;
  const start = campaign.starts_at.getTime();
  let at = start + Math.floor(random() * Math.max(0, until - start - 30 * 86_400_000));
  const book: MemberBook = batch.open(loaded, {
    record: { campaignId: campaign.id, memberId, platform: 'instagram', platformUserId, username, hideName: false, firstSeenAt: new Date(at), state: emptyState(spec) },
    isNew: true, recovered: [], rebuilt: false,
  });
  const { state } = book.record;
  const account = campaign.accounts.instagram[0] ?? '17841400000000001';
  const comments: string[] = [];
  const write = (entries: Parameters<LedgerBatch['append']>[1], by: string, now: number): void => {
    for (const entry of batch.append(book, entries, by, new Date(now))) {
      count(mix.byKind, entry.kind);
      count(mix.byStatus, entry.status);
      mix.entries += 1;
    }
  };
  for (let events = 0; state.seq < target; events += 1) {
    at += Math.max(1_000, Math.floor(-Math.log(1 - random()) * MEAN_GAP_MS));
    if (at > until) break;
    const roll = random();
    const platformEventId = `${index}-${events}`;
    const draft = {
      platform: 'instagram' as const, actor: { platformUserId, username }, occurredAt: new Date(at), receivedAt: new Date(at + 1_000),
      source: 'webhook' as const, verified: true, platformEventId,
    };
    let event: EngagementEvent;
    let deletedAwards: AwardNote[] | undefined;
    if (roll < 0.03 && comments.length > 0) {
      // A comment of the last week deleted: its remembered awards are clawed back.
      const deleted = comments.splice(Math.floor(random() * comments.length), 1)[0] ?? '';
      event = toEngagementEvent({ ...draft, kind: 'comment_deleted', target: { accountId: account }, platformEventId: deleted });
      const keys = new Set(deletedEventKeys(event));
      deletedAwards = state.awards.filter((award) => keys.has(award.eventKey) && !isCampaignBonus(award.ruleId));
      if (deletedAwards.length === 0) continue;
    } else if (roll < 0.16) {
      event = toEngagementEvent({ ...draft, kind: 'hashtag_post', target: { accountId: account, mediaId: `1790${platformEventId}` }, text: 'the new collection #thawbstyle' });
    } else {
      const mediaId = campaign.media[Math.floor(random() * campaign.media.length)] ?? '17900000000000101';
      event = toEngagementEvent({ ...draft, kind: 'comment', target: { accountId: account, mediaId }, text: `love this colour ${events}` });
      comments.push(platformEventId);
      if (comments.length > 7) comments.shift();
    }
    // One event in two hundred is held and one in four hundred rejected, as by the fraud scorer (removals are never judged).
    const fraud = random();
    const status = event.kind === 'comment_deleted' ? 'posted' : fraud < 0.005 ? 'held' : fraud < 0.0075 ? 'rejected' : 'posted';
    const result = scoreEvent({ event, campaign, state, status, ...(deletedAwards ? { deletedAwards } : {}) });
    const underReview = status === 'posted' ? [] : underReviewEntries({ campaign, state, flagged: { eventKey: event.eventKey, occurredAt: event.occurredAt, decision: status === 'held' ? 'hold' : 'reject' } });
    const scoredAt = at + 2_000;
    write([...result.entries, ...underReview], 'system', scoredAt);

    // A member who can afford the reward often redeems it, while the stock lasts.
    for (const reward of campaign.rewards) {
      const spendable = state.balance - pointsUnderReview(state);
      if (spendable < reward.cost || random() > 0.3) continue;
      const holders = mix.holders.get(reward.id) ?? [];
      const stockLeft = reward.stock === undefined ? null : reward.stock - holders.length;
      const redeemedAt = scoredAt + 60_000;
      const check = checkRedemption({ balance: spendable, reward, stockLeft, redemptionKey: redemptionEventKey(memberId, `bench-${platformEventId}`), now: new Date(redeemedAt) });
      if (!check.ok) continue;
      const before = state.balance;
      write([{ ...check.entry, explain: { ...check.entry.explain, balance: { before, after: before - reward.cost } } }], 'redemption', redeemedAt);
      if (reward.stock !== undefined) mix.holders.set(reward.id, [...holders, check.entry.eventKey]);
      at = redeemedAt;
    }
  }
}

/** Writes members until the ledger holds at least `entries` entries. */
async function fill(nuqta: Nuqta, loaded: LoadedCampaign, entries: number): Promise<Mix> {
  const random = mulberry32(17);
  const until = Math.min(Date.now(), loaded.campaign.ends_at.getTime());
  const mix: Mix = { members: 0, entries: 0, byKind: new Map(), byStatus: new Map(), holders: new Map() };
  const inFlight = new Set<Promise<void>>();
  const started = performance.now();
  let reported = 0;
  let batch = nuqta.writer.batch();
  // Commits run while the next batch is scored; a few at most, so the batches in memory stay few.
  const commit = async (full: LedgerBatch): Promise<void> => {
    if (full.entries.length > PER_COMMIT) throw new Error(`a batch of ${full.entries.length} entries: more than one insertMany of ${PER_COMMIT}`);
    const committed = full.commit();
    inFlight.add(committed);
    void committed.finally(() => inFlight.delete(committed)).catch(() => undefined);
    if (inFlight.size >= COMMITS_IN_FLIGHT) await Promise.race(inFlight);
  };
  while (mix.entries < entries) {
    if (performance.now() - started > FILL_DEADLINE_MS) throw new Error(`the ledger was not filled within ${FILL_DEADLINE_MS / 60_000} minutes (${mix.entries} entries)`);
    const target = Math.min(MOST_ENTRIES, Math.floor(ENTRIES_SCALE / (1 - random()) ** (1 / ENTRIES_SHAPE)));
    if (batch.entries.length + target + SLACK > PER_COMMIT) {
      await commit(batch);
      batch = nuqta.writer.batch();
    }
    playMember(loaded, batch, mix.members, Math.min(target, entries - mix.entries), until, random, mix);
    mix.members += 1;
    if (mix.entries - reported >= 100_000) {
      reported = mix.entries - (mix.entries % 100_000);
      const seconds = (performance.now() - started) / 1000;
      console.log(`written     ${mix.entries} entries, ${mix.members} members (${seconds.toFixed(0)} s, ${(mix.entries / seconds).toFixed(0)} entries/s)`);
    }
  }
  if (batch.entries.length > 0) await commit(batch);
  await Promise.all(inFlight);
  // The stock sets as the redemptions left them.
  for (const [rewardId, holders] of mix.holders) await nuqta.stock.replaceHolders(loaded.campaign.id, rewardId, holders);
  return mix;
}

/** The ceiling: the campaign's ledger read with the driver as `campaignEntries` reads it, documents decoded and counted. */
async function rawRead(uri: string, campaignId: string, batchSize: number, most: number): Promise<{ entries: number; seconds: number }> {
  const client = new MongoClient(uri);
  await client.connect();
  try {
    const cursor = client.db().collection('ledger').find({ campaignId }, { projection: { _id: 0 }, batchSize, limit: most });
    const started = performance.now();
    let entries = 0;
    for await (const _entry of cursor) entries += 1;
    return { entries, seconds: (performance.now() - started) / 1000 };
  } finally {
    await client.close();
  }
}

const share = (counts: ReadonlyMap<string, number>, total: number): string =>
  [...counts].sort((a, b) => b[1] - a[1]).map(([key, value]) => `${key} ${((100 * value) / total).toFixed(1)}%`).join(', ');

async function main(): Promise<void> {
  if (!(Number.isInteger(ENTRIES) && ENTRIES > 0)) throw new Error(`entries must be a positive whole number, not ${process.argv[2]}`);
  const config = testConfig('bench_verify', { NUQTA_EXPIRY_EVERY_MINUTES: '0' });
  const nuqta = await openFromConfig(config, createLogger('silent'));
  let consistent = true;
  try {
    const loaded = nuqta.campaigns.get(CAMPAIGN);
    const filled = performance.now();
    const mix = await fill(nuqta, loaded, ENTRIES);
    const fillSeconds = (performance.now() - filled) / 1000;
    const redeemed = [...mix.holders].map(([rewardId, holders]) => `${holders.length} ${rewardId}`).join(', ') || 'none';
    console.log(`ledger      ${mix.entries} entries, ${mix.members} members (${(mix.entries / mix.members).toFixed(1)} per member), written in ${fillSeconds.toFixed(0)} s (${(mix.entries / fillSeconds).toFixed(0)} entries/s)`);
    console.log(`mix         ${share(mix.byKind, mix.entries)}; ${share(mix.byStatus, mix.entries)}; redeemed: ${redeemed}`);

    const raw = await rawRead(config.MONGODB_URI, loaded.campaign.id, RAW_BATCH_SIZE, RAW_MOST);
    const loadBefore = loadavg()[0] ?? 0;
    let folded = 0;
    let lastReport = 0;
    const started = performance.now();
    const cpuBefore = process.cpuUsage();
    const report = await verifyCampaign(nuqta, loaded, {
      onProgress: (entries) => {
        folded = performance.now();
        if (entries - lastReport >= 250_000) {
          lastReport = entries;
          console.log(`verifying   ${entries} entries folded (${((folded - started) / 1000).toFixed(0)} s)`);
        }
      },
    });
    const seconds = (performance.now() - started) / 1000;
    const cpu = process.cpuUsage(cpuBefore);
    // Other work on the machine slows both servers: the one-minute load says how busy it was.
    console.log(`environment ${cpus().length} CPUs, one-minute load average ${loadBefore.toFixed(2)} before verify, ${(loadavg()[0] ?? 0).toFixed(2)} after`);

    const differences = report.records.length + report.boards.length + report.stock.length;
    consistent = differences === 0 && report.entries === mix.entries && report.members === mix.members;
    const perSecond = report.entries / seconds;
    const rawPerSecond = raw.entries / raw.seconds;
    const foldSeconds = (folded - started) / 1000;
    console.log(`verify      ${report.entries} entries, ${report.members} members in ${seconds.toFixed(1)} s: ${perSecond.toFixed(0)} entries/s; ${differences} differences`);
    console.log(`  phases    ledger read and fold ${foldSeconds.toFixed(1)} s (${(report.entries / foldSeconds).toFixed(0)} entries/s), records and boards compared ${(seconds - foldSeconds).toFixed(1)} s; this process busy ${((cpu.user + cpu.system) / 1e6).toFixed(1)} CPU s of ${seconds.toFixed(1)} s (the rest is waiting on the servers)`);
    console.log(`raw read    ${raw.entries} entries in ${raw.seconds.toFixed(1)} s: ${rawPerSecond.toFixed(0)} entries/s (the driver, find by campaign in the store's order as verify reads it, batchSize ${RAW_BATCH_SIZE}${raw.entries < report.entries ? `, the first ${raw.entries}` : ''})`);
    console.log(`ratio       verify / raw = ${(perSecond / rawPerSecond).toFixed(2)} of the ceiling`);
    const projected = TARGET_ENTRIES / perSecond;
    console.log(`10M entries ${(projected / 60).toFixed(1)} min at this rate (target < ${TARGET_SECONDS / 60} min, ≥ ${Math.ceil(TARGET_ENTRIES / TARGET_SECONDS)} entries/s: ${projected < TARGET_SECONDS ? 'met' : 'MISSED'}); the raw read alone: ${(TARGET_ENTRIES / rawPerSecond / 60).toFixed(1)} min`);
    if (!consistent) {
      console.log(`DIFFERENCES verify saw ${report.entries} entries and ${report.members} members (written ${mix.entries}, ${mix.members}); ${report.records.length} records, ${report.boards.length} boards, ${report.stock.length} stock sets differ`);
      for (const member of report.records.slice(0, 5)) console.log(`  member ${member.memberId}: ${JSON.stringify(member.differences)}`);
      for (const board of report.boards.slice(0, 5)) console.log(`  board ${board.board}: ${board.missing.length} missing, ${board.extra.length} extra, ${board.wrongScore.length} wrong score`);
      for (const stock of report.stock) console.log(`  stock ${stock.rewardId}: ${stock.missing.length} missing, ${stock.extra.length} extra`);
    }
  } finally {
    await nuqta.close();
    await dropTestData(config);
  }
  if (!consistent) process.exitCode = 1;
}

await main();
// Let the figures reach a pipe before leaving (a stray timer must not keep the run alive).
process.stdout.write('', () => process.exit());
