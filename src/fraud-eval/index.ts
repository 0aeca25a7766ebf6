/**
 * src/fraud-eval measures the fraud scorer on seeded, labelled
 * synthetic populations (honest followers, honest same-text crowds and ten styles of fraud). It runs
 * the real scorer through the real history builder and query plan; it must
 * never be imported by the scoring path itself.
 */
export { HELD_OUT_SEEDS, runFraudEval, syntheticPopulation, type DetectionSpread, type FraudEvalOptions, type FraudEvalReport, type SeedResult } from './run.js';
export type { Detection } from './detection.js';
export type { ReviewWorkload } from './review.js';
export { formatFraudReport, meetsTargets, FRAUD_TARGETS } from './report.js';
export { FRAUD_STYLES, type FraudStyle, type Label, type LabelledEvent } from './world.js';
export type { Quality, Spread } from './metrics.js';
export { InMemoryEventHistory } from './store.js';
