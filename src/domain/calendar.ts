/**
 * Calendar ids in the campaign's time zone. A comment at 23:30 Riyadh time
 * belongs to that Riyadh day whatever the server's zone, and weeks are ISO
 * weeks (Monday first) in that zone, so caps, streaks and leaderboards agree.
 */
import { tz } from '@date-fns/tz';
import { addDays } from 'date-fns';

const DAY_MS = 86_400_000;

// Caps, member state and leaderboards ask for the day of every award, so one
// formatter per zone is kept (building one, or formatting through TZDate,
// costs far more), and answers are remembered per quarter hour: every zone's
// offset is a whole number of quarter hours, so all instants of one quarter
// hour fall on the same local date.
const formatters = new Map<string, Intl.DateTimeFormat>();
const QUARTER_HOUR_MS = 900_000;
const REMEMBERED = 20_000;
const remembered = new Map<string, LocalDate>();

interface LocalDate {
  year: number;
  month: number;
  day: number;
}

function localDate(at: Date, timeZone: string): LocalDate {
  const key = `${timeZone}|${Math.floor(at.getTime() / QUARTER_HOUR_MS)}`;
  const known = remembered.get(key);
  if (known) return known;
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
  const date = { year: part('year'), month: part('month'), day: part('day') };
  if (remembered.size >= REMEMBERED) remembered.clear();
  remembered.set(key, date);
  return date;
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

/** Days since 1970-01-01 of the campaign-local date of an instant (the key of daily counters). */
export function localDayNumber(at: Date, timeZone: string): number {
  const { year, month, day } = localDate(at, timeZone);
  return Math.round(Date.UTC(year, month - 1, day) / DAY_MS);
}

/** The Monday of the ISO week of a day number (1970-01-01, day 0, was a Thursday). */
export function weekStartOf(dayNumber: number): number {
  return dayNumber - ((((dayNumber + 3) % 7) + 7) % 7);
}
