/**
 * What one seed's verdicts amount to, measured two ways: flagged when scored
 * (held or rejected at once), and flagged for review (that, or put under
 * retroactive review by a later held or rejected event of the member).
 */
import { FRAUD_SIGNAL_CODES, type FraudSignalCode } from '../domain/fraud-codes.js';
import { decisionFor, scoreOf } from '../scoring/fraud/score.js';
import type { FraudDecision, FraudSignal } from '../scoring/fraud/types.js';
import { falsePositiveRate, qualityOf, type Judged, type Quality } from './metrics.js';
import { reviewTriggers, reviewWorkload, type ReviewLookback, type ReviewWorkload, type ScoredAction } from './review.js';
import { FRAUD_STYLES, type FraudStyle } from './world.js';

export interface ScoredEvent extends ScoredAction {
  signals: FraudSignal[];
}

export interface Detection {
  overall: Quality;
  byStyle: Record<FraudStyle, Quality>;
  /** Ordinary events flagged, over all ordinary events. */
  falsePositiveRate: number;
  /** Ordinary members with at least one event flagged, over all ordinary members. */
  ordinaryMembersFlagged: number;
  /** Fraudulent accounts with at least one event flagged: each one puts the account in front of a reviewer. */
  fraudAccountsFlagged: number;
  /** Of the fraud events never flagged, the share that were among their account's first three. */
  missedEarly: number;
}

export interface Measured {
  whenScored: Detection;
  forReview: Detection;
  workload: ReviewWorkload;
}

type Thresholds = { hold_at: number; reject_at: number };

function decisionsOf(scored: readonly ScoredEvent[], thresholds: Thresholds, without?: FraudSignalCode): FraudDecision[] {
  return scored.map(({ signals }) => decisionFor(scoreOf(without === undefined ? signals : signals.filter((signal) => signal.code !== without)), thresholds));
}

function flaggedSets(scored: readonly ScoredEvent[], thresholds: Thresholds, lookback: ReviewLookback, without?: FraudSignalCode) {
  const decisions = decisionsOf(scored, thresholds, without);
  // Without the wave signal there is no wave to put under review either.
  const actions = without === 'stock_wave' ? scored.map(({ wave: _wave, ...action }) => action) : scored;
  const triggers = reviewTriggers(actions, decisions, lookback);
  const whenScored = decisions.map((decision) => decision !== 'allow');
  const forReview = whenScored.map((flagged, index) => flagged || triggers[index] !== undefined);
  return { decisions, triggers, whenScored, forReview };
}

const judgedOf = (scored: readonly ScoredEvent[], flagged: readonly boolean[]): Judged[] =>
  scored.map(({ label }, index) => ({ label, flagged: flagged[index] ?? false }));

function detection(scored: readonly ScoredEvent[], flagged: readonly boolean[]): Detection {
  const judged = judgedOf(scored, flagged);
  const byStyle = Object.fromEntries(FRAUD_STYLES.map((style) => [style, qualityOf(judged, (label) => label === style)])) as Record<FraudStyle, Quality>;
  const members = { ordinary: new Set<string>(), fraud: new Set<string>() };
  const reached = { ordinary: new Set<string>(), fraud: new Set<string>() };
  const position = new Map<string, number>();
  let missed = 0;
  let missedEarly = 0;
  scored.forEach(({ label, memberId }, index) => {
    const side = label === 'ordinary' ? 'ordinary' : 'fraud';
    members[side].add(memberId);
    if (flagged[index]) reached[side].add(memberId);
    if (side === 'ordinary') return;
    const nth = (position.get(memberId) ?? 0) + 1;
    position.set(memberId, nth);
    if (flagged[index]) return;
    missed += 1;
    if (nth <= 3) missedEarly += 1;
  });
  const share = (side: 'ordinary' | 'fraud'): number => (members[side].size === 0 ? 0 : reached[side].size / members[side].size);
  return {
    overall: qualityOf(judged, (label) => label !== 'ordinary'),
    byStyle,
    falsePositiveRate: falsePositiveRate(judged),
    ordinaryMembersFlagged: share('ordinary'),
    fraudAccountsFlagged: share('fraud'),
    missedEarly: missed === 0 ? 0 : missedEarly / missed,
  };
}

export function measure(scored: readonly ScoredEvent[], thresholds: Thresholds, lookback: ReviewLookback): Measured {
  const { decisions, triggers, whenScored, forReview } = flaggedSets(scored, thresholds, lookback);
  return { whenScored: detection(scored, whenScored), forReview: detection(scored, forReview), workload: reviewWorkload(scored, decisions, triggers) };
}

/** Overall F1 with each signal's weight set to 0, both ways. */
export function f1WithoutEach(scored: readonly ScoredEvent[], thresholds: Thresholds, lookback: ReviewLookback): Record<FraudSignalCode, { whenScored: number; forReview: number }> {
  const isFraud = (label: string): boolean => label !== 'ordinary';
  return Object.fromEntries(
    FRAUD_SIGNAL_CODES.map((code) => {
      const { whenScored, forReview } = flaggedSets(scored, thresholds, lookback, code);
      return [code, { whenScored: qualityOf(judgedOf(scored, whenScored), isFraud).f1, forReview: qualityOf(judgedOf(scored, forReview), isFraud).f1 }];
    }),
  ) as Record<FraudSignalCode, { whenScored: number; forReview: number }>;
}
