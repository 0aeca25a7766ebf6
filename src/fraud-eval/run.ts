/**
 * Runs the real scorer over seeded synthetic populations, in time order, with
 * history loaded through the same query plan production uses, replays
 * retroactive review over the verdicts, and measures both.
 */
import { campaignSchema, type Campaign } from '../config/campaign-schema.js';
import { memberIdOf } from '../domain/event.js';
import { FRAUD_SIGNAL_CODES, type FraudSignalCode } from '../domain/fraud-codes.js';
import { buildRecentActivity } from '../scoring/fraud/history.js';
import { scoreFraud } from '../scoring/fraud/score.js';
import { UNDO_KINDS } from '../scoring/fraud/signals/signal.js';
import { FRAUD_WINDOWS } from '../scoring/fraud/windows.js';
import { accountFactory } from './accounts.js';
import { f1WithoutEach, measure, type Detection, type ScoredEvent } from './detection.js';
import { fraudulentActivity } from './fraud-styles.js';
import { spreadOf, type Quality, type Spread } from './metrics.js';
import { ordinaryFollowers } from './ordinary.js';
import type { ReviewLookback, ReviewWorkload } from './review.js';
import { DEFAULT_REVIEWER_DELAY_MS, SimulatedReviewers } from './reviewers.js';
import { seededRng } from './rng.js';
import { InMemoryEventHistory } from './store.js';
import { days, FRAUD_STYLES, postsFor, type FraudStyle, type LabelledEvent, type World } from './world.js';

export interface FraudEvalOptions {
  seeds: readonly number[];
  /** Honest followers per population (default 600); fraud volumes scale with it. */
  audience?: number;
  /** Campaign length in days (default 14). */
  days?: number;
  /** The campaign's `fraud` block to evaluate (thresholds, weights); defaults as in the campaign schema. */
  fraud?: Partial<Campaign['fraud']>;
  /**
   * Set to false to score as if no platform ever reported a profile (Instagram
   * comment webhooks carry only id and username), leaving only behaviour.
   */
  profiles?: boolean;
  /** How far back a held or rejected event puts the member's awards under review, by decision (default `FRAUD_WINDOWS.reviewLookbackMs`). */
  reviewLookback?: ReviewLookback;
  /**
   * How long after a flag opens a reviewer decides it (default a day), or
   * false for a queue nobody works. The simulated reviewer gets every
   * decision right: approving an honest member clears it (`fraud.clearance_days`).
   */
  reviewerDelayMs?: number | false;
}

type Settings = Required<Omit<FraudEvalOptions, 'seeds' | 'fraud'>>;

export interface SeedResult {
  seed: number;
  /** Scored events that can earn points (deletions and unfollows are left out). */
  events: number;
  fraudEvents: number;
  eventsByStyle: Record<FraudStyle, number>;
  /** Held or rejected when scored. */
  whenScored: Detection;
  /** Held or rejected when scored, or put under review by a later held or rejected event of the member. */
  forReview: Detection;
  /** What reviewers get to decide. */
  workload: ReviewWorkload;
  /** Overall F1 with each signal's weight set to 0. */
  f1Without: Record<FraudSignalCode, { whenScored: number; forReview: number }>;
}

export interface DetectionSpread {
  overall: Record<keyof Quality, Spread>;
  byStyle: Record<FraudStyle, Record<keyof Quality, Spread>>;
  falsePositiveRate: Spread;
  ordinaryMembersFlagged: Spread;
  fraudAccountsFlagged: Spread;
  missedEarly: Spread;
}

export interface FraudEvalReport {
  seeds: readonly number[];
  audience: number;
  days: number;
  profiles: boolean;
  thresholds: { hold_at: number; reject_at: number };
  /** The campaign's `fraud.clearance_days`. */
  clearanceDays: number;
  /** How far back a held or rejected event puts the member's awards under review, by decision. */
  reviewLookback: ReviewLookback;
  /** How long after a flag opens the simulated reviewer decides it; false when nobody does. */
  reviewerDelayMs: number | false;
  perSeed: SeedResult[];
  eventsByStyle: Record<FraudStyle, Spread>;
  whenScored: DetectionSpread;
  forReview: DetectionSpread;
  /** Per campaign day, over seeds. */
  workload: Record<keyof ReviewWorkload, Spread>;
  /** Mean change in overall F1 when the signal is removed, both ways; negative means the signal helps. Sorted by the review figure. */
  ablation: { code: FraudSignalCode; whenScored: { f1: Spread; deltaF1: number }; forReview: { f1: Spread; deltaF1: number } }[];
}

