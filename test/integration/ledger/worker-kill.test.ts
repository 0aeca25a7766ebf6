/**
 * A worker process killed in the middle of a batch. Three `nuqta work`
 * processes share the partitions of one Redis and one store; the test's API
 * takes signed webhooks. One worker is frozen (SIGSTOP) again and again until
 * a batch it holds has written its ledger entries but not yet its member
 * records, and is SIGKILLed there. The other two take its partitions when its
 * leases lapse and its jobs come back when their locks lapse. Afterwards
 * every event is decided once, no member has more than the daily cap, every
 * record follows the ledger and `nuqta verify` finds nothing.
 */
import type { Job } from 'bullmq';
import pLimit from 'p-limit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localDayId } from '../../../src/domain/calendar.js';
import { partitionOf, type IngestJob } from '../../../src/ingestion/ingest-queue.js';
import type { LedgerEntry } from '../../../src/ledger/entry.js';
import { stateOf } from '../../../src/ledger/member-state.js';
import { stateDifferences } from '../../../src/ledger/state-differences.js';
import { stateSpecOf } from '../../../src/ledger/state-spec.js';
import type { ScoringDecision } from '../../../src/scoring/decision-store.js';
import { commentWebhook, postInstagramWebhook } from '../../helpers/instagram.js';
import { recordVersusLedger } from '../../helpers/member-records.js';
import { eventually, startTestNuqta, type TestNuqta } from '../../helpers/test-nuqta.js';
import { drained } from './ledger-helpers.js';
import { activeJobs, completedJobs, killWorkers, leaseHolders, partitionsOf, runNuqta, startWorker, type WorkerProcess } from './worker-processes.js';

const CAMPAIGN = 'tight-caps';
const ACCOUNT = '17841400000000041';
const CAP = 3;
const POINTS = 10;
const MEMBERS = Array.from({ length: 500 }, (_, index) => String(30_000 + index));
/** Twice the cap: half the comments earn, half are refused, and awards go on through half the drain. */
const COMMENTS_EACH = 2 * CAP;
const TOTAL = MEMBERS.length * COMMENTS_EACH;
const AWARDS = MEMBERS.length * CAP;
const WORKERS = 3;

let app: TestNuqta;
const workers: WorkerProcess[] = [];

/** The member of a test comment's job: its id is the eventKey `instagram:comment:wk-<user>-<round>`. */
function memberOfJob(jobId: string): string {
  return `instagram:${jobId.split('-')[1] ?? ''}`;
}

/** Members of the jobs in hand whose ledger is ahead of their record: a commit stopped between the two. Exact key reads only, so a frozen worker stays frozen for a moment. */
async function ledgerAhead(jobs: readonly string[]): Promise<string[]> {
  const members = [...new Set(jobs.map(memberOfJob))];
  const records = await app.nuqta.states.getMany(CAMPAIGN, members);
  const reads = pLimit(64);
  const next = await Promise.all(members.map((memberId, index) => reads(() => app.nuqta.ledger.entry(CAMPAIGN, memberId, (records[index]?.state.seq ?? 0) + 1))));
  return members.filter((_, index) => next[index] !== null);
}

/** How many of the jobs have their events stored: a batch's first write. */
async function storedAmong(jobs: readonly string[]): Promise<number> {
  const reads = pLimit(64);
  return (await Promise.all(jobs.map((job) => reads(() => app.nuqta.events.get(job))))).filter(Boolean).length;
}

/** The jobs whose events are decided: a batch's last write to MongoDB. */
async function decidedAmong(jobs: readonly string[]): Promise<string[]> {
  const reads = pLimit(64);
  const decisions = await Promise.all(jobs.map((job) => reads(() => app.nuqta.decisions.get(CAMPAIGN, job))));
  return jobs.filter((_, index) => decisions[index] !== null);
}

