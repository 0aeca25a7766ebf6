/**
 * Influencer codes as a brand keeps them in a spreadsheet: a CSV with a
 * header row. Columns: `code`, `program`, `influencer` (the name), and
 * optionally `handle`, `member` (a member id, for member codes),
 * `valid_from`, `valid_until` (ISO 8601 with a zone), `max_uses`,
 * `max_uses_per_member`. Every bad cell is reported as `file:line field:`;
 * nothing is read from a file with a problem.
 */
import { parse } from 'csv-parse/sync';
import { z } from 'zod';
import { memberIdSchema, referralCodeSchema } from '../domain/event.js';
import { NuqtaError } from '../errors.js';
import type { CodeDraft } from './codes.js';

const instant = z.string().datetime({ offset: true, message: 'must be an ISO 8601 date and time with a zone, such as 2027-03-01T00:00:00+03:00' }).transform((value) => new Date(value));
const count = z.string().regex(/^[1-9]\d{0,8}$/, 'must be a whole number above 0').transform(Number);
const optional = <T extends z.ZodTypeAny>(schema: T) => z.string().optional().transform((value) => (value === undefined || value === '' ? undefined : value)).pipe(schema.optional());

const rowSchema = z.object({
  code: referralCodeSchema,
  program: z.string().min(1, 'is required'),
  influencer: optional(z.string().max(100)),
  handle: optional(z.string().regex(/^@[A-Za-z0-9._]{1,64}$/, 'must be a handle such as @noura.style')),
  member: optional(memberIdSchema),
  valid_from: optional(instant),
  valid_until: optional(instant),
  max_uses: optional(count),
  max_uses_per_member: optional(count),
});

export interface CodeLine {
  line: number;
  draft: CodeDraft;
}

export function codeLinesOf(text: string, source: string): CodeLine[] {
  let rows: Record<string, string>[];
  try {
    rows = parse(text, { columns: (header: string[]) => header.map((name) => name.trim().toLowerCase()), skip_empty_lines: true, trim: true, bom: true }) as Record<string, string>[];
  } catch (error) {
    throw new NuqtaError('NUQTA_BAD_REQUEST', `${source}: not CSV with a header row (${error instanceof Error ? error.message : String(error)})`);
  }
  const problems: string[] = [];
  const lines = rows.flatMap((row, index): CodeLine[] => {
    const line = index + 2;
    const parsed = rowSchema.safeParse(row);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) problems.push(`${source}:${line} ${issue.path.join('.') || 'row'}: ${issue.message}`);
      return [];
    }
    const { code, program, influencer, handle, member, valid_from: validFrom, valid_until: validUntil, max_uses: maxUses, max_uses_per_member: maxUsesPerMember } = parsed.data;
    if (influencer === undefined && member === undefined) problems.push(`${source}:${line} influencer: name the influencer (or a member in the member column)`);
    return [{
      line,
      draft: {
        code, program, ownerId: member, validFrom, validUntil, maxUses, maxUsesPerMember,
        influencer: influencer === undefined ? undefined : { name: influencer, handle },
      },
    }];
  });
  if (rows.length === 0) problems.push(`${source}:2 code: no codes in the file`);
  if (problems.length > 0) throw new NuqtaError('NUQTA_BAD_REQUEST', problems.join('\n'), { problems });
  return lines;
}
