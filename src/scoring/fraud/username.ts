/**
 * Usernames that look generated rather than chosen. Gulf handles mix Latin
 * letters with digits on purpose ("3bdullah", "m7md", a birth year), so only
 * stronger patterns count: a platform's default handle never changed, a long
 * run of digits, letters and digits alternating like a serial, or a cluster
 * of consonants no name has.
 */
export type UsernamePattern = 'default_handle' | 'digit_run' | 'serial' | 'consonant_cluster';

export interface UsernameReading {
  pattern: UsernamePattern;
  /** 0..1: how sure the pattern alone makes us. */
  value: number;
}

const DEFAULT_HANDLE = /^user[._]?\d{5,}$/i;
const CONSONANT_CLUSTER = /[bcdfghjklmnpqrstvwxz]{5,}/i;

export function usernamePattern(username: string): UsernameReading | undefined {
  const handle = username.replace(/^@/, '');
  if (DEFAULT_HANDLE.test(handle)) return { pattern: 'default_handle', value: 1 };
  const longestDigits = Math.max(0, ...(handle.match(/\d+/g) ?? []).map((run) => run.length));
  if (longestDigits >= 6) return { pattern: 'digit_run', value: 1 };
  if (switchesBetweenLettersAndDigits(handle) >= 4) return { pattern: 'serial', value: 1 };
  if (CONSONANT_CLUSTER.test(handle)) return { pattern: 'consonant_cluster', value: 0.8 };
  if (longestDigits === 5) return { pattern: 'digit_run', value: 0.5 };
  return undefined;
}

function switchesBetweenLettersAndDigits(handle: string): number {
  const classes = handle.replace(/[^a-z0-9]/gi, '').replace(/[a-z]+/gi, 'a').replace(/\d+/g, '0');
  return Math.max(0, classes.length - 1);
}
