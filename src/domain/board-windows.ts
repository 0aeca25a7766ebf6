/**
 * Leaderboard windows: which boards a campaign has (all-time, ISO week and
 * calendar month in the campaign's time zone, one per challenge) and which
 * boards a ledger entry counts on. Pure: the Redis index and the API use these
 * ids so a rebuild from the ledger lands every point on the same board.
 */
import { isoWeekId, monthId } from './calendar.js';
import { REVERSE_RULE_PREFIX, REVIEW_RULE_PREFIX } from './ledger.js';

/** What of a campaign decides its boards (a campaign is one). */
export interface BoardSpec {
  timezone: string;
  leaderboards: { windows: readonly ('all' | 'week' | 'month')[] };
  challenges: readonly { id: string; rule: string; window: { from: Date; to: Date } }[];
}

export type LeaderboardWindow =
  | { kind: 'all' }
  | { kind: 'week' }
  | { kind: 'month' }
  | { kind: 'challenge'; challengeId: string; rule: string; from: Date; to: Date };

/** The window as the API names it: `all`, `week`, `month`, `challenge:<id>`. */
export function windowName(window: LeaderboardWindow): string {
  return window.kind === 'challenge' ? `challenge:${window.challengeId}` : window.kind;
}

/** The campaign's boards: the windows its file lists, then one per challenge. */
export function leaderboardWindows(campaign: BoardSpec): LeaderboardWindow[] {
  const periodic: LeaderboardWindow[] = campaign.leaderboards.windows.map((kind) => ({ kind }));
  const challenges: LeaderboardWindow[] = campaign.challenges.map((challenge) => ({
    kind: 'challenge',
    challengeId: challenge.id,
    rule: challenge.rule,
    from: challenge.window.from,
    to: challenge.window.to,
  }));
  return [...periodic, ...challenges];
}

/** The `?window=` value as one of the campaign's windows, or undefined when it has no such board. */
export function parseWindow(name: string, campaign: BoardSpec): LeaderboardWindow | undefined {
  return leaderboardWindows(campaign).find((window) => windowName(window) === name);
}

/**
 * The concrete board of a window at an instant: `all`, `week:2027-W09`,
 * `month:2027-03`, `challenge:<id>`. Reading "this week's board" is
 * `boardId(window, now, zone)`; placing an entry uses its occurredAt.
 */
export function boardId(window: LeaderboardWindow, at: Date, timeZone: string): string {
  switch (window.kind) {
    case 'all':
      return 'all';
    case 'week':
      return `week:${isoWeekId(at, timeZone)}`;
    case 'month':
      return `month:${monthId(at, timeZone)}`;
    case 'challenge':
      return `challenge:${window.challengeId}`;
  }
}

/**
 * The boards a ledger entry's points count on, placed by when the engagement
 * happened (a reversal carries its original's occurredAt, so it lands on the
 * same boards). A challenge board counts the challenge rule's awards in the
 * challenge window and their reversals (`reverse:<rule>`, and `review:<rule>:…`
 * when a reviewer takes them back), not other points.
 */
export function boardIdsFor(entry: { ruleId: string; occurredAt: Date }, campaign: BoardSpec): string[] {
  const countsOn = (window: LeaderboardWindow): boolean => {
    if (window.kind !== 'challenge') return true;
    const ofRule = entry.ruleId === window.rule || entry.ruleId === `${REVERSE_RULE_PREFIX}${window.rule}` || entry.ruleId.startsWith(`${REVIEW_RULE_PREFIX}${window.rule}:`);
    return ofRule && entry.occurredAt >= window.from && entry.occurredAt <= window.to;
  };
  return leaderboardWindows(campaign)
    .filter(countsOn)
    .map((window) => boardId(window, entry.occurredAt, campaign.timezone));
}
