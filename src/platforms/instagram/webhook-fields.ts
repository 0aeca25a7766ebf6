import { z } from 'zod';
import { platformEventIdSchema, platformUserIdSchema } from '../../domain/event.js';

/** Graph API ids are numeric strings; they follow the canonical id grammar. */
export const igIdSchema = platformUserIdSchema;

/** Message ids (`mid`) are long opaque strings, not numeric ids. */
export const messageIdSchema = platformEventIdSchema;

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
