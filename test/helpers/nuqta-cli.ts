/** Runs the `nuqta` command as a user would, against a test nuqta's database and queues. */
import { execFile } from 'node:child_process';
import type { NuqtaConfig } from '../../src/config/env.js';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** The environment of a `nuqta` child on the test's database, queue prefix and campaigns (no API keys or secrets). */
export function cliEnv(config: NuqtaConfig, settings: Record<string, string> = {}): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '',
    MONGODB_URI: config.MONGODB_URI,
    REDIS_URL: config.REDIS_URL,
    NUQTA_QUEUE_PREFIX: config.NUQTA_QUEUE_PREFIX,
    NUQTA_CAMPAIGNS: config.NUQTA_CAMPAIGNS,
    LOG_LEVEL: 'silent',
    ...settings,
  };
}

export function runNuqta(config: NuqtaConfig, args: readonly string[]): Promise<CliRun> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['bin/nuqta.js', ...args], { env: cliEnv(config), timeout: 60_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr });
    });
  });
}
