/**
 * The small pieces campaign files are made of (ids, names in both
 * languages, time zones, instants, durations), shared by the campaign
 * schema and the parts of it that live in files of their own.
 */
import { z } from 'zod';

export const campaignIdSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, 'must be lower case letters, digits, "-" or "_" (at most 64)');

export const localizedName = z
  .object({ ar: z.string().min(1), en: z.string().min(1) })
  .strict();

export const timezone = z.string().refine(isTimeZone, { message: 'is not an IANA time zone (for example Asia/Riyadh)' });

export const instant = z
  .union([z.string(), z.date()])
  .transform((value, ctx) => {
    const date = value instanceof Date ? value : new Date(value);
    if (Number.isNaN(date.getTime())) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, message: 'is not a date-time (for example 2027-03-01T00:00:00+03:00)' });
      return z.NEVER;
    }
    return date;
  });

const DURATION = /^(\d+)(s|m|h|d)$/;
const UNIT_MS = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** `90s`, `10m`, `2h`, `1d` → milliseconds. */
export const durationMs = z.string().transform((value, ctx) => {
  const match = DURATION.exec(value);
  if (!match) {
    ctx.addIssue({ code: z.ZodIssueCode.custom, message: 'is not a duration (for example 90s, 10m, 2h, 1d)' });
    return z.NEVER;
  }
  return Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS];
});

export const positiveInt = z.number().int().positive();

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}
