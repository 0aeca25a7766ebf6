/** A café campaign on both platforms, played into an emulator whose clock the test moves. */
import axios, { type AxiosInstance } from 'axios';
import { planActivity } from '../../../src/platforms/emulator/activity-plan.js';
import type { ActivityPlan } from '../../../src/platforms/emulator/planned-engagement.js';
import { createPopulation } from '../../../src/platforms/emulator/population.js';
import { startPlatformEmulator, type PlatformEmulator, type PlatformEmulatorOptions } from '../../../src/platforms/emulator/server.js';

export const IG_ACCOUNT = '17841400000000002';
export const OTHER_IG_ACCOUNT = '17841400000000009';
export const TT_BUSINESS = 'bc-qahwa';
export const TOKEN = 'EAAGqahwa-token';
export const CAMPAIGN_END = new Date('2027-03-08T00:00:00+03:00');

export interface EmulatedCampaign {
  emulator: PlatformEmulator;
  plan: ActivityPlan;
  http: AxiosInstance;
  /** Moves the emulated platforms' clock. */
  setNow(at: Date): void;
}

export async function startEmulatedCampaign(options: PlatformEmulatorOptions = {}): Promise<EmulatedCampaign> {
  let now = CAMPAIGN_END;
  const population = createPopulation({ seed: 77, size: 250 });
  const plan = planActivity(
    population,
    {
      instagram: [
        { accountId: IG_ACCOUNT, username: 'qahwa.corner', mediaIds: ['17900000000000001', '17900000000000002'] },
        { accountId: OTHER_IG_ACCOUNT, username: 'another.brand', mediaIds: ['17900000000000009'] },
      ],
      tiktok: [{ businessId: TT_BUSINESS, username: 'qahwacorner', videoIds: ['7300000000000000001', '7300000000000000002'] }],
      hashtags: ['قهوة_نقطة', 'qahwacorner'],
    },
    { seed: 77, from: new Date('2027-03-01T00:00:00+03:00'), to: CAMPAIGN_END, engagements: 900, mix: { mention: 0.04 } },
  );
  const emulator = await startPlatformEmulator({ clock: () => now, tokens: { [TOKEN]: [IG_ACCOUNT, TT_BUSINESS] }, ...options });
  emulator.seed(plan);
  const http = axios.create({ baseURL: emulator.url, validateStatus: () => true });
  return { emulator, plan, http, setNow: (at) => (now = at) };
}
