import { tz } from '@date-fns/tz';
import { format } from 'date-fns';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { boardId, boardIdsFor, leaderboardWindows, parseWindow, windowName } from '../../src/domain/board-windows.js';
import { isoWeekId, localDayId, monthId } from '../../src/domain/calendar.js';
import { campaignOf } from './rules/fixtures.js';

describe('week and month ids in the campaign zone', () => {
  it.each<[string, string, string, string]>([
    ['Sunday 23:30 Riyadh', '2027-03-07T23:30:00+03:00', 'Asia/Riyadh', '2027-W09'],
    ['Monday 00:30 Riyadh (still Sunday in UTC)', '2027-03-08T00:30:00+03:00', 'Asia/Riyadh', '2027-W10'],
    ['1 January 2027, a Friday, belongs to the last week of 2026', '2027-01-01T12:00:00+03:00', 'Asia/Riyadh', '2026-W53'],
    ['30 December 2024, a Monday, opens week 1 of 2025', '2024-12-30T12:00:00+03:00', 'Asia/Riyadh', '2025-W01'],
    ['Sunday 21:00 in New York is Monday in UTC', '2027-03-01T02:00:00Z', 'America/New_York', '2027-W08'],
    ['the London night clocks go forward', '2027-03-28T00:30:00Z', 'Europe/London', '2027-W12'],
  ])('%s → %s', (_, at, zone, week) => {
    expect(isoWeekId(new Date(at), zone)).toBe(week);
  });

  it.each<[string, string, string]>([
    ['2027-03-31T23:30:00+03:00', 'Asia/Riyadh', '2027-03'],
    ['2027-03-31T21:30:00Z', 'Asia/Riyadh', '2027-04'],
    ['2027-04-01T03:30:00Z', 'America/New_York', '2027-03'],
  ])('%s in %s is month %s', (at, zone, month) => {
    expect(monthId(new Date(at), zone)).toBe(month);
  });

  it('agree with date-fns formatting in the zone for any instant', () => {
    const zones = ['Asia/Riyadh', 'Europe/London', 'America/New_York', 'Asia/Kolkata', 'Pacific/Chatham', 'UTC'];
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(2020, 0, 1), max: Date.UTC(2035, 0, 1) }), fc.constantFrom(...zones), (ms, zone) => {
        const at = new Date(ms);
        expect(isoWeekId(at, zone)).toBe(format(at, "RRRR-'W'II", { in: tz(zone) }));
        expect(monthId(at, zone)).toBe(format(at, 'yyyy-MM', { in: tz(zone) }));
        expect(localDayId(at, zone)).toBe(format(at, 'yyyy-MM-dd', { in: tz(zone) }));
      }),
      { numRuns: 300 },
    );
  });
});

describe('leaderboard windows of a campaign', () => {
  const campaign = campaignOf({
    rules: [
      { id: 'comment', on: 'comment', points: 10 },
      { id: 'hashtag_photo', on: 'hashtag_post', points: 30 },
    ],
    challenges: [
      { id: 'week1', rule: 'hashtag_photo', count: 3, window: { from: '2027-03-01T00:00:00+03:00', to: '2027-03-07T23:59:59+03:00' }, bonus: 50 },
    ],
    leaderboards: { windows: ['all', 'week', 'month'] },
  });

  it('lists the file’s windows, then one per challenge', () => {
    expect(leaderboardWindows(campaign).map(windowName)).toEqual(['all', 'week', 'month', 'challenge:week1']);
    expect(leaderboardWindows(campaignOf()).map(windowName)).toEqual(['all']);
  });

  it.each<[string, string | undefined]>([
    ['all', 'all'],
    ['week', 'week'],
    ['challenge:week1', 'challenge:week1'],
    ['challenge:nope', undefined],
    ['day', undefined],
  ])('parses ?window=%s', (name, parsed) => {
    const window = parseWindow(name, campaign);
    expect(window === undefined ? undefined : windowName(window)).toBe(parsed);
  });

  it('does not offer a window the campaign file leaves out', () => {
    expect(parseWindow('month', campaignOf())).toBeUndefined();
  });

  it('names the current board of each window', () => {
    const now = new Date('2027-03-08T00:30:00+03:00');
    expect(leaderboardWindows(campaign).map((window) => boardId(window, now, campaign.timezone))).toEqual([
      'all',
      'week:2027-W10',
      'month:2027-03',
      'challenge:week1',
    ]);
  });

  it.each<[string, { ruleId: string; occurredAt: string }, string[]]>([
    ['an award of the challenge rule in its window', { ruleId: 'hashtag_photo', occurredAt: '2027-03-07T23:30:00+03:00' }, ['all', 'week:2027-W09', 'month:2027-03', 'challenge:week1']],
    ['its reversal, dated like the original', { ruleId: 'reverse:hashtag_photo', occurredAt: '2027-03-07T23:30:00+03:00' }, ['all', 'week:2027-W09', 'month:2027-03', 'challenge:week1']],
    ['an award of the challenge rule after the window', { ruleId: 'hashtag_photo', occurredAt: '2027-03-08T00:30:00+03:00' }, ['all', 'week:2027-W10', 'month:2027-03']],
    ['an award of another rule', { ruleId: 'comment', occurredAt: '2027-03-03T10:00:00+03:00' }, ['all', 'week:2027-W09', 'month:2027-03']],
  ])('places %s', (_, entry, boards) => {
    expect(boardIdsFor({ ruleId: entry.ruleId, occurredAt: new Date(entry.occurredAt) }, campaign)).toEqual(boards);
  });
});
