/**
 * Runs the real scorer over seeded synthetic populations, in time order, with
 * history loaded through the same query plan production uses, and measures it.
 */
import { campaignSchema, type Campaign } from '../../../config/campaign-schema.js';
import { memberIdOf } from '../../../domain/event.js';
import { FRAUD_SIGNAL_CODES, type FraudSignalCode } from '../codes.js';
import { buildRecentActivity } from '../history.js';
import { decisionFor, scoreFraud, scoreOf } from '../score.js';
import { UNDO_KINDS } from '../signals/signal.js';
import type { FraudSignal } from '../types.js';
import { accountFactory } from './accounts.js';
import { fraudulentActivity } from './fraud-styles.js';
import { falsePositiveRate, qualityOf, spreadOf, type Judged, type Quality, type Spread } from './metrics.js';
import { ordinaryFollowers } from './ordinary.js';
import { seededRng } from './rng.js';
import { InMemoryEventHistory } from './store.js';
import { days, FRAUD_STYLES, postsFor, type FraudStyle, type Label, type LabelledEvent, type World } from './world.js';

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
}

export interface SeedResult {
  seed: number;
  /** Scored events that can earn points (deletions and unfollows are left out). */
  events: number;
  fraudEvents: number;
  overall: Quality;
  byStyle: Record<FraudStyle, Quality & { events: number }>;
  /** Ordinary events held or rejected, over all ordinary events. */
  falsePositiveRate: number;
  /** Ordinary members with at least one event held or rejected, over all ordinary members. */
  ordinaryMembersFlagged: number;
  /** Fraudulent accounts with at least one event held or rejected: each one puts the account in front of a reviewer. */
  fraudAccountsFlagged: number;
  /** Of the fraud events let through, the share that were among their account's first three: before any pattern exists. */
  missedEarly: number;
  /** Overall F1 with each signal's weight set to 0. */
  f1Without: Record<FraudSignalCode, number>;
}

export interface FraudEvalReport {
  seeds: readonly number[];
  audience: number;
  days: number;
  profiles: boolean;
  thresholds: { hold_at: number; reject_at: number };
  perSeed: SeedResult[];
  overall: Record<keyof Quality, Spread>;
  byStyle: Record<FraudStyle, Record<keyof Quality, Spread> & { events: Spread }>;
  falsePositiveRate: Spread;
  ordinaryMembersFlagged: Spread;
  fraudAccountsFlagged: Spread;
  missedEarly: Spread;
  /** Mean change in overall F1 when the signal is removed; negative means the signal helps. */
  ablation: { code: FraudSignalCode; f1: Spread; deltaF1: number }[];
}

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

interface Scored {
  label: Label;
  memberId: string;
  signals: FraudSignal[];
}

function withoutProfile({ event, label }: LabelledEvent): LabelledEvent {
  const { profile: _dropped, ...actor } = event.actor;
  return { event: { ...event, actor }, label };
}

function scorePopulation(population: readonly LabelledEvent[], campaign: Campaign): Scored[] {
  const history = new InMemoryEventHistory();
  const lists = { staff: new Set<string>(), blocked: new Set<string>() };
  const scored: Scored[] = [];
  for (const { event, label } of population) {
    const recent = buildRecentActivity(event, history.load(event, campaign));
    const verdict = scoreFraud({ event, campaign, history: recent, lists, now: event.receivedAt });
    history.add(event);
    // Deletions and unfollows earn nothing, so there is nothing to flag.
    if (UNDO_KINDS.has(event.kind)) continue;
    scored.push({ label, memberId: memberIdOf(event.platform, event.actor.platformUserId), signals: verdict.signals });
  }
  return scored;
}

function judge(scored: readonly Scored[], campaign: Campaign, without?: FraudSignalCode): Judged[] {
  return scored.map(({ label, signals }) => ({
    label,
    decision: decisionFor(scoreOf(without === undefined ? signals : signals.filter((signal) => signal.code !== without)), campaign.fraud),
  }));
}

