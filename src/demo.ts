/**
 * `nuqta demo`: an emulated campaign played end to end on the real pipeline —
 * signed webhooks from an emulated Instagram, a brand's own like and hashtag
 * feed through POST /v1/events, the workers scoring, then the leaderboard.
 */
import { randomBytes } from 'node:crypto';
import { SingleBar } from 'cli-progress';
import { campaignKpis } from './api/campaign-kpis.js';
import type { Campaign } from './config/campaign-schema.js';
import type { NuqtaConfig } from './config/env.js';
import { NuqtaError } from './errors.js';
import { createLogger } from './log.js';
import { planActivity } from './platforms/emulator/activity-plan.js';
import type { ActivityPlan } from './platforms/emulator/planned-engagement.js';
import type { CampaignTheme } from './platforms/emulator/corpus.js';
import { createPopulation } from './platforms/emulator/population.js';
import { sendWebhooks } from './platforms/emulator/webhook-sender.js';
import { openFromConfig, startRunning, stopOnSignal, type Running } from './runtime.js';
import { brandFeedEvents } from './demo-brand-feed.js';
import { playReferralOrders } from './demo-referrals.js';
import { DEFAULT_LINK_DAYS, MemberLinks } from './api/member-link.js';
import { followerLink } from './api/member-link-routes.js';
import { PublicIds } from './api/public-id.js';

export interface DemoOptions {
  campaign: string;
  followers: number;
  engagements: number;
  seed: number;
  keep: boolean;
}

const THEMES: Record<string, CampaignTheme> = { 'thawb-style': 'clothing', 'qahwa-corner': 'cafe' };
const DAY_MS = 86_400_000;

export async function runDemo(baseConfig: NuqtaConfig, options: DemoOptions): Promise<void> {
  // The emulated platforms sign with the secrets nuqta expects; generate them when none are configured.
  const ingestKey = `demo-${randomBytes(16).toString('hex')}`;
  // The staff pages need a key: one admin key for the run, printed with the pages (a demo on this machine only).
  const adminKey = `demo-admin-${randomBytes(12).toString('hex')}`;
  const config: NuqtaConfig = {
    ...baseConfig,
    IG_APP_SECRET: baseConfig.IG_APP_SECRET ?? randomBytes(16).toString('hex'),
    TIKTOK_CLIENT_SECRET: baseConfig.TIKTOK_CLIENT_SECRET ?? randomBytes(16).toString('hex'),
    NUQTA_API_KEYS: [...baseConfig.NUQTA_API_KEYS, { role: 'ingest', key: ingestKey }, { role: 'admin', key: adminKey }],
    LOG_LEVEL: baseConfig.LOG_LEVEL === 'info' ? 'warn' : baseConfig.LOG_LEVEL,
  };
  const logger = createLogger(config.LOG_LEVEL);
  const running = await startRunning(await openFromConfig(config, logger), { serve: true, work: true });
  const url = running.url ?? '';
  try {
    const loaded = running.nuqta.campaigns.get(options.campaign);
    const plan = demoPlan(loaded.campaign, options);
    console.log(`nuqta demo: ${options.followers} emulated followers, ${plan.engagements.length} engagements over a week on "${loaded.campaign.name.en}" (${loaded.campaign.name.ar})`);

    const bar = new SingleBar({ format: 'webhooks  [{bar}] {value}/{total} deliveries' });
    let started = false;
    const report = await sendWebhooks(plan.engagements, {
      baseUrl: url,
      instagramAppSecret: config.IG_APP_SECRET ?? '',
      tiktokClientSecret: config.TIKTOK_CLIENT_SECRET ?? '',
      duplicateShare: 0.15,
      seed: options.seed,
      onProgress: (progress) => {
        if (!started) bar.start(progress.deliveries + progress.duplicates, 0);
        started = true;
        bar.update(progress.sent);
      },
    });
    bar.stop();
    const feed = brandFeedEvents(plan, loaded.campaign, options.seed);
    await postEvents(url, ingestKey, feed);
    console.log(`delivered ${report.accepted}/${report.sent} signed webhooks (${report.duplicates} deliberate re-deliveries), plus ${feed.length} likes and linked hashtag posts through POST /v1/events`);

    await waitForQueue(running);
    const referrals = await playReferralOrders({
      nuqta: running.nuqta, campaign: loaded.campaign, drained: () => waitForQueue(running),
      send: (events) => postEvents(url, ingestKey, events),
    }, options.seed);
    if (referrals) console.log(referrals);
    await printLeaderboard(url, loaded.campaign, running);
    printWhereToLook(url, loaded.campaign);
    await printPages(running, loaded.campaign, adminKey);
    if (options.keep) {
      console.log('\nserving until Ctrl-C (--keep)');
      stopOnSignal(running, logger);
      return;
    }
  } catch (error) {
    await running.stop();
    throw error;
  }
  await running.stop();
}