interface Killed {
  partitions: number[];
  /** The jobs it had taken and not answered. */
  jobs: string[];
  ledgerAhead: string[];
  stored: number;
  /** Jobs decided but not yet answered. */
  decided: string[];
  probes: number;
  at: number;
}

/**
 * Freezes the victim (SIGSTOP) again and again until a batch it holds sits
 * between its ledger entries and its member records (the new owner must
 * finish that commit) and, for the first half of the patience, has written
 * its decisions too (the new owner must not decide those events again); then
 * kills it there (SIGKILL). Each look reads a few keys of the oldest jobs in
 * hand, the ones its batches score, and lets it run a while between looks,
 * so it keeps its leases until it dies. Returns what it held at the moment
 * of death.
 */
async function killMidCommit(victim: WorkerProcess, patienceMs: number): Promise<Killed> {
  const started = Date.now();
  for (let probes = 1; Date.now() < started + patienceMs; probes += 1) {
    process.kill(victim.pid, 'SIGSTOP');
    const partitions = await partitionsOf(app, victim.pid);
    const oldest = await activeJobs(app, partitions, 16);
    const ahead = await ledgerAhead(oldest);
    const decidedWanted = Date.now() < started + patienceMs / 2;
    if (ahead.length > 0 && (!decidedWanted || (await decidedAmong(oldest.filter((job) => ahead.includes(memberOfJob(job))))).length > 0)) {
      process.kill(victim.pid, 'SIGKILL');
      const at = Date.now();
      await victim.exited;
      const jobs = await activeJobs(app, partitions);
      return { partitions, jobs, ledgerAhead: await ledgerAhead(jobs), stored: await storedAmong(jobs), decided: await decidedAmong(jobs), probes, at };
    }
    process.kill(victim.pid, 'SIGCONT');
    await new Promise((resolve) => setTimeout(resolve, 100 + Math.random() * 100));
  }
  throw new Error(`worker ${victim.pid} was never caught between its ledger entries and its member records`);
}

async function sendAllComments(at: Date): Promise<number> {
  // Delivery i carries every member's i-th comment, all on one day: the cap is reached while the batches run.
  const deliveries = Array.from({ length: COMMENTS_EACH }, (_, round) => commentWebhook(MEMBERS.map((user) => ({
    commentId: `wk-${user}-${round}`, userId: user, username: `member_${user}`, text: `تعليق ${round} من ${user}`, account: ACCOUNT, at,
  }))));
  const answers = await Promise.all(deliveries.map(async (body) => {
    const response = await postInstagramWebhook(app.url, body);
    expect(response.status).toBe(200);
    return (await response.json()) as { received: number; skipped: number };
  }));
  expect(answers.every((answer) => answer.skipped === 0)).toBe(true);
  return answers.reduce((sum, answer) => sum + answer.received, 0);
}

beforeAll(async () => {
  app = await startTestNuqta('worker_kill', {
    work: false,
    env: { NUQTA_CAMPAIGNS: 'test/fixtures/campaigns/caps', NUQTA_PARTITION_LEASE_SECONDS: '2', NUQTA_BATCH_SIZE: '64' },
  });
  for (let index = 0; index < WORKERS; index += 1) workers.push(startWorker(app.config));
  // Each process takes its share: 3, 3 and 2 of the 8 partitions.
  await eventually(async () => {
    const holders = [...(await leaseHolders(app)).values()];
    const pids = new Set(workers.map((worker) => worker.pid));
    const shares = workers.map((worker) => holders.filter((holder) => holder === worker.pid).length);
    return holders.every((holder) => holder !== undefined && pids.has(holder)) && shares.every((share) => share >= 2) ? true : undefined;
  }, 45_000, 'three worker processes to share the partitions');
}, 60_000);

afterAll(async () => {
  await killWorkers(workers);
  await app?.cleanup();
});

