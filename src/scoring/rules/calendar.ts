/**
 * Calendar ids in the campaign's time zone. A comment at 23:30 Riyadh time
 * belongs to that Riyadh day whatever the server's zone, and weeks are ISO
 * weeks (Monday first) in that zone, so caps, streaks and leaderboards agree.
 */
import { tz } from '@date-fns/tz';
import { addDays } from 'date-fns';

const DAY_MS = 86_400_000;

// Caps and leaderboards ask for the day of every award, so one formatter per
// zone is kept (building one, or formatting through TZDate, costs far more).
const formatters = new Map<string, Intl.DateTimeFormat>();

function localDate(at: Date, timeZone: string): { year: number; month: number; day: number } {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      calendar: 'gregory',
      numberingSystem: 'latn',
    });
    formatters.set(timeZone, formatter);
  }
  const parts = formatter.formatToParts(at);
  const part = (type: Intl.DateTimeFormatPartTypes): number => Number(parts.find((p) => p.type === type)?.value);
  return { year: part('year'), month: part('month'), day: part('day') };
}

const pad = (value: number, width = 2): string => String(value).padStart(width, '0');

/** `2027-03-05`: the campaign-local calendar day of an instant. */
export function localDayId(at: Date, timeZone: string): string {
  const { year, month, day } = localDate(at, timeZone);
  return `${pad(year, 4)}-${pad(month)}-${pad(day)}`;
}

/**
 * `2027-W09`: the ISO week of an instant in the zone. The week belongs to the
 * year of its Thursday, so 2027-01-01 (a Friday) is in `2026-W53`.
 */
export function isoWeekId(at: Date, timeZone: string): string {
  const { year, month, day } = localDate(at, timeZone);
  const date = Date.UTC(year, month - 1, day);
  const mondayBased = (new Date(date).getUTCDay() + 6) % 7;
  const thursday = new Date(date + (3 - mondayBased) * DAY_MS);
  const isoYear = thursday.getUTCFullYear();
  const week = 1 + Math.floor((thursday.getTime() - Date.UTC(isoYear, 0, 1)) / (7 * DAY_MS));
  return `${pad(isoYear, 4)}-W${pad(week)}`;
}

/** `2027-03`: the calendar month of an instant in the zone. */
export function monthId(at: Date, timeZone: string): string {
  const { year, month } = localDate(at, timeZone);
  return `${pad(year, 4)}-${pad(month)}`;
}

/**
 * Days since 1970-01-01 of a day id. Day ids are zone-free calendar dates, so
 * counting them in UTC gives whole days even across a DST switch.
 */
export function dayNumber(dayId: string): number {
  return Math.round(Date.parse(`${dayId}T00:00:00Z`) / DAY_MS);
}

/** The same wall-clock time `days` calendar days later in the zone (23 or 25 hours across DST). */
export function addLocalDays(at: Date, days: number, timeZone: string): Date {
  return new Date(addDays(at, days, { in: tz(timeZone) }).getTime());
}