function evaluateSeed(seed: number, options: Required<Omit<FraudEvalOptions, 'seeds' | 'fraud'>>, campaign: Campaign): SeedResult {
  const population = syntheticPopulation(seed, options.audience, options.days);
  const scored = scorePopulation(options.profiles ? population : population.map(withoutProfile), campaign);
  const judged = judge(scored, campaign);
  const byStyle = Object.fromEntries(
    FRAUD_STYLES.map((style) => [
      style,
      { ...qualityOf(judged, (label) => label === style), events: judged.filter((entry) => entry.label === style).length },
    ]),
  ) as Record<FraudStyle, Quality & { events: number }>;
  const members = { ordinary: new Set<string>(), fraud: new Set<string>() };
  const flagged = { ordinary: new Set<string>(), fraud: new Set<string>() };
  scored.forEach((entry, index) => {
    const side = entry.label === 'ordinary' ? 'ordinary' : 'fraud';
    members[side].add(entry.memberId);
    if (judged[index]?.decision !== 'allow') flagged[side].add(entry.memberId);
  });
  const shareFlagged = (side: 'ordinary' | 'fraud'): number => (members[side].size === 0 ? 0 : flagged[side].size / members[side].size);
  const position = new Map<string, number>();
  let missed = 0;
  let missedEarly = 0;
  scored.forEach((entry, index) => {
    if (entry.label === 'ordinary') return;
    const nth = (position.get(entry.memberId) ?? 0) + 1;
    position.set(entry.memberId, nth);
    if (judged[index]?.decision !== 'allow') return;
    missed += 1;
    if (nth <= 3) missedEarly += 1;
  });
  const f1Without = Object.fromEntries(
    FRAUD_SIGNAL_CODES.map((code) => [code, qualityOf(judge(scored, campaign, code), (label) => label !== 'ordinary').f1]),
  ) as Record<FraudSignalCode, number>;
  return {
    seed,
    events: judged.length,
    fraudEvents: judged.filter((entry) => entry.label !== 'ordinary').length,
    overall: qualityOf(judged, (label) => label !== 'ordinary'),
    byStyle,
    falsePositiveRate: falsePositiveRate(judged),
    ordinaryMembersFlagged: shareFlagged('ordinary'),
    fraudAccountsFlagged: shareFlagged('fraud'),
    missedEarly: missed === 0 ? 0 : missedEarly / missed,
    f1Without,
  };
}

function qualitySpread(qualities: readonly Quality[]): Record<keyof Quality, Spread> {
  return {
    precision: spreadOf(qualities.map((quality) => quality.precision)),
    recall: spreadOf(qualities.map((quality) => quality.recall)),
    f1: spreadOf(qualities.map((quality) => quality.f1)),
  };
}

export function runFraudEval(options: FraudEvalOptions): FraudEvalReport {
  const settings = { audience: options.audience ?? 600, days: options.days ?? 14, profiles: options.profiles ?? true };
  const campaign = evalCampaign(settings.days, options.fraud ?? {});
  const perSeed = options.seeds.map((seed) => evaluateSeed(seed, settings, campaign));
  const overall = qualitySpread(perSeed.map((result) => result.overall));
  const byStyle = Object.fromEntries(
    FRAUD_STYLES.map((style) => [
      style,
      { ...qualitySpread(perSeed.map((result) => result.byStyle[style])), events: spreadOf(perSeed.map((result) => result.byStyle[style].events)) },
    ]),
  ) as FraudEvalReport['byStyle'];
  const ablation = FRAUD_SIGNAL_CODES.map((code) => {
    const f1 = spreadOf(perSeed.map((result) => result.f1Without[code]));
    return { code, f1, deltaF1: f1.mean - overall.f1.mean };
  }).sort((a, b) => a.deltaF1 - b.deltaF1);
  return {
    seeds: options.seeds,
    ...settings,
    thresholds: { hold_at: campaign.fraud.hold_at, reject_at: campaign.fraud.reject_at },
    perSeed,
    overall,
    byStyle,
    falsePositiveRate: spreadOf(perSeed.map((result) => result.falsePositiveRate)),
    ordinaryMembersFlagged: spreadOf(perSeed.map((result) => result.ordinaryMembersFlagged)),
    fraudAccountsFlagged: spreadOf(perSeed.map((result) => result.fraudAccountsFlagged)),
    missedEarly: spreadOf(perSeed.map((result) => result.missedEarly)),
    ablation,
  };
}
