import { z } from 'zod';

/** Graph API ids are numeric strings; the length cap matches the canonical event's. */
export const igIdSchema = z.string().min(1).max(128);

/** Message ids (`mid`) are long opaque strings, not numeric ids. */
export const messageIdSchema = z.string().min(1).max(256);

/**
 * Meta's clocks disagree by field: comment and mention entries carry `time` in
 * seconds, messaging entries and `timestamp` in milliseconds, and the App
 * Dashboard's test sends seconds as a string. Below 1e11 a value can only be
 * seconds (1e11 ms is 1973; 1e11 s is the year 5138).
 */
export const epochSchema = z
  .union([z.number().finite().nonnegative(), z.string().regex(/^\d{1,16}$/).transform(Number)])
  .transform((value) => new Date(value < 1e11 ? value * 1000 : value))
  // Past year 275760 a Date is invalid; such a time is corrupt, not merely late.
  .refine((date) => !Number.isNaN(date.getTime()), 'not a representable time');

/** `is_deleted` has been seen both as a boolean and as the string "true". */
export const flagSchema = z.union([z.boolean(), z.enum(['true', 'false'])]).transform((value) => value === true || value === 'true');

/** `prefix.a.b` for the first problem zod found, so a skip names the field at fault. */
export function issuePath(prefix: string, error: z.ZodError): string {
  const first = error.issues[0];
  if (first === undefined || first.path.length === 0) return prefix;
  return first.path.reduce<string>(
    (path, part) => (typeof part === 'number' ? `${path}[${part}]` : `${path}.${part}`),
    prefix,
  );
}