/** The seeds the published figures use: never looked at while choosing signals, weights or windows (docs/FRAUD.md). */
export const HELD_OUT_SEEDS: readonly number[] = [301, 302, 303, 304, 305, 306, 307, 308, 309, 310];

const STARTS_AT = '2027-03-01T00:00:00+03:00';
const ACCOUNT_ID = '17841400000000001';

function evalCampaign(lengthDays: number, fraud: Partial<Campaign['fraud']>): Campaign {
  const startsAt = new Date(STARTS_AT);
  return campaignSchema.parse({
    id: 'fraud-eval',
    name: { ar: 'تقييم كشف الاحتيال', en: 'Fraud evaluation' },
    timezone: 'Asia/Riyadh',
    starts_at: startsAt,
    ends_at: new Date(startsAt.getTime() + days(lengthDays)),
    accounts: { instagram: [ACCOUNT_ID] },
    rules: [{ id: 'comment', on: 'comment', points: 10 }],
    fraud,
  });
}

/** Every event of one seeded population, honest and fraudulent, in time order. */
export function syntheticPopulation(seed: number, audience: number, lengthDays: number): LabelledEvent[] {
  const rng = seededRng(seed);
  const startsAt = new Date(STARTS_AT).getTime();
  const world: World = {
    rng,
    accountId: ACCOUNT_ID,
    startsAt,
    endsAt: startsAt + days(lengthDays),
    posts: postsFor(rng, startsAt, lengthDays),
    audience,
  };
  const accounts = accountFactory(rng);
  const events = [...ordinaryFollowers(world, accounts), ...FRAUD_STYLES.flatMap((style) => fraudulentActivity(world, accounts, style))];
  return events.sort(
    (a, b) => a.event.occurredAt.getTime() - b.event.occurredAt.getTime() || (a.event.eventKey < b.event.eventKey ? -1 : 1),
  );
}

function withoutProfile({ event, label }: LabelledEvent): LabelledEvent {
  const { profile: _dropped, ...actor } = event.actor;
  return { event: { ...event, actor }, label };
}

function scorePopulation(population: readonly LabelledEvent[], campaign: Campaign, reviewerDelayMs: number | false): ScoredEvent[] {
  const history = new InMemoryEventHistory();
  const lists = { staff: new Set<string>(), blocked: new Set<string>() };
  const reviewers = new SimulatedReviewers(campaign, reviewerDelayMs);
  const scored: ScoredEvent[] = [];
  const byCommentId = new Map<string, ScoredEvent>();
  for (const { event, label } of population) {
    const memberId = memberIdOf(event.platform, event.actor.platformUserId);
    const now = event.receivedAt;
    const recent = buildRecentActivity(event, history.load(event, campaign));
    const verdict = scoreFraud({ event, campaign, history: recent, lists, now, cleared: reviewers.clearedAt(memberId, now.getTime()) });
    history.add(event);
    reviewers.flagged(memberId, label, verdict, now.getTime());
    // Deletions and unfollows earn nothing, so there is nothing to flag; a deletion takes its comment's award back.
    if (UNDO_KINDS.has(event.kind)) {
      const deleted = event.target.commentId === undefined ? undefined : byCommentId.get(event.target.commentId);
      if (deleted !== undefined) deleted.deletedAt = event.occurredAt.getTime();
      continue;
    }
    const entry: ScoredEvent = { label, memberId, at: event.occurredAt.getTime(), signals: verdict.signals, mediaId: event.target.mediaId, wave: verdict.wave };
    scored.push(entry);
    byCommentId.set(event.platformEventId, entry);
  }
  return scored;
}