describe('a worker process killed in the middle of a batch', () => {
  it(`loses and doubles nothing: ${TOTAL} comments of ${MEMBERS.length} members, daily cap ${CAP}`, { timeout: 90_000 }, async () => {
    const accepted = await sendAllComments(new Date());
    expect(accepted).toBe(TOTAL);

    // Mid-drain: the first decisions written, most still to come.
    await eventually(async () => ((await completedJobs(app)) >= TOTAL / 30 ? true : undefined), 30_000, 'the first decisions');
    const holders = [...(await leaseHolders(app)).values()];
    const [victim] = [...workers].sort((a, b) => holders.filter((pid) => pid === b.pid).length - holders.filter((pid) => pid === a.pid).length);
    if (!victim) throw new Error('no worker to kill');
    const killed = await killMidCommit(victim, 8_000);
    const completedAtKill = await completedJobs(app);
    console.log(`killed worker ${victim.pid} holding partitions ${killed.partitions.join(',')} after ${killed.probes} probe(s): ${killed.jobs.length} jobs in hand, ${killed.stored} of them stored, ${killed.decided.length} decided but not acknowledged, ${killed.ledgerAhead.length} members with ledger entries their records lack; ${completedAtKill}/${TOTAL} jobs done`);
    expect(killed.partitions.length).toBeGreaterThan(0);
    expect(killed.ledgerAhead.length).toBeGreaterThan(0);
    expect(killed.stored).toBeGreaterThan(0);
    expect(completedAtKill).toBeLessThan(TOTAL);

    // The two others take the partitions over when the leases lapse and finish everything.
    await drained(app);
    const survivors = workers.filter((worker) => worker !== victim).map((worker) => worker.pid);
    expect([...(await leaseHolders(app)).values()].every((holder) => holder !== undefined && survivors.includes(holder))).toBe(true);

    // Every job done once, none failed; the jobs the victim held came back after it died.
    const queues = app.nuqta.queue.partitions;
    const counts = await Promise.all(queues.map((queue) => queue.getJobCounts('completed', 'failed')));
    expect({ completed: counts.reduce((sum, count) => sum + (count.completed ?? 0), 0), failed: counts.reduce((sum, count) => sum + (count.failed ?? 0), 0) }).toEqual({ completed: TOTAL, failed: 0 });
    const heldJobs = await Promise.all(killed.jobs.map(async (id) => {
      const job: Job<IngestJob> | undefined = await queues[partitionOf(memberOfJob(id))]?.getJob(id);
      if (!job) throw new Error(`job ${id} is gone`);
      return job;
    }));
    // A few answers the victim had sent may have reached Redis as it died; the others came back as stalled jobs.
    const redelivered = heldJobs.filter((job) => job.stalledCounter > 0);
    expect(redelivered.length).toBeGreaterThan(heldJobs.length / 2);
    expect(redelivered.filter((job) => (job.finishedOn ?? 0) <= killed.at)).toEqual([]);
    const answers = redelivered.reduce<Record<string, number>>((tally, job) => ({ ...tally, [String(job.returnvalue)]: (tally[String(job.returnvalue)] ?? 0) + 1 }), {});
    const retried = workers.filter((worker) => worker !== victim).flatMap((worker) => worker.log).filter((line) => line.includes('ingest job failed')).length;
    console.log(`${redelivered.length} of the victim's ${heldJobs.length} jobs came back and were answered by the survivors: ${JSON.stringify(answers)}; ${retried} failed attempt(s) retried`);
    // An event the victim decided must not be decided again when its job comes back.
    const decidedBefore = redelivered.filter((job) => killed.decided.includes(String(job.id)));
    expect(decidedBefore.filter((job) => job.returnvalue !== 'decided before').map((job) => [job.id, job.returnvalue])).toEqual([]);

    // Each event stored once and decided once, and each decision lists exactly the event's entries.
    const { db } = app.nuqta;
    expect(await db.collection('events').countDocuments({})).toBe(TOTAL);
    const decisions = await db.collection<ScoringDecision>('decisions').find({ campaignId: CAMPAIGN }, { projection: { _id: 0 } }).toArray();
    expect(decisions).toHaveLength(TOTAL);
    expect(new Set(decisions.map((decision) => decision.eventKey)).size).toBe(TOTAL);
    const entries: LedgerEntry[] = [];
    for await (const entry of app.nuqta.ledger.campaignEntries(CAMPAIGN)) entries.push(entry);
    expect(entries).toHaveLength(AWARDS);
    expect(new Set(entries.map((entry) => `${entry.memberId}|${entry.eventKey}|${entry.ruleId}`)).size).toBe(entries.length);
    const entrySeqsOf = new Map<string, number[]>();
    for (const entry of entries) entrySeqsOf.set(entry.eventKey, [...(entrySeqsOf.get(entry.eventKey) ?? []), entry.seq]);
    const sorted = (seqs: readonly number[]): string => [...seqs].sort((a, b) => a - b).join(',');
    const mismatched = decisions.filter((decision) => sorted(decision.entrySeqs) !== sorted(entrySeqsOf.get(decision.eventKey) ?? []));
    expect(mismatched.map((decision) => decision.eventKey)).toEqual([]);
    expect(decisions.filter((decision) => decision.entrySeqs.length === 0 && decision.nonAwards[0]?.reason.code !== 'LIMIT_PER_DAY')).toEqual([]);
    console.log(`${decisions.filter((decision) => decision.recovered === true).length} decision(s) recovered from a cut-short commit`);

    // Nobody above the cap: each member earned exactly the cap on the day, no more, no less.
    const { campaign } = app.nuqta.campaigns.get(CAMPAIGN);
    const perMemberDay = new Map<string, { count: number; points: number }>();
    for (const entry of entries) {
      const slot = `${entry.memberId}|${localDayId(entry.occurredAt, campaign.timezone)}`;
      const sum = perMemberDay.get(slot) ?? { count: 0, points: 0 };
      perMemberDay.set(slot, { count: sum.count + 1, points: sum.points + entry.points });
    }
    expect([...perMemberDay.values()].filter((sum) => sum.count > CAP || sum.points > CAP * POINTS)).toEqual([]);
    expect(perMemberDay.size).toBe(MEMBERS.length);
    expect(entries.every((entry) => entry.kind === 'earn' && entry.points === POINTS && entry.status === 'posted')).toBe(true);

    // Each member's record follows the ledger: every member folded from the entries read above, and the
    // members whose commit the kill cut short once more through recordVersusLedger (it counts by a scan, so a few).
    const spec = stateSpecOf(campaign);
    const records = await app.nuqta.states.getMany(CAMPAIGN, MEMBERS.map((user) => `instagram:${user}`));
    const differences = MEMBERS.flatMap((user, index) => {
      const own = entries.filter((entry) => entry.memberId === `instagram:${user}`).sort((a, b) => a.seq - b.seq);
      const holes = own.flatMap((entry, at) => (entry.seq === at + 1 ? [] : [at + 1]));
      const found = stateDifferences(records[index]?.state ?? null, stateOf(own, spec), holes);
      return found.length > 0 ? [{ user, found }] : [];
    });
    expect(differences).toEqual([]);
    for (const memberId of [...killed.ledgerAhead, ...new Set(killed.jobs.map(memberOfJob))].slice(0, 6)) {
      expect(await recordVersusLedger(app.nuqta, CAMPAIGN, memberId), memberId).toEqual([]);
    }

    const verify = await runNuqta(app.config, 'verify', '--campaign', CAMPAIGN);
    expect(verify.stderr).toBe('');
    expect(verify.stdout).toContain(`verify ${CAMPAIGN}: ${MEMBERS.length} members, ${AWARDS} ledger entries`);
    expect(verify.stdout).toContain(`${CAMPAIGN}: member records, leaderboards and stock match the ledger`);
    expect(verify.code).toBe(0);
  });
});
