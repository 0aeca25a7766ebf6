/**
 * The environment contract (DESIGN.md "Configuration"). Parsed once by
 * src/main.ts; nothing else reads process.env.
 */
import { z } from 'zod';

export const API_ROLES = ['admin', 'reviewer', 'ingest', 'reader'] as const;
export type ApiRole = (typeof API_ROLES)[number];

export interface ApiKey {
  role: ApiRole;
  key: string;
}

const apiKeys = z
  .string()
  .default('')
  .transform((value, ctx): ApiKey[] => {
    const keys: ApiKey[] = [];
    for (const item of value.split(',').map((part) => part.trim()).filter(Boolean)) {
      const [role, key] = [item.slice(0, item.indexOf(':')), item.slice(item.indexOf(':') + 1)];
      if (!item.includes(':') || !(API_ROLES as readonly string[]).includes(role) || key.length < 8) {
        ctx.addIssue({
          code: z.ZodIssueCode.custom,
          message: `"${item.includes(':') ? `${role}:…` : '…'}" must be role:key with role one of ${API_ROLES.join(', ')} and a key of at least 8 characters`,
        });
        return z.NEVER;
      }
      keys.push({ role: role as ApiRole, key });
    }
    return keys;
  });

const optionalSecret = z.string().min(8, 'must be at least 8 characters').optional();

export const envSchema = z.object({
  MONGODB_URI: z.string().regex(/^mongodb(\+srv)?:\/\//, 'must be a mongodb:// URI').default('mongodb://127.0.0.1:27017/nuqta'),
  REDIS_URL: z.string().regex(/^rediss?:\/\//, 'must be a redis:// URI').default('redis://127.0.0.1:6379'),
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  HOST: z.string().min(1).default('127.0.0.1'),
  NUQTA_CAMPAIGNS: z.string().min(1).default('config/campaigns'),
  NUQTA_QUEUE_PREFIX: z.string().regex(/^[a-zA-Z0-9_-]+$/, 'letters, digits, "-" and "_" only').default('nuqta'),
  IG_APP_SECRET: optionalSecret,
  IG_VERIFY_TOKEN: z.string().min(1).optional(),
  TIKTOK_CLIENT_SECRET: optionalSecret,
  NUQTA_API_KEYS: apiKeys,
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export type NuqtaConfig = z.infer<typeof envSchema>;

/** Secret values never logged; pino redacts these paths. */
export const SECRET_CONFIG_KEYS = ['IG_APP_SECRET', 'IG_VERIFY_TOKEN', 'TIKTOK_CLIENT_SECRET', 'NUQTA_API_KEYS'] as const;
