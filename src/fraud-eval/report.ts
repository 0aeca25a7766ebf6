/** The evaluation as a plain-text table, for the terminal and for docs/FRAUD.md. */
import type { Quality, Spread } from './metrics.js';
import type { DetectionSpread, FraudEvalReport } from './run.js';
import { FRAUD_STYLES } from './world.js';

/** The quality bar the defaults are held to. */
export const FRAUD_TARGETS = { precision: 0.95, recall: 0.9, falsePositiveRate: 0.01 } as const;

const fixed = (value: number, digits = 3): string => value.toFixed(digits);
const spread = ({ min, mean, max }: Spread, digits = 3): string => `${fixed(mean, digits)} (${fixed(min, digits)}–${fixed(max, digits)})`;
const row = (cells: readonly string[], widths: readonly number[]): string =>
  cells.map((cell, index) => cell.padEnd(widths[index] ?? 0)).join('  ').trimEnd();
const signed = (value: number): string => `${value >= 0 ? '+' : ''}${fixed(value)}`;

/**
 * Every target holds on every seed: one brand lives through one campaign, so
 * a seed where a farm slips through, or where honest followers are held, is
 * a campaign that went wrong whatever the mean says. `meets` is the weaker
 * reading (recall on the mean), printed next to it.
 */
function meets(detection: DetectionSpread): boolean {
  return (
    detection.overall.precision.min >= FRAUD_TARGETS.precision &&
    detection.overall.recall.mean >= FRAUD_TARGETS.recall &&
    detection.falsePositiveRate.max <= FRAUD_TARGETS.falsePositiveRate
  );
}

function meetsOnEverySeed(detection: DetectionSpread): boolean {
  return meets(detection) && detection.overall.recall.min >= FRAUD_TARGETS.recall;
}

/** The targets for what reaches a reviewer: flagged when scored or put under review later. */
export function meetsTargets(report: FraudEvalReport): boolean {
  return meetsOnEverySeed(report.forReview);
}

const percent = (value: number): string => `${fixed(value * 100, 2)}%`;

/** Each seed on its own: overall recall both ways, precision and false positives for review, and each style's recall for review. */
function perSeedLines(report: FraudEvalReport): string[] {
  const widths = [6, 16, 10, 8, ...FRAUD_STYLES.map((style) => Math.max(6, style.length))];
  return [
    'Per seed, flagged for review (recall when scored → for review; style columns: recall for review)',
    row(['seed', 'recall', 'precision', 'FP', ...FRAUD_STYLES], widths),
    ...report.perSeed.map((result) =>
      row(
        [
          String(result.seed),
          `${fixed(result.whenScored.overall.recall)} → ${fixed(result.forReview.overall.recall)}`,
          fixed(result.forReview.overall.precision),
          percent(result.forReview.falsePositiveRate),
          ...FRAUD_STYLES.map((style) => fixed(result.forReview.byStyle[style].recall)),
        ],
        widths,
      ),
    ),
  ];
}

function detectionLines(report: FraudEvalReport, way: 'whenScored' | 'forReview'): string[] {
  const detection = report[way];
  const seedsBelowRecall = report.perSeed.filter((result) => result[way].overall.recall < FRAUD_TARGETS.recall).map((result) => result.seed);
  const widths = [20, 10, 24, 24, 24];
  const qualityRow = (name: string, events: string, quality: Record<keyof Quality, Spread>): string =>
    row([name, events, spread(quality.precision), spread(quality.recall), spread(quality.f1)], widths);
  const totalEvents = report.perSeed.reduce((sum, result) => sum + result.events, 0) / Math.max(1, report.perSeed.length);
  return [
    row(['style', 'events', 'precision', 'recall', 'F1'], widths),
    ...FRAUD_STYLES.map((style) => qualityRow(style, fixed(report.eventsByStyle[style].mean, 0), detection.byStyle[style])),
    qualityRow('overall', fixed(totalEvents, 0), detection.overall),
    '',
    `False positives on ordinary followers: ${spread(detection.falsePositiveRate, 4)} of their events; ` +
      `${spread(detection.ordinaryMembersFlagged, 4)} of the members had any event flagged`,
    `Fraudulent accounts with at least one event flagged: ${spread(detection.fraudAccountsFlagged)}`,
    `Missed fraud events that were among their account's first three: ${spread(detection.missedEarly)}`,
    `Targets: precision ≥ ${FRAUD_TARGETS.precision} and false positives ≤ ${FRAUD_TARGETS.falsePositiveRate} on every seed, ` +
      `recall ≥ ${FRAUD_TARGETS.recall} on the mean: ${meets(detection) ? 'met' : 'NOT met'}; ` +
      `recall ≥ ${FRAUD_TARGETS.recall} on every seed too: ${meetsOnEverySeed(detection) ? 'met' : `NOT met (${seedsBelowRecall.join(', ')})`}`,
  ];
}

export function formatFraudReport(report: FraudEvalReport): string {
  const hours = (ms: number): string => `${fixed(ms / 3_600_000, 0)} h`;
  const { workload } = report;
  const lines = [
    `Fraud evaluation: ${report.perSeed.length} seeds (${report.seeds.join(', ')}), ${report.audience} honest followers, ${report.days} days${report.profiles ? '' : ', no profiles'}`,
    `Flagged = hold or reject (hold_at ${report.thresholds.hold_at}, reject_at ${report.thresholds.reject_at}). Mean (min–max) over seeds.`,
    report.reviewerDelayMs === false
      ? 'Reviewers: none; no flag is ever decided, so nothing is cleared.'
      : `Reviewers: decide every flag ${hours(report.reviewerDelayMs)} after it opens and get it right; an approval clears an honest member's account-level reasons for ${report.clearanceDays} days.`,
    '',
    'When scored: held or rejected at once',
    ...detectionLines(report, 'whenScored'),
    '',
    'Flagged for review: held or rejected at once, or put under review by a later event of the member held ' +
      `(looking back ${hours(report.reviewLookback.hold)}) or rejected (looking back ${hours(report.reviewLookback.reject)})`,
    ...detectionLines(report, 'forReview'),
    '',
    ...perSeedLines(report),
    '',
    'Reviewer workload per campaign day',
    `  flags opened: ${spread(workload.flags, 1)} (without retroactive review: ${spread(workload.heldEvents, 1)} held events)`,
    `  events to decide: ${spread(workload.eventsToDecide, 1)}, of them honest followers': ${spread(workload.honestEventsToDecide, 1)}`,
    '',
    'Ablation: overall F1 with one signal removed (mean over seeds)',
    row(['signal', 'when scored', 'change', 'for review', 'change'], [22, 12, 10, 12, 10]),
    ...report.ablation.map(({ code, whenScored, forReview }) =>
      row([code, fixed(whenScored.f1.mean), signed(whenScored.deltaF1), fixed(forReview.f1.mean), signed(forReview.deltaF1)], [22, 12, 10, 12, 10]),
    ),
  ];
  return lines.join('\n');
}
