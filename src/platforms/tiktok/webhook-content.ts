/**
 * TikTok's `content` is a JSON string whose ids (comment_id, video_id, …) are
 * bare 19-digit numbers, beyond what a JS number holds exactly (2^53). Plain
 * `JSON.parse` would silently change the last digits and so the eventKey;
 * long integer literals are turned into strings before parsing instead.
 */
import { z } from 'zod';
import { platformUserIdSchema } from '../../domain/event.js';

/** Integers with 16 or more digits may exceed 2^53 − 1 (9007199254740991). */
const LONG_INTEGER = /^-?\d{16,}$/;

export function parseContentJson(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(quoteLongIntegers(text)) };
  } catch {
    return { ok: false };
  }
}

function quoteLongIntegers(text: string): string {
  let result = '';
  let copiedUpTo = 0;
  let inString = false;
  for (let i = 0; i < text.length; i += 1) {
    const char = text[i];
    if (inString) {
      if (char === '\\') i += 1;
      else if (char === '"') inString = false;
      continue;
    }
    if (char === '"') {
      inString = true;
      continue;
    }
    if (char !== '-' && !isDigit(char)) continue;
    let end = i + 1;
    while (end < text.length && isNumberPart(text[end])) end += 1;
    const literal = text.slice(i, end);
    if (LONG_INTEGER.test(literal)) {
      result += `${text.slice(copiedUpTo, i)}"${literal}"`;
      copiedUpTo = end;
    }
    i = end - 1;
  }
  return result + text.slice(copiedUpTo);
}

function isDigit(char: string | undefined): boolean {
  return char !== undefined && char >= '0' && char <= '9';
}

function isNumberPart(char: string | undefined): boolean {
  return isDigit(char) || char === '.' || char === 'e' || char === 'E' || char === '+' || char === '-';
}

/** An id as TikTok sends it (number or string), always handed on as a decimal string. */
export const tiktokIdSchema = z
  .union([z.string().regex(/^\d{1,64}$/), z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER)])
  .transform(String);

/** Opaque user ids such as `unique_identifier` or `user_openid`. */
export const tiktokUserIdSchema = platformUserIdSchema;

/** `content.a.b` for the first problem zod found. */
export function contentIssuePath(error: z.ZodError): string {
  const first = error.issues[0];
  return ['content', ...(first?.path ?? [])].join('.');
}
