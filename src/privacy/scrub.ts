/** Pure helpers of an erasure: the anonymous identity, and taking a person's identifiers out of stored values. */
import { memberIdOf, PLATFORMS, type EngagementEvent, type Platform } from '../domain/event.js';
import { NuqtaError } from '../errors.js';

/** Who is erased: a member id is `platform:platformUserId`. */
export interface Person {
  memberId: string;
  platform: Platform;
  platformUserId: string;
}

export function personOf(memberId: string): Person {
  const colon = memberId.indexOf(':');
  const platform = PLATFORMS.find((candidate) => candidate === memberId.slice(0, colon));
  if (colon < 0 || platform === undefined || colon === memberId.length - 1) {
    throw new NuqtaError('NUQTA_BAD_REQUEST', `"${memberId}" is not a member id (platform:platformUserId, e.g. instagram:17841400000000001)`);
  }
  return { memberId, platform, platformUserId: memberId.slice(colon + 1) };
}

/**
 * The stable stand-in for an erased member: random per erasure (a hash of the
 * member id could be recomputed from a guessed id), and on the same platform,
 * so member ids keep their `platform:` shape.
 */
export function anonymousPerson(platform: Platform, erasureId: string): Person {
  const platformUserId = `erased-${erasureId}`;
  return { memberId: memberIdOf(platform, platformUserId), platform, platformUserId };
}

/** An event of an erased member as a campaign that counts them anonymously keeps it: the stand-in acts, without handle, profile or text. */
export function standInEvent(event: EngagementEvent, standInUserId: string): EngagementEvent {
  const { text: _text, ...rest } = event;
  return { ...rest, actor: { platformUserId: standInUserId } };
}

/**
 * Replaces `from` by `to` in every string inside plain objects and arrays
 * (ids such as a redemption's `redeem:<memberId>:<key>` embed the member id).
 * Dates and other objects are kept as they are.
 */
export function replaceEverywhere<T>(value: T, from: string, to: string): T {
  return replaced(value, from, to) as T;
}

function replaced(value: unknown, from: string, to: string): unknown {
  if (typeof value === 'string') return value.split(from).join(to);
  if (Array.isArray(value)) return value.map((item: unknown) => replaced(item, from, to));
  if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, replaced(item, from, to)]));
  }
  return value;
}

export const REDACTED = '[erased]';

/**
 * A reviewer's note with the person's identifiers taken out (the reasoning
 * stays for the audit). Longest first, so `@name` goes before `name`, and
 * case-insensitively, as people write handles.
 */
export function redact(text: string, identifiers: readonly string[]): string {
  const wanted = [...new Set(identifiers.filter((identifier) => identifier.length > 0))].sort((a, b) => b.length - a.length);
  return wanted.reduce((result, identifier) => result.replace(new RegExp(escapeRegExp(identifier), 'giu'), REDACTED), text);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
