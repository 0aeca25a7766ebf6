/** The evaluation as a plain-text table, for the terminal and for docs/FRAUD.md. */
import type { Quality, Spread } from './metrics.js';
import type { FraudEvalReport } from './run.js';
import { FRAUD_STYLES } from './world.js';

/** The quality bar the defaults are held to. */
export const FRAUD_TARGETS = { precision: 0.95, recall: 0.9, falsePositiveRate: 0.01 } as const;

const fixed = (value: number, digits = 3): string => value.toFixed(digits);
const spread = ({ min, mean, max }: Spread, digits = 3): string => `${fixed(mean, digits)} (${fixed(min, digits)}–${fixed(max, digits)})`;
const row = (cells: readonly string[], widths: readonly number[]): string =>
  cells.map((cell, index) => cell.padEnd(widths[index] ?? 0)).join('  ').trimEnd();

export function meetsTargets(report: FraudEvalReport): boolean {
  return (
    report.overall.precision.min >= FRAUD_TARGETS.precision &&
    report.overall.recall.min >= FRAUD_TARGETS.recall &&
    report.falsePositiveRate.max <= FRAUD_TARGETS.falsePositiveRate
  );
}

export function formatFraudReport(report: FraudEvalReport): string {
  const widths = [20, 10, 24, 24, 24];
  const qualityRow = (name: string, events: string, quality: Record<keyof Quality, Spread>): string =>
    row([name, events, spread(quality.precision), spread(quality.recall), spread(quality.f1)], widths);
  const totalEvents = report.perSeed.reduce((sum, result) => sum + result.events, 0) / Math.max(1, report.perSeed.length);
  const lines = [
    `Fraud evaluation: ${report.perSeed.length} seeds (${report.seeds.join(', ')}), ${report.audience} honest followers, ${report.days} days${report.profiles ? '' : ', no profiles'}`,
    `Flagged = hold or reject (hold_at ${report.thresholds.hold_at}, reject_at ${report.thresholds.reject_at}). Mean (min–max) over seeds.`,
    '',
    row(['style', 'events', 'precision', 'recall', 'F1'], widths),
    ...FRAUD_STYLES.map((style) => qualityRow(style, fixed(report.byStyle[style].events.mean, 0), report.byStyle[style])),
    qualityRow('overall', fixed(totalEvents, 0), report.overall),
    '',
    `False positives on ordinary followers: ${spread(report.falsePositiveRate, 4)} of their events; ` +
      `${spread(report.ordinaryMembersFlagged, 4)} of the members had any event flagged`,
    `Fraudulent accounts with at least one event flagged: ${spread(report.fraudAccountsFlagged)}`,
    `Missed fraud events that were among their account's first three: ${spread(report.missedEarly)}`,
    `Targets (worst seed): precision ≥ ${FRAUD_TARGETS.precision}, recall ≥ ${FRAUD_TARGETS.recall}, ` +
      `false positives ≤ ${FRAUD_TARGETS.falsePositiveRate}: ${meetsTargets(report) ? 'met' : 'NOT met'}`,
    '',
    'Ablation: overall F1 with one signal removed (mean over seeds)',
    row(['signal', 'F1 without', 'change'], [22, 12, 10]),
    ...report.ablation.map(({ code, f1, deltaF1 }) =>
      row([code, fixed(f1.mean), `${deltaF1 >= 0 ? '+' : ''}${fixed(deltaF1)}`], [22, 12, 10]),
    ),
  ];
  return lines.join('\n');
}
