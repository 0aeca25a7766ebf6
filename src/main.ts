/**
 * The only reader of process.env. Validates the environment once and hands a
 * typed config to the rest; a bad value stops start-up naming the variable.
 */
import { configSchema, type NuqtaConfig } from './config/env.js';
import { NuqtaError } from './errors.js';

export function readConfig(env: NodeJS.ProcessEnv = process.env): NuqtaConfig {
  const parsed = configSchema.safeParse(stripEmpty(env));
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || 'environment'}: ${issue.message}`);
  throw new NuqtaError('NUQTA_BAD_CONFIG', `invalid environment variable ${problems.join('; ')}`);
}

/** `FOO=` in a shell or compose file means "not set", not "empty string". */
function stripEmpty(env: NodeJS.ProcessEnv): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter((entry): entry is [string, string] => entry[1] !== undefined && entry[1] !== ''));
}
