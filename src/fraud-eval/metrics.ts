/** Precision, recall and F1 from labelled verdicts, and their spread over seeds. */
import type { Label } from './world.js';

export interface Quality {
  precision: number;
  recall: number;
  f1: number;
}

export interface Spread {
  min: number;
  mean: number;
  max: number;
}

/** An event and whether it reached a reviewer (held or rejected when scored, or, when counted so, put under review later). */
export interface Judged {
  label: Label;
  flagged: boolean;
}

/**
 * Quality for the fraud in `isTarget`. False positives are always all the
 * flagged ordinary events, so a style's precision reads "if this were the
 * only fraud on the account".
 */
export function qualityOf(judged: readonly Judged[], isTarget: (label: Label) => boolean): Quality {
  let truePositives = 0;
  let falsePositives = 0;
  let falseNegatives = 0;
  for (const { label, flagged } of judged) {
    if (label === 'ordinary') falsePositives += flagged ? 1 : 0;
    else if (isTarget(label)) {
      if (flagged) truePositives += 1;
      else falseNegatives += 1;
    }
  }
  const precision = truePositives + falsePositives === 0 ? 1 : truePositives / (truePositives + falsePositives);
  const recall = truePositives + falseNegatives === 0 ? 1 : truePositives / (truePositives + falseNegatives);
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { precision, recall, f1 };
}

export function falsePositiveRate(judged: readonly Judged[]): number {
  const ordinary = judged.filter((entry) => entry.label === 'ordinary');
  return ordinary.length === 0 ? 0 : ordinary.filter((entry) => entry.flagged).length / ordinary.length;
}

export function spreadOf(values: readonly number[]): Spread {
  if (values.length === 0) return { min: 0, mean: 0, max: 0 };
  return {
    min: Math.min(...values),
    mean: values.reduce((sum, value) => sum + value, 0) / values.length,
    max: Math.max(...values),
  };
}
