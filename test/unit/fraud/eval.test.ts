import { beforeAll, describe, expect, it } from 'vitest';
import { FRAUD_SIGNAL_CODES } from '../../../src/scoring/fraud/index.js';
import {
  FRAUD_STYLES,
  FRAUD_TARGETS,
  formatFraudReport,
  runFraudEval,
  syntheticPopulation,
  type FraudEvalReport,
} from '../../../src/fraud-eval/index.js';

/**
 * Recall when scored is held to a floor below the 0.90 target: the first
 * actions of a pod, a ring or a copy-paste fleet carry no pattern yet, and an
 * account whose profile is unknown shows no account signals (docs/FRAUD.md).
 * Retroactive review recovers part of that; the floors catch regressions.
 */
const EVENT_RECALL_FLOOR = 0.7;
const REVIEW_RECALL_FLOOR = 0.8;
const ACCOUNT_RECALL_FLOOR = 0.8;

describe('fraud evaluation on a small seeded population', () => {
  let report: FraudEvalReport;
  beforeAll(() => {
    report = runFraudEval({ seeds: [11, 12, 13], audience: 300, days: 10 });
  });

  it('meets the precision target on every seed, and the false-positive target when scored', () => {
    expect(report.whenScored.overall.precision.min).toBeGreaterThanOrEqual(FRAUD_TARGETS.precision);
    expect(report.forReview.overall.precision.min).toBeGreaterThanOrEqual(FRAUD_TARGETS.precision);
    // Retroactive review adds an honest member's recent events to each of their flags: on 300 followers, one chatty fan can pass 1%.
    expect(report.whenScored.falsePositiveRate.max).toBeLessThanOrEqual(FRAUD_TARGETS.falsePositiveRate);
  });

  it('keeps recall above its floors on every seed', () => {
    expect(report.whenScored.overall.recall.min).toBeGreaterThanOrEqual(EVENT_RECALL_FLOOR);
    expect(report.forReview.overall.recall.min).toBeGreaterThanOrEqual(REVIEW_RECALL_FLOOR);
    expect(report.whenScored.fraudAccountsFlagged.min).toBeGreaterThanOrEqual(ACCOUNT_RECALL_FLOOR);
  });

  it('only adds to what was flagged when scored; only a wave\u2019s review reaches members nothing else flagged', () => {
    for (const result of report.perSeed) {
      expect(result.forReview.overall.recall).toBeGreaterThan(result.whenScored.overall.recall);
      expect(result.forReview.falsePositiveRate).toBeGreaterThanOrEqual(result.whenScored.falsePositiveRate);
      expect(result.forReview.ordinaryMembersFlagged).toBeGreaterThanOrEqual(result.whenScored.ordinaryMembersFlagged);
      expect(result.forReview.fraudAccountsFlagged).toBeGreaterThanOrEqual(result.whenScored.fraudAccountsFlagged);
      expect(result.workload.flags).toBeGreaterThanOrEqual(result.workload.heldEvents);
      expect(result.workload.eventsToDecide).toBeGreaterThan(result.workload.heldEvents);
    }
  });

  it('looks back further for a rejection than for a hold', () => {
    const shorter = runFraudEval({ seeds: [11], audience: 300, days: 10, reviewLookback: { hold: 3_600_000, reject: 3_600_000 } });
    const [base] = report.perSeed;
    expect(shorter.perSeed[0]?.whenScored.overall.recall).toBe(base?.whenScored.overall.recall);
    expect(shorter.perSeed[0]?.forReview.overall.recall).toBeLessThan(base?.forReview.overall.recall ?? 0);
  });

  it('catches some of every style and measures every signal both ways', () => {
    for (const style of FRAUD_STYLES) {
      expect(report.eventsByStyle[style].min).toBeGreaterThan(0);
      expect(report.whenScored.byStyle[style].recall.mean).toBeGreaterThan(0.4);
    }
    expect(report.ablation.map((entry) => entry.code).sort()).toEqual([...FRAUD_SIGNAL_CODES].sort());
    expect(report.ablation[0]?.forReview.deltaF1).toBeLessThan(0);
    expect(report.ablation[0]?.whenScored.deltaF1).toBeLessThan(0);
  });

  it('prints both tables, the workload, the targets and the ablation', () => {
    const table = formatFraudReport(report);
    for (const style of FRAUD_STYLES) expect(table).toContain(style);
    expect(table).toContain('When scored');
    expect(table).toContain('Flagged for review');
    expect(table).toContain('looking back 24 h');
    expect(table).toContain('looking back 168 h');
    expect(table).toContain('Reviewer workload per campaign day');
    expect(table).toContain('False positives on ordinary followers');
    expect(table).toContain('co_engagement_ring');
  });
});

describe('fraud evaluation without profiles', () => {
  it('leaves the account signals nothing to read', () => {
    const report = runFraudEval({ seeds: [21], audience: 100, days: 5, profiles: false });
    for (const code of ['new_account', 'thin_profile', 'follow_ratio'] as const) {
      const removed = report.ablation.find((entry) => entry.code === code);
      expect(removed?.whenScored.deltaF1).toBe(0);
      expect(removed?.forReview.deltaF1).toBe(0);
    }
    expect(formatFraudReport(report)).toContain('no profiles');
  });
});

describe('synthetic population', () => {
  it('is the same for the same seed and different for another', () => {
    const keysOf = (seed: number): string[] => syntheticPopulation(seed, 60, 4).map(({ event }) => event.eventKey + event.text);
    expect(keysOf(5)).toEqual(keysOf(5));
    expect(keysOf(5)).not.toEqual(keysOf(6));
  });

  it('is in time order and has honest followers writing short stock comments', () => {
    const population = syntheticPopulation(5, 200, 5);
    const times = population.map(({ event }) => event.occurredAt.getTime());
    expect(times).toEqual([...times].sort((a, b) => a - b));
    const honestTexts = population.filter(({ label }) => label === 'ordinary').map(({ event }) => event.text ?? '');
    expect(honestTexts.some((text) => /^[\p{Extended_Pictographic}\uFE0F\s]+$/u.test(text))).toBe(true);
    expect(honestTexts.some((text) => /[\u0600-\u06FF]/.test(text))).toBe(true);
    expect(honestTexts.some((text) => /^[A-Za-z]/.test(text))).toBe(true);
  });
});
