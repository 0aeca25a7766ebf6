/**
 * Fraud scorer quality on seeded synthetic populations:
 *   npx tsx bench/fraud-eval.ts [--no-profiles] [--no-reviewers] [seed…]
 * Prints precision, recall and F1 per fraud style, false positives on ordinary
 * followers, and an ablation of every signal. `--no-profiles` scores as if no
 * platform reported account profiles; `--no-reviewers` as if nobody ever
 * decided a flag (no approval clears anyone). Exits 1 when the targets are missed.
 */
import { formatFraudReport, HELD_OUT_SEEDS, meetsTargets, runFraudEval } from '../src/fraud-eval/index.js';


const args = process.argv.slice(2);
const seeds = args.filter((arg) => /^\d+$/.test(arg)).map(Number);
const report = runFraudEval({
  seeds: seeds.length > 0 ? seeds : HELD_OUT_SEEDS,
  profiles: !args.includes('--no-profiles'),
  ...(args.includes('--no-reviewers') ? { reviewerDelayMs: false } : {}),
});
console.log(formatFraudReport(report));
process.exitCode = meetsTargets(report) ? 0 : 1;
