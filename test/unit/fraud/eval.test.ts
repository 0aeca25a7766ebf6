import { beforeAll, describe, expect, it } from 'vitest';
import { FRAUD_SIGNAL_CODES } from '../../../src/scoring/fraud/index.js';
import {
  FRAUD_STYLES,
  FRAUD_TARGETS,
  formatFraudReport,
  runFraudEval,
  syntheticPopulation,
  type FraudEvalReport,
} from '../../../src/scoring/fraud/eval/index.js';

/**
 * Recall per event is held to a floor below the 0.90 target: the first
 * actions of a pod, a ring or a copy-paste fleet carry no pattern yet, and an
 * account whose profile is unknown shows no account signals (docs/FRAUD.md).
 * The floor catches regressions; precision and false positives meet the targets.
 */
const EVENT_RECALL_FLOOR = 0.7;
const ACCOUNT_RECALL_FLOOR = 0.8;

describe('fraud evaluation on a small seeded population', () => {
  let report: FraudEvalReport;
  beforeAll(() => {
    report = runFraudEval({ seeds: [11, 12, 13], audience: 300, days: 10 });
  });

  it('meets the precision and false-positive targets on every seed', () => {
    expect(report.overall.precision.min).toBeGreaterThanOrEqual(FRAUD_TARGETS.precision);
    expect(report.falsePositiveRate.max).toBeLessThanOrEqual(FRAUD_TARGETS.falsePositiveRate);
  });

  it('keeps recall above its floor on every seed', () => {
    expect(report.overall.recall.min).toBeGreaterThanOrEqual(EVENT_RECALL_FLOOR);
    expect(report.fraudAccountsFlagged.min).toBeGreaterThanOrEqual(ACCOUNT_RECALL_FLOOR);
  });

  it('catches some of every style and measures every signal', () => {
    for (const style of FRAUD_STYLES) {
      expect(report.byStyle[style].events.min).toBeGreaterThan(0);
      expect(report.byStyle[style].recall.mean).toBeGreaterThan(0.4);
    }
    expect(report.ablation.map((entry) => entry.code).sort()).toEqual([...FRAUD_SIGNAL_CODES].sort());
    expect(report.ablation[0]?.deltaF1).toBeLessThan(0);
  });

  it('prints a table with every style, the targets and the ablation', () => {
    const table = formatFraudReport(report);
    for (const style of FRAUD_STYLES) expect(table).toContain(style);
    expect(table).toContain('False positives on ordinary followers');
    expect(table).toContain('co_engagement_ring');
  });
});

describe('fraud evaluation without profiles', () => {
  it('leaves the account signals nothing to read', () => {
    const report = runFraudEval({ seeds: [21], audience: 100, days: 5, profiles: false });
    for (const code of ['new_account', 'thin_profile', 'follow_ratio'] as const) {
      expect(report.ablation.find((entry) => entry.code === code)?.deltaF1).toBe(0);
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
