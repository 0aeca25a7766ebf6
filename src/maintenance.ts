/**
 * The operator commands that work on the ledger: `nuqta expire`, `nuqta
 * verify [--repair]` and `nuqta replay [--apply]`. They print what they found
 * and show progress; the work itself lives in src/ledger and src/scoring.
 */
import { randomBytes } from 'node:crypto';
import { SingleBar } from 'cli-progress';
import { InvalidArgumentError, type Command } from 'commander';
import type { Nuqta } from './app.js';
import { campaignChanges, formatChange } from './config/campaign-diff.js';
import type { LoadedCampaign } from './config/campaign-loader.js';
import type { NuqtaConfig } from './config/env.js';
import { NuqtaError } from './errors.js';
import { verifyCampaign, type VerifyReport } from './ledger/verify.js';
import { createLogger } from './log.js';
import { openFromConfig, partitionConsumers } from './runtime.js';
import { sweepExpiry } from './scoring/expiry-job.js';
import { REPAIR_TASK } from './scoring/repair-task.js';
import { replayCampaign, type ReplayReport } from './scoring/replay.js';
import { runDone } from './scoring/task-runs.js';

/** Differences listed per kind before "… and N more". */
const LISTED = 20;

/**
 * Runs a command with partition consumers of its own: the member tasks it
 * queues run in the members' partitions, by `nuqta work` when it runs (it
 * holds the partitions) or by this process when nothing else does.
 */
async function withNuqta<T>(config: NuqtaConfig, work: (nuqta: Nuqta) => Promise<T>): Promise<T> {
  const nuqta = await openFromConfig(config, createLogger(config.LOG_LEVEL === 'info' ? 'warn' : config.LOG_LEVEL));
  const consumers = partitionConsumers(nuqta);
  try {
    await nuqta.queue.allowBatches();
    await consumers.start();
    return await work(nuqta);
  } finally {
    await consumers.stop();
    await nuqta.close();
  }
}

function chosen(nuqta: Nuqta, campaignId: string | undefined): readonly LoadedCampaign[] {
  return campaignId === undefined ? nuqta.campaigns.all : [nuqta.campaigns.get(campaignId)];
}

function progressBar(label: string): SingleBar {
  return new SingleBar({ format: `${label} [{bar}] {value}/{total}`, clearOnComplete: true });
}

/** Runs one expiry sweep of the campaign now: one task per member, in the members' partitions like the scheduled sweep's. */
export async function runExpire(config: NuqtaConfig, options: { campaign: string }): Promise<void> {
  await withNuqta(config, async (nuqta) => {
    const loaded = nuqta.campaigns.get(options.campaign);
    if (!loaded.campaign.expiry) throw new NuqtaError('NUQTA_BAD_REQUEST', `campaign "${loaded.campaign.id}" has no expiry: its points never expire`);
    const bar = progressBar('expire');
    try {
      const runId = randomBytes(8).toString('hex');
      const queued = await sweepExpiry(nuqta, loaded, new Date(), runId);
      bar.start(queued, 0);
      const done = await runDone(nuqta.redis, config.NUQTA_QUEUE_PREFIX, runId, queued, (members) => bar.update(members));
      bar.stop();
      console.log(`expire ${loaded.campaign.id}: ${done.points ?? 0} points expired in ${done.entries ?? 0} entries, ${queued} members checked`);
    } finally {
      bar.stop();
    }
  });
}

/** Returns false when differences were found and not repaired (the command then exits non-zero). */
export async function runVerify(config: NuqtaConfig, options: { campaign?: string; repair: boolean }): Promise<boolean> {
  return withNuqta(config, async (nuqta) => {
    let consistent = true;
    for (const loaded of chosen(nuqta, options.campaign)) {
      const bar = new SingleBar({ format: `verify ${loaded.campaign.id} {value} ledger entries`, clearOnComplete: true });
      bar.start(0, 0);
      const report = await verifyCampaign(nuqta, loaded, {
        ...(options.repair ? { repair: (memberIds: readonly string[]) => repairMembers(nuqta, loaded, memberIds) } : {}),
        onProgress: (entries) => bar.update(entries),
      }).finally(() => bar.stop());
      printVerify(report);
      const differences = report.records.length + report.boards.length + report.stock.length;
      if (differences > 0 && !options.repair) consistent = false;
    }
    return consistent;
  });
}

/** Queues a repair task for each member and waits for them all. */
async function repairMembers(nuqta: Nuqta, loaded: LoadedCampaign, memberIds: readonly string[]): Promise<void> {
  if (memberIds.length === 0) return;
  const runId = randomBytes(8).toString('hex');
  await nuqta.queue.enqueueMemberTasks(memberIds.map((memberId, index) => ({
    task: { kind: REPAIR_TASK, campaignId: loaded.campaign.id, memberId, payload: { runId } },
    taskId: `repair-${runId}-${index}`,
  })), { removeOnComplete: true });
  await runDone(nuqta.redis, nuqta.config.NUQTA_QUEUE_PREFIX, runId, memberIds.length, () => undefined);
}

