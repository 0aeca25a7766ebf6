/**
 * Every error the API answers has one shape, `{ error: { code, message } }`,
 * and every documented route declares it for each status it can answer, so
 * the OpenAPI document tells a client the truth.
 */
import type { RouteOptions } from 'fastify';
import { ERRORS, type ErrorCode } from '../errors.js';
import { errorSchema } from './schemas.js';

export function errorBody(code: ErrorCode, message: string, details?: unknown): { error: { code: ErrorCode; message: string; details?: unknown } } {
  return { error: { code, message, ...(details === undefined ? {} : { details }) } };
}

/** Our code for a status Fastify or Node raised on its own. */
export function codeOfStatus(status: number): ErrorCode {
  const known = (Object.keys(ERRORS) as ErrorCode[]).filter((code) => ERRORS[code].status === status);
  const preferred: Partial<Record<number, ErrorCode>> = { 400: 'NUQTA_BAD_REQUEST', 404: 'NUQTA_NOT_FOUND' };
  return preferred[status] ?? known[0] ?? 'NUQTA_BAD_REQUEST';
}

/** What any route may answer besides its own replies: bad input, keys, limits, a store down. */
const ANY_ROUTE = [400, 401, 403, 404, 405, 413, 414, 415, 429, 431, 500, 503] as const;

/** Adds the error responses a route does not declare itself (routes hidden from the document are left alone). */
export function declareErrors(route: RouteOptions): void {
  const schema = route.schema;
  if (!schema || schema.hide === true) return;
  const response = (schema.response ?? {}) as Record<string, unknown>;
  for (const status of ANY_ROUTE) response[status] ??= errorSchema;
  schema.response = response;
}
