/**
 * API keys as `NUQTA_API_KEYS` lists them: `role:key` for a key that acts on
 * every campaign, `role@campaign-a,campaign-b:key` for one scoped to those
 * campaigns. A scope's commas continue it until the item that holds the key,
 * so `reviewer@thawb-style,qahwa-corner:<key>,ingest:<key>` is two keys.
 * Keys are 24 characters or more (a short key is guessed offline from its
 * audit fingerprint, or online, however slowly).
 */
import { z } from 'zod';

export const API_ROLES = ['admin', 'reviewer', 'ingest', 'redeem', 'reader', 'metrics'] as const;
export type ApiRole = (typeof API_ROLES)[number];

export const API_KEY_MIN_LENGTH = 24;
const CAMPAIGN_ID = /^[a-z0-9][a-z0-9_-]{0,63}$/;

export interface ApiKey {
  role: ApiRole;
  key: string;
  /** The campaigns the key may act on; absent: every campaign. */
  campaigns?: readonly string[];
}

/** One key from its items (the scope's items first, the one with the key last); a problem as a sentence. */
function keyOf(items: readonly string[]): ApiKey | string {
  const joined = items.join(',');
  const colon = joined.indexOf(':');
  const [head, key] = [joined.slice(0, colon), joined.slice(colon + 1)];
  const at = head.indexOf('@');
  const role = at < 0 ? head : head.slice(0, at);
  const shown = `"${head}:…"`;
  if (!(API_ROLES as readonly string[]).includes(role)) return `${shown} must be role:key or role@campaign,…:key with role one of ${API_ROLES.join(', ')}`;
  if (key.length < API_KEY_MIN_LENGTH) return `${shown} has a key of ${key.length} characters; keys need at least ${API_KEY_MIN_LENGTH} (openssl rand -base64 24)`;
  if (at < 0) return { role: role as ApiRole, key };
  const campaigns = head.slice(at + 1).split(',');
  const bad = campaigns.find((campaign) => !CAMPAIGN_ID.test(campaign));
  if (bad !== undefined) return `${shown} names "${bad}", which is not a campaign id`;
  return { role: role as ApiRole, key, campaigns };
}

export const apiKeysSchema = z
  .string()
  .default('')
  .transform((value, ctx): ApiKey[] => {
    const keys: ApiKey[] = [];
    let pending: string[] = [];
    for (const item of value.split(',').map((part) => part.trim()).filter(Boolean)) {
      pending.push(item);
      // An item without ":" is a scope's campaign, continued by the next item.
      if (!item.includes(':') && pending[0]?.includes('@')) continue;
      const parsed = item.includes(':') ? keyOf(pending) : `"${pending.join(',').slice(0, 40)}" must be role:key or role@campaign,…:key`;
      pending = [];
      if (typeof parsed === 'string') {
        ctx.addIssue({ code: z.ZodIssueCode.custom, message: parsed });
        return z.NEVER;
      }
      keys.push(parsed);
    }
    if (pending.length > 0) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, message: `"${pending.join(',').slice(0, 40)}" has a scope but no key` });
      return z.NEVER;
    }
    const seen = new Set<string>();
    for (const { key } of keys) {
      if (seen.has(key)) {
        ctx.addIssue({ code: z.ZodIssueCode.custom, message: 'the same key is listed twice; give each role and scope its own key' });
        return z.NEVER;
      }
      seen.add(key);
    }
    return keys;
  });