function printVerify(report: VerifyReport): void {
  console.log(`verify ${report.campaignId}: ${report.members} members, ${report.entries} ledger entries`);
  for (const member of report.records.slice(0, LISTED)) {
    const fields = member.differences.map((difference) => `${difference.field} ${difference.stored ?? '(none)'} ≠ ledger ${difference.ledger ?? '(none)'}`);
    console.log(`  member ${member.memberId}: ${fields.join('; ')}${report.repaired ? ' → rebuilt from the ledger' : ''}`);
  }
  if (report.records.length > LISTED) console.log(`  … and ${report.records.length - LISTED} more members`);
  for (const board of report.boards) {
    const sample = [...board.missing, ...board.extra, ...board.wrongScore].slice(0, 5).join(', ');
    console.log(`  board ${board.board}: ${board.missing.length} missing, ${board.extra.length} extra, ${board.wrongScore.length} wrong score (${sample})`);
  }
  for (const stock of report.stock) {
    console.log(`  stock ${stock.rewardId}: ${stock.missing.length} redemptions not counted, ${stock.extra.length} units held without a redemption`);
  }
  const differences = report.records.length + report.boards.length + report.stock.length;
  if (differences === 0) console.log(`${report.campaignId}: member records, leaderboards and stock match the ledger`);
  else console.log(`${report.campaignId}: ${differences} difference(s)${report.repaired ? ', repaired from the ledger' : '; run with --repair to rebuild them from the ledger'}`);
}

export async function runReplay(config: NuqtaConfig, options: { campaign: string; apply: boolean; revision?: number }): Promise<void> {
  await withNuqta(config, async (nuqta) => {
    const current = nuqta.campaigns.get(options.campaign);
    const loaded = options.revision === undefined || options.revision === current.n
      ? current
      : nuqta.catalog.parseStored(await nuqta.catalog.revision(options.campaign, options.revision));
    if (loaded !== current) {
      if (options.apply) throw new NuqtaError('NUQTA_BAD_REQUEST', `--apply replays the newest revision only (${current.n ?? 1}); store revision ${options.revision ?? ''} again to apply it`);
      const changes = campaignChanges(current.campaign, loaded.campaign);
      console.log(`revision ${loaded.n ?? ''} (${loaded.revision}) against the newest, ${current.n ?? ''} (${current.revision}): ${changes.length} change(s)`);
      for (const change of changes) console.log(`  ${formatChange(change)}`);
    }
    const bar = progressBar(`replay ${loaded.campaign.id}`);
    bar.start(0, 0);
    const report = await replayCampaign(nuqta, loaded, {
      apply: options.apply,
      onProgress: (done, total) => {
        bar.setTotal(total);
        bar.update(done);
      },
    }).finally(() => bar.stop());
    printReplay(report);
  });
}

function printReplay(report: ReplayReport): void {
  console.log(`replay ${report.campaignId} (revision ${report.revision}): ${report.members} members, ${report.events} events`);
  for (const member of report.differences.slice(0, LISTED)) {
    const change = member.wouldBe - member.now;
    console.log(`  ${member.memberId}: now ${member.now}, would be ${member.wouldBe} (${change > 0 ? '+' : ''}${change}) over ${member.events.length} event(s)`);
  }
  if (report.differences.length > LISTED) console.log(`  … and ${report.differences.length - LISTED} more members`);
  const change = report.differences.reduce((sum, member) => sum + member.wouldBe - member.now, 0);
  if (report.differences.length === 0) console.log(`${report.campaignId}: the ledger matches revision ${report.revision}`);
  else if (report.applied) console.log(`${report.campaignId}: ${report.differences.length} member(s) adjusted by ${change} points in total (${report.written} adjust entries written)`);
  else console.log(`${report.campaignId}: ${report.differences.length} member(s) differ by ${change} points in total; dry run, nothing written (--apply writes adjust entries)`);
}

function revisionNumber(value: string): number {
  const number = Number(value);
  if (!Number.isInteger(number) || number < 1) throw new InvalidArgumentError('must be a revision number (1, 2, …)');
  return number;
}

/** `nuqta expire`, `nuqta verify`, `nuqta replay`. */
export function registerLedgerCommands(program: Command, config: () => NuqtaConfig): void {
  program
    .command('expire')
    .description('expire the points of a campaign that are due now (the workers also do it on a schedule)')
    .requiredOption('--campaign <id>', 'the campaign')
    .action((options: { campaign: string }) => runExpire(config(), options));
  program
    .command('verify')
    .description('recompute balances, leaderboards and reward stock from the ledger and list what differs; exits non-zero on a difference')
    .option('--campaign <id>', 'one campaign (default: every campaign)')
    .option('--repair', 'rewrite what differs from the ledger', false)
    .action(async (options: { campaign?: string; repair: boolean }) => {
      if (!(await runVerify(config(), options))) process.exitCode = 1;
    });
  program
    .command('replay')
    .description('re-score stored events against the newest campaign revision (or another) and show how points would change (dry run)')
    .requiredOption('--campaign <id>', 'the campaign')
    .option('--revision <n>', 'a stored revision to compare with (nuqta campaigns history lists them)', revisionNumber)
    .option('--apply', 'write adjust entries so the ledger matches the newest revision', false)
    .action((options: { campaign: string; apply: boolean; revision?: number }) => runReplay(config(), options));
}
