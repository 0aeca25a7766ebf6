import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import type { LoadedCampaign } from '../config/campaign-loader.js';
import type { ApiKey, ApiRole } from '../config/env.js';
import { NuqtaError } from '../errors.js';

/** The API key of a request: `Authorization: Bearer <key>` or `X-Api-Key: <key>`. */
function presentedKey(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (header?.startsWith('Bearer ')) return header.slice('Bearer '.length).trim();
  const apiKey = request.headers['x-api-key'];
  return typeof apiKey === 'string' ? apiKey : undefined;
}

function sameKey(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

export function roleOf(keys: readonly ApiKey[], request: FastifyRequest): ApiRole | undefined {
  const key = presentedKey(request);
  return key === undefined ? undefined : keys.find((candidate) => sameKey(candidate.key, key))?.role;
}

/**
 * Who acts, for audit trails: `role:fingerprint`, the fingerprint a short hash
 * of the key (never the key), so two reviewers with their own keys stay apart.
 * Throws like `assertRole` unless the key has one of `roles`.
 */
export function actorOf(keys: readonly ApiKey[], request: FastifyRequest, roles: readonly ApiRole[]): string {
  const role = assertRole(keys, request, roles);
  const fingerprint = createHash('sha256').update(presentedKey(request) ?? '').digest('hex').slice(0, 12);
  return `${role}:${fingerprint}`;
}

/** Throws unless the request carries a key of one of `roles` (admin may do everything). */
export function assertRole(keys: readonly ApiKey[], request: FastifyRequest, roles: readonly ApiRole[]): ApiRole {
  const role = roleOf(keys, request);
  if (role === undefined) throw new NuqtaError('NUQTA_UNAUTHORIZED', 'an API key is required (Authorization: Bearer <key>)');
  if (role !== 'admin' && !roles.includes(role)) throw new NuqtaError('NUQTA_FORBIDDEN', `this needs a key with role ${roles.join(' or ')}`);
  return role;
}

export function requireRole(keys: readonly ApiKey[], ...roles: ApiRole[]) {
  return async (request: FastifyRequest): Promise<void> => {
    assertRole(keys, request, roles);
  };
}

/** Leaderboards and member views are public when the campaign says so; otherwise they need a reader, reviewer or admin key. */
export function assertCanRead(keys: readonly ApiKey[], request: FastifyRequest, { campaign }: LoadedCampaign): void {
  if (!campaign.leaderboards.public) assertRole(keys, request, ['reader', 'reviewer']);
}
