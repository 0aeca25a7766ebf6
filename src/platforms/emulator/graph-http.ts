/**
 * Graph API conventions shared by the Instagram routes: how a token is passed,
 * the error envelope and its codes, `fields`, timestamps and paging links.
 */
import { randomBytes } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { CursorPage } from './paging.js';
import type { ThrottleCode } from './usage-meter.js';

export interface GraphError {
  status: number;
  message: string;
  code: number;
  error_subcode?: number;
  is_transient?: boolean;
}

export type GraphQuery = Record<string, string | undefined>;

export const graphErrors = {
  missingToken: (): GraphError => ({ status: 400, message: 'An access token is required to request this resource.', code: 104 }),
  unknownToken: (): GraphError => ({ status: 400, message: 'Invalid OAuth access token - Cannot parse access token', code: 190 }),
  expiredToken: (expiredAt: Date, now: Date): GraphError => ({
    status: 400,
    message: `Error validating access token: Session has expired on ${expiredAt.toUTCString()}. The current time is ${now.toUTCString()}.`,
    code: 190,
    error_subcode: 463,
  }),
  unsupportedRequest: (method: string, id: string): GraphError => ({
    status: 400,
    message: `Unsupported ${method.toLowerCase()} request. Object with ID '${id}' does not exist, cannot be loaded due to missing permissions, or does not support this operation.`,
    code: 100,
    error_subcode: 33,
  }),
  unknownPath: (path: string): GraphError => ({ status: 400, message: `Unknown path components: ${path}`, code: 2500 }),
  invalidParameter: (detail: string): GraphError => ({ status: 400, message: `(#100) ${detail}`, code: 100 }),
  nonexistingField: (field: string, nodeType: string): GraphError => ({
    status: 400,
    message: `(#100) Tried accessing nonexisting field (${field}) on node type (${nodeType})`,
    code: 100,
  }),
  hashtagLimit: (limit: number): GraphError => ({
    status: 400,
    message: `(#24) You can query a maximum of ${limit} unique hashtags within a 7 day period.`,
    code: 24,
  }),
  throttled: (code: ThrottleCode): GraphError => ({ ...THROTTLE_ERRORS[code], code, is_transient: true }),
};

const THROTTLE_ERRORS: Record<ThrottleCode, { status: number; message: string }> = {
  4: { status: 403, message: '(#4) Application request limit reached' },
  17: { status: 403, message: '(#17) User request limit reached' },
  32: { status: 403, message: '(#32) Page request limit reached' },
  613: { status: 400, message: '(#613) Calls to this api have exceeded the rate limit.' },
  80002: { status: 400, message: '(#80002) There have been too many calls to this Instagram account. Wait a bit and try again.' },
};

export function sendGraphError(reply: FastifyReply, error: GraphError): FastifyReply {
  const { status, ...fields } = error;
  return reply.code(status).send({ error: { ...fields, type: 'OAuthException', fbtrace_id: randomBytes(8).toString('base64url') } });
}

/** `access_token` in the query, or `Authorization: Bearer …` (Graph also takes `OAuth …`). */
export function tokenOf(request: FastifyRequest, query: GraphQuery): string | undefined {
  const header = request.headers.authorization;
  const match = header === undefined ? null : /^(?:Bearer|OAuth)\s+(.+)$/i.exec(header);
  return query.access_token ?? match?.[1];
}

export function fieldsOf(query: GraphQuery, defaults: readonly string[]): Set<string> {
  return fieldNames(query.fields, defaults);
}

/**
 * `id,text,from{id},comments.limit(5){text}` → {id, text, from, comments}.
 * Nested selections and modifiers are read loosely: the field comes back whole.
 */
export function fieldNames(list: string | undefined, defaults: readonly string[]): Set<string> {
  if (list === undefined || list.trim() === '') return new Set(defaults);
  return new Set(['id', ...topLevelFields(list).map((field) => field.replace(/[.({][\s\S]*$/, ''))]);
}

/** `a,b{c,d},e.f(1){g}` → [`a`, `b{c,d}`, `e.f(1){g}`]: commas inside braces or parentheses do not split. */
export function topLevelFields(list: string): string[] {
  const fields: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < list.length; i += 1) {
    const char = list[i];
    if (char === '{' || char === '(') depth += 1;
    else if (char === '}' || char === ')') depth = Math.max(0, depth - 1);
    else if (char === ',' && depth === 0) {
      fields.push(list.slice(start, i));
      start = i + 1;
    }
  }
  fields.push(list.slice(start));
  return fields.map((field) => field.trim()).filter((field) => field !== '');
}

/** The requested fields the object has. */
export function pick(object: Record<string, unknown>, fields: ReadonlySet<string>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(object).filter(([key, value]) => fields.has(key) && value !== undefined));
}

/** Graph writes `2027-03-05T18:22:10+0000`. */
export function graphTimestamp(at: Date): string {
  return at.toISOString().replace(/\.\d{3}Z$/, '+0000');
}

export function limitOf(query: GraphQuery, fallback: number, max: number): number | undefined {
  if (query.limit === undefined) return fallback;
  const limit = Number(query.limit);
  return Number.isInteger(limit) && limit > 0 ? Math.min(limit, max) : undefined;
}

/** `{ data, paging: { cursors, next?, previous? } }`; links repeat the query, token included, as Graph's do. */
export function pagedBody<T>(request: FastifyRequest, page: CursorPage<T>, data: unknown[]): Record<string, unknown> {
  if (page.before === undefined || page.after === undefined) return { data };
  const link = (set: 'after' | 'before', cursor: string): string => {
    const url = new URL(request.url, `${request.protocol}://${request.host}`);
    url.searchParams.delete(set === 'after' ? 'before' : 'after');
    url.searchParams.set(set, cursor);
    return url.toString();
  };
  return {
    data,
    paging: {
      cursors: { before: page.before, after: page.after },
      ...(page.hasNext ? { next: link('after', page.after) } : {}),
      ...(page.hasPrevious ? { previous: link('before', page.before) } : {}),
    },
  };
}
