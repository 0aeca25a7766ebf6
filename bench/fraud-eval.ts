/**
 * Fraud scorer quality on seeded synthetic populations:
 *   npx tsx bench/fraud-eval.ts [--no-profiles] [seed…]
 * Prints precision, recall and F1 per fraud style, false positives on ordinary
 * followers, and an ablation of every signal. `--no-profiles` scores as if no
 * platform reported account profiles. Exits 1 when the targets are missed.
 */
import { formatFraudReport, meetsTargets, runFraudEval } from '../src/scoring/fraud/eval/index.js';

const DEFAULT_SEEDS = [201, 202, 203, 204, 205, 206, 207, 208];

const args = process.argv.slice(2);
const seeds = args.filter((arg) => /^\d+$/.test(arg)).map(Number);
const report = runFraudEval({ seeds: seeds.length > 0 ? seeds : DEFAULT_SEEDS, profiles: !args.includes('--no-profiles') });
console.log(formatFraudReport(report));
process.exitCode = meetsTargets(report) ? 0 : 1;
