/**
 * A voucher pool as brands export it from their till or e-shop: a CSV with a
 * `code` column (other columns ignored), or one code per line. Every bad line
 * is reported with its number; nothing is added from a file with a problem.
 */
import { parse } from 'csv-parse/sync';
import { NuqtaError } from '../errors.js';
import { VOUCHER_CODE } from './vouchers.js';

export function voucherCodesOf(text: string, source: string): string[] {
  let rows: string[][];
  try {
    rows = parse(text, { skip_empty_lines: true, trim: true, relax_column_count: true, bom: true }) as string[][];
  } catch (error) {
    throw new NuqtaError('NUQTA_BAD_REQUEST', `${source}: not CSV (${error instanceof Error ? error.message : String(error)})`);
  }
  const header = rows[0]?.map((cell) => cell.toLowerCase()) ?? [];
  const column = header.includes('code') ? header.indexOf('code') : 0;
  const body = header.includes('code') ? rows.slice(1) : rows;
  const firstLine = header.includes('code') ? 2 : 1;
  const problems: string[] = [];
  const codes = body.map((row, index) => {
    const code = row[column] ?? '';
    if (!VOUCHER_CODE.test(code)) problems.push(`${source}:${firstLine + index} code: "${code}" is not a voucher code (4–64 letters, digits or "-")`);
    return code;
  });
  if (codes.length === 0) problems.push(`${source}:1 code: no codes in the file`);
  if (problems.length > 0) throw new NuqtaError('NUQTA_BAD_REQUEST', problems.join('\n'), { problems });
  return codes;
}
