/**
 * `npm run soak -- --runs N [--seed S] [--cluster]`: N seeded fault runs, one
 * line each, then `runs N, events N, lost 0, duplicated 0, cap violations 0`.
 * Exits 1 when any run lost, doubled or mis-scored anything.
 */
import { Command, InvalidArgumentError } from 'commander';
import { describePlan } from './fault-plan.js';
import { failures } from './soak-checker.js';
import { soakRun, type SoakRunOptions } from './soak-run.js';
import { startSoakServices } from './soak-services.js';

function positiveInt(value: string): number {
  const number = Number(value);
  if (!Number.isInteger(number) || number < 1) throw new InvalidArgumentError('must be a whole number above 0');
  return number;
}

const options = new Command()
  .name('soak')
  .description('Seeded fault runs through real nuqta processes, each checked from the stores')
  .option('--runs <n>', 'how many runs', positiveInt, 5)
  .option('--seed <n>', 'the first run\'s seed (run i plays seed + i)', positiveInt, 1)
  .option('--followers <n>', 'emulated followers per run', positiveInt, 30)
  .option('--engagements <n>', 'planned engagements per run', positiveInt, 160)
  .option('--cluster <nodes>', 'run on a Redis Cluster (host:port,…; scripts/services.sh cluster starts one) with two workers; no Redis restarts')
  .parse()
  .opts<{ runs: number; seed: number; followers: number; engagements: number; cluster?: string }>();

// An interrupted soak exits through the exit hooks that kill what it started.
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => process.exit(130));

const services = await startSoakServices({ redis: options.cluster === undefined });
const runOptions: SoakRunOptions = {
  services,
  redisEnv: options.cluster === undefined ? { REDIS_URL: services.redisUrl ?? '' } : { NUQTA_REDIS_CLUSTER: options.cluster },
  size: { followers: options.followers, engagements: options.engagements },
  ...(options.cluster === undefined ? {} : { workers: 2 as const }),
};
const totals = { runs: 0, events: 0, lost: 0, duplicated: 0, caps: 0, other: 0 };
try {
  for (let index = 0; index < options.runs; index += 1) {
    const seed = options.seed + index;
    try {
      const { plan, report, acknowledged, redemptions, ms } = await soakRun(seed, runOptions);
      totals.runs += 1;
      totals.events += report.events;
      totals.lost += report.lost.length;
      totals.duplicated += report.duplicated.length;
      totals.caps += report.capViolations.length;
      totals.other += report.misscored.length + report.balances.length + report.boards.length;
      const verdict = failures(report) === 0 ? 'ok' : 'FAILED';
      console.log(`run ${index + 1} seed ${seed}: ${verdict}, ${report.events} events, ${report.entries.all} entries (${report.entries.reversed} reversals, ${report.entries.held} held, ${report.entries.redeemed} redemptions), ${acknowledged} deliveries acknowledged, ${redemptions.granted}/${redemptions.granted + redemptions.refused} redemptions granted, ${(ms / 1000).toFixed(1)} s [${describePlan(plan)}]`);
      for (const problem of [...report.lost, ...report.duplicated, ...report.misscored, ...report.capViolations, ...report.balances, ...report.boards].slice(0, 20)) console.log(`  ${problem}`);
    } catch (error) {
      totals.runs += 1;
      totals.other += 1;
      console.log(`run ${index + 1} seed ${seed}: FAILED, ${error instanceof Error ? error.message : String(error)}`);
      const mongoLog = services.mongoLog(20);
      if (mongoLog !== '') console.error(`MongoDB-wire server, last lines of its log:\n${mongoLog}`);
    }
  }
} finally {
  await services.remove();
}
console.log(`runs ${totals.runs}, events ${totals.events}, lost ${totals.lost}, duplicated ${totals.duplicated}, cap violations ${totals.caps}${totals.other > 0 ? `, other failures ${totals.other}` : ''}`);
process.exit(totals.lost + totals.duplicated + totals.caps + totals.other > 0 ? 1 : 0);