function evaluateSeed(seed: number, options: Settings, campaign: Campaign): SeedResult {
  const population = syntheticPopulation(seed, options.audience, options.days);
  const scored = scorePopulation(options.profiles ? population : population.map(withoutProfile), campaign, options.reviewerDelayMs);
  const { whenScored, forReview, workload } = measure(scored, campaign.fraud, options.reviewLookback);
  return {
    seed,
    events: scored.length,
    fraudEvents: scored.filter((entry) => entry.label !== 'ordinary').length,
    eventsByStyle: Object.fromEntries(FRAUD_STYLES.map((style) => [style, scored.filter((entry) => entry.label === style).length])) as Record<FraudStyle, number>,
    whenScored,
    forReview,
    workload,
    f1Without: f1WithoutEach(scored, campaign.fraud, options.reviewLookback),
  };
}

function qualitySpread(qualities: readonly Quality[]): Record<keyof Quality, Spread> {
  return {
    precision: spreadOf(qualities.map((quality) => quality.precision)),
    recall: spreadOf(qualities.map((quality) => quality.recall)),
    f1: spreadOf(qualities.map((quality) => quality.f1)),
  };
}

function detectionSpread(detections: readonly Detection[]): DetectionSpread {
  return {
    overall: qualitySpread(detections.map((detection) => detection.overall)),
    byStyle: Object.fromEntries(FRAUD_STYLES.map((style) => [style, qualitySpread(detections.map((detection) => detection.byStyle[style]))])) as DetectionSpread['byStyle'],
    falsePositiveRate: spreadOf(detections.map((detection) => detection.falsePositiveRate)),
    ordinaryMembersFlagged: spreadOf(detections.map((detection) => detection.ordinaryMembersFlagged)),
    fraudAccountsFlagged: spreadOf(detections.map((detection) => detection.fraudAccountsFlagged)),
    missedEarly: spreadOf(detections.map((detection) => detection.missedEarly)),
  };
}

export function runFraudEval(options: FraudEvalOptions): FraudEvalReport {
  const settings: Settings = {
    audience: options.audience ?? 600,
    days: options.days ?? 14,
    profiles: options.profiles ?? true,
    reviewLookback: options.reviewLookback ?? FRAUD_WINDOWS.reviewLookbackMs,
    reviewerDelayMs: options.reviewerDelayMs ?? DEFAULT_REVIEWER_DELAY_MS,
  };
  const campaign = evalCampaign(settings.days, options.fraud ?? {});
  const perSeed = options.seeds.map((seed) => evaluateSeed(seed, settings, campaign));
  const whenScored = detectionSpread(perSeed.map((result) => result.whenScored));
  const forReview = detectionSpread(perSeed.map((result) => result.forReview));
  const perDay = (pick: (result: SeedResult) => number): Spread => spreadOf(perSeed.map((result) => pick(result) / settings.days));
  const ablation = FRAUD_SIGNAL_CODES.map((code) => {
    const without = (way: 'whenScored' | 'forReview', overall: DetectionSpread) => {
      const f1 = spreadOf(perSeed.map((result) => result.f1Without[code][way]));
      return { f1, deltaF1: f1.mean - overall.overall.f1.mean };
    };
    return { code, whenScored: without('whenScored', whenScored), forReview: without('forReview', forReview) };
  }).sort((a, b) => a.forReview.deltaF1 - b.forReview.deltaF1);
  return {
    seeds: options.seeds,
    ...settings,
    thresholds: { hold_at: campaign.fraud.hold_at, reject_at: campaign.fraud.reject_at },
    clearanceDays: campaign.fraud.clearance_days,
    perSeed,
    eventsByStyle: Object.fromEntries(FRAUD_STYLES.map((style) => [style, spreadOf(perSeed.map((result) => result.eventsByStyle[style]))])) as Record<FraudStyle, Spread>,
    whenScored,
    forReview,
    workload: {
      flags: perDay((result) => result.workload.flags),
      eventsToDecide: perDay((result) => result.workload.eventsToDecide),
      honestEventsToDecide: perDay((result) => result.workload.honestEventsToDecide),
      heldEvents: perDay((result) => result.workload.heldEvents),
    },
    ablation,
  };
}
