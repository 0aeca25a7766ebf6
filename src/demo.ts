import type { NuqtaConfig } from './config/env.js';

export async function runDemo(_config: NuqtaConfig, _options: { followers: number; seed: number; keep: boolean }): Promise<void> {
  throw new Error('demo not wired yet');
}
