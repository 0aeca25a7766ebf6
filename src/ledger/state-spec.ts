/**
 * What of a campaign shapes a member's state: the time zone its days and
 * weeks are counted in, which rules keep their award times (cooldowns), the
 * challenge windows, expiry and the boards. The fingerprint goes into every
 * stored state, so a state built under other settings is rebuilt from the
 * ledger instead of being read with the wrong shape.
 */
import { createHash } from 'node:crypto';
import type { Campaign } from '../config/campaign-schema.js';
import type { BoardSpec } from '../domain/board-windows.js';

export interface StateSpec {
  timezone: string;
  /** Rules with a cooldown: their standing award times are kept. */
  cooldownRules: ReadonlySet<string>;
  challenges: readonly { id: string; rule: string; from: number; to: number }[];
  /** Days until a lot expires; undefined when the campaign's points never expire (no lots are kept). */
  expiryDays: number | undefined;
  /** The streak's rule: its award days are what a streak reads. */
  streakRule: string | undefined;
  boards: BoardSpec;
  fingerprint: string;
}

const specs = new WeakMap<Campaign, StateSpec>();

export function stateSpecOf(campaign: Campaign): StateSpec {
  const known = specs.get(campaign);
  if (known) return known;
  const cooldownRules = campaign.rules.filter((rule) => rule.limits.cooldown !== undefined).map((rule) => rule.id).sort();
  const challenges = campaign.challenges.map((challenge) => ({
    id: challenge.id, rule: challenge.rule, from: challenge.window.from.getTime(), to: challenge.window.to.getTime(),
  }));
  const expiryDays = campaign.expiry?.after_days;
  const shape = {
    timezone: campaign.timezone, cooldownRules, challenges, expiryDays: expiryDays ?? null,
    streakRule: campaign.streaks?.rule ?? null, windows: campaign.leaderboards.windows,
    // States whose boards still counted points under review are rebuilt.
    boardsCount: 'standing',
  };
  const spec: StateSpec = {
    timezone: campaign.timezone,
    cooldownRules: new Set(cooldownRules),
    challenges,
    expiryDays,
    streakRule: campaign.streaks?.rule,
    boards: campaign,
    fingerprint: createHash('sha256').update(JSON.stringify(shape)).digest('hex').slice(0, 12),
  };
  specs.set(campaign, spec);
  return spec;
}
