import { z } from 'zod';
import { eventTimeSchema } from '../domain/event.js';

/**
 * A platform's timestamp: seconds or milliseconds since 1970, as a number or
 * a string of digits (Meta's clocks disagree by field, the App Dashboard's
 * test sends seconds as a string, TikTok's content `timestamp` has been seen
 * in milliseconds). Below 1e11 a value can only be seconds (1e11 ms is 1973;
 * 1e11 s is the year 5138). Outside the years an engagement can have, a time
 * is corrupt, not merely late.
 */
export const platformEpochSchema = z
  .union([z.number().finite().nonnegative(), z.string().regex(/^\d{1,16}$/).transform(Number)])
  .transform((value) => new Date(value < 1e11 ? value * 1000 : value))
  .pipe(eventTimeSchema);
