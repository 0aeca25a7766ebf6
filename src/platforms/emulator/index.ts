/**
 * src/platforms/emulator owns the stand-in for Instagram and TikTok used by
 * the demo, the tests and the benchmarks:
 * - a seeded population of followers and an activity plan (pure, replayable);
 * - a webhook sender that delivers that plan to nuqta as the platforms would
 *   (signed, batched, at least once, retried);
 * - an API server speaking the Graph and Business API endpoints the pollers
 *   and mention lookups read, with budgets, throttling, expiring tokens and
 *   deleted comments.
 * It only talks to nuqta over HTTP, as the platforms do: it must not import
 * nuqta's stores, queues or scoring, and production code must not import it.
 */
export { planActivity } from './activity-plan.js';
export type {
  ActivityPlan,
  ActivityPlanOptions,
  BrandMedia,
  CampaignTargets,
  EngagementAuthor,
  InstagramTarget,
  PlannedComment,
  PlannedDeletion,
  PlannedEngagement,
  PlannedHashtagPost,
  PlannedMention,
  PlannedReply,
  TikTokTarget,
} from './planned-engagement.js';
export type { CampaignTheme, FollowerLocale } from './corpus.js';
export { createPopulation } from './population.js';
export type { Follower, InstagramIdentity, Population, PopulationOptions, TikTokIdentity } from './population.js';
export { EMULATED_ENDPOINTS } from './request-counter.js';
export type { EmulatedEndpoint, RequestCount } from './request-counter.js';
export { startPlatformEmulator } from './server.js';
export type { MentionSpec, PlatformEmulator, PlatformEmulatorOptions, ThrottleOptions } from './server.js';
export { THROTTLE_CODES } from './usage-meter.js';
export type { BusinessUseCaseUsage, ThrottleCode, TikTokThrottleStyle } from './usage-meter.js';
export { instagramDeliveries, plannedDeliveries, tiktokDelivery } from './webhook-payloads.js';
export type { InstagramChange, PlannedDeliveries, WebhookDelivery, WebhookSecrets } from './webhook-payloads.js';
export { sendWebhooks } from './webhook-sender.js';
export type { DeliveryReport, WebhookSenderOptions } from './webhook-sender.js';
