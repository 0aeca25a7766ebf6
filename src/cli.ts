/**
 * The `nuqta` command. Every failure ends as one readable line on stderr and
 * a non-zero exit code; a bad campaign file lists each problem on its own line.
 */
import { Command, InvalidArgumentError } from 'commander';
import { CampaignFileError, formatProblem, loadCampaignDirectory } from './config/campaign-loader.js';
import { CampaignRegistry } from './config/campaign-registry.js';
import { isNuqtaError } from './errors.js';
import { formatFraudReport, HELD_OUT_SEEDS, meetsTargets, runFraudEval } from './fraud-eval/index.js';
import { createLogger } from './log.js';
import { readConfig } from './main.js';
import { openFromConfig, startRunning, stopOnSignal } from './runtime.js';
import { runDemo, type DemoOptions } from './demo.js';
import { registerAccountCommands } from './account-commands.js';
import { registerCampaignCommands } from './campaign-commands.js';
import { registerVoucherCommands } from './voucher-commands.js';
import { registerReferralCommands } from './referral-commands.js';
import { registerWebhookCommands } from './webhook-commands.js';
import { registerLedgerCommands } from './maintenance.js';
import { registerMemberCommands } from './member-commands.js';

const program = new Command()
  .name('nuqta')
  .description('Loyalty points from verified Instagram and TikTok engagement')
  .showHelpAfterError();

function positiveInt(value: string): number {
  const number = Number(value);
  if (!Number.isInteger(number) || number < 1) throw new InvalidArgumentError('must be a whole number above 0');
  return number;
}

async function run(parts: { serve: boolean; work: boolean }): Promise<void> {
  const config = readConfig();
  const logger = createLogger(config.LOG_LEVEL);
  const running = await startRunning(await openFromConfig(config, logger), parts);
  logger.info({ url: running.url, workers: running.workers.length }, 'nuqta running');
  stopOnSignal(running, logger);
}

program.command('serve').description('HTTP API, webhooks and pages').action(() => run({ serve: true, work: false }));
program.command('work').description('queue workers').action(() => run({ serve: false, work: true }));
program.command('start').description('serve and work in one process').action(() => run({ serve: true, work: true }));

program
  .command('demo')
  .description('play an emulated campaign end to end and print the leaderboard')
  .option('--campaign <id>', 'which campaign to play', 'thawb-style')
  .option('--followers <n>', 'how many emulated followers', positiveInt, 60)
  .option('--engagements <n>', 'how many comments, replies and posts', positiveInt, 400)
  .option('--seed <n>', 'population seed', positiveInt, 7)
  .option('--keep', 'keep serving after the demo (Ctrl-C stops)', false)
  .action(async (options: DemoOptions) => {
    await runDemo(readConfig(), options);
  });

/** Opens nuqta for a command, logging only warnings unless LOG_LEVEL asks for more. */
function openForCommand(options: { files?: boolean } = {}): ReturnType<typeof openFromConfig> {
  const config = readConfig();
  return openFromConfig(config, createLogger(config.LOG_LEVEL === 'info' ? 'warn' : config.LOG_LEVEL), options);
}

// Without reading the campaign files: diff and push compare them with what is stored.
registerCampaignCommands(program, () => readConfig(), () => openForCommand({ files: false }));
registerWebhookCommands(program, () => openForCommand());
registerVoucherCommands(program, () => openForCommand());
registerReferralCommands(program, () => openForCommand());
registerAccountCommands(program, () => openForCommand());
registerLedgerCommands(program, () => readConfig());
registerMemberCommands(program, () => openForCommand());

program
  .command('fraud')
  .description('fraud scorer')
  .command('eval')
  .description('precision, recall and false positives of the fraud scorer on seeded synthetic populations')
  .option('--seeds <list>', 'comma-separated population seeds', HELD_OUT_SEEDS.join(','))
  .option('--campaign <id>', "evaluate this campaign's fraud settings (thresholds, weights, clearance days)")
  .option('--no-profiles', 'score as if no platform reported account profiles')
  .option('--no-reviewers', 'as if nobody ever decided a flag, so no approval clears anyone')
  .action(async (options: { seeds: string; campaign?: string; profiles: boolean; reviewers: boolean }) => {
    const seeds = options.seeds.split(',').map((seed) => positiveInt(seed.trim()));
    const fraud = options.campaign === undefined ? undefined
      : new CampaignRegistry(await loadCampaignDirectory(readConfig().NUQTA_CAMPAIGNS)).get(options.campaign).campaign.fraud;
    const report = runFraudEval({ seeds, profiles: options.profiles, ...(fraud ? { fraud } : {}), ...(options.reviewers ? {} : { reviewerDelayMs: false }) });
    console.log(formatFraudReport(report));
    if (!meetsTargets(report)) process.exitCode = 1;
  });

program.parseAsync(process.argv).catch((error: unknown) => {
  if (error instanceof CampaignFileError) {
    for (const problem of error.problems) console.error(formatProblem(problem));
    console.error(`nuqta: ${error.problems.length} problem(s) in campaign files`);
  } else if (isNuqtaError(error)) {
    console.error(`nuqta: ${error.code}: ${error.message}`);
  } else {
    console.error(`nuqta: ${error instanceof Error ? error.message : String(error)}`);
  }
  process.exitCode = 1;
  // Open connections must not keep a failed command alive.
  setTimeout(() => process.exit(1), 100).unref();
});