function demoPlan(campaign: Campaign, options: DemoOptions): ActivityPlan {
  const to = new Date(Math.min(Date.now(), campaign.ends_at.getTime()));
  const from = new Date(Math.max(to.getTime() - 7 * DAY_MS, campaign.starts_at.getTime()));
  const population = createPopulation({ seed: options.seed, size: options.followers });
  return planActivity(population, {
    instagram: campaign.accounts.instagram.map((accountId) => ({ accountId, mediaIds: campaign.media })),
    tiktok: campaign.accounts.tiktok.map((businessId) => ({ businessId, videoIds: [] })),
    hashtags: campaign.hashtag_spellings,
  }, { seed: options.seed, from, to, engagements: options.engagements, theme: THEMES[campaign.id] ?? 'cafe' });
}

/** What a brand's own source sends, through `POST /v1/events` with the run's ingest key. */
async function postEvents(url: string, ingestKey: string, events: readonly object[]): Promise<void> {
  const response = await fetch(`${url}/v1/events`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${ingestKey}` },
    body: JSON.stringify({ events }),
  });
  if (response.status !== 202) throw new NuqtaError('NUQTA_INTERNAL', `POST /v1/events answered ${response.status}: ${await response.text()}`);
}

async function waitForQueue(running: Running): Promise<void> {
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    const depth = await running.nuqta.queue.depth();
    if ((depth.waiting ?? 0) + (depth.active ?? 0) + (depth.delayed ?? 0) + (depth.prioritized ?? 0) === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new NuqtaError('NUQTA_INTERNAL', 'the workers did not drain the ingest queue within 2 minutes');
}

/** The pages, with data in them: the board, a follower link for a member below the top rows, the console and the dashboard. */
async function printPages(running: Running, campaign: Campaign, adminKey: string): Promise<void> {
  const { nuqta } = running;
  const base = nuqta.config.NUQTA_PUBLIC_URL ?? running.url ?? '';
  const ranked = await nuqta.leaderboard.top(campaign.id, 'all', campaign.leaderboards.top + 5);
  const follower = ranked.at(-1);
  const links = new MemberLinks(nuqta.secret, new PublicIds(nuqta.secret));
  const link = follower && followerLink(links, base, campaign.id, follower.memberId, DEFAULT_LINK_DAYS, new Date());
  const open = await nuqta.flags.queueStates([campaign.id]);
  console.log(`\npages (Arabic; add ?lang=en for English):
  leaderboard page  ${base}/leaderboard/${campaign.id}
  follower page     ${link ? `${link.url}   (${follower?.username === undefined ? 'a follower' : `@${follower.username}`}, rank ${follower?.rank ?? '-'})` : '(nobody has points yet)'}
  review console    ${base}/review   (${open.reduce((sum, state) => sum + state.open, 0)} held for review)
  dashboard         ${base}/campaigns/${campaign.id}
  API docs          ${base}/docs
  key for the review console and the dashboard (this run only): ${adminKey}`);
}

async function printLeaderboard(url: string, campaign: Campaign, running: Running): Promise<void> {
  const response = await fetch(`${url}/v1/campaigns/${campaign.id}/leaderboard?window=all&limit=10`);
  const board = (await response.json()) as { entries: { rank: number; points: number; displayName: { en: string; ar: string; pseudonym: boolean } }[] };
  const kpis = await campaignKpis(running.nuqta, campaign.id);
  console.log(`\nTop 10 — ${campaign.name.en} / ${campaign.name.ar}`);
  console.log('rank  points  member');
  for (const row of board.entries) {
    console.log(`${String(row.rank).padStart(4)}  ${String(row.points).padStart(6)}  ${row.displayName.en}${row.displayName.pseudonym ? ` (${row.displayName.ar})` : ''}`);
  }
  console.log(`\n${kpis.participants} participants, ${kpis.pointsIssued} points issued, flagged share ${(kpis.flaggedShare * 100).toFixed(1)}%`);
}

function printWhereToLook(url: string, campaign: Campaign): void {
  console.log(`\nwhere to look:
  leaderboard  ${url}/v1/campaigns/${campaign.id}/leaderboard?window=all
  campaign     ${url}/v1/campaigns/${campaign.id}
  member rank  ${url}/v1/campaigns/${campaign.id}/members/<publicId of a board row>/rank
  platforms    ${url}/v1/platforms
  referrals    ${url}/v1/campaigns/${campaign.id}/referrals/report   (admin key)
  members, explanations, review and metrics need a key (NUQTA_API_KEYS, README "Security")
  OpenAPI      ${url}/docs/openapi.json`);
}
