/**
 * The campaign file contract (config/campaigns/*.yaml). Keys are lower_snake_case
 * in the file and stay so in the parsed value, so an error path reads like the file.
 */
import { z } from 'zod';
import { eventKindSchema } from '../domain/event.js';
import { hashtagSpelling, normalizeHashtag } from '../domain/hashtags.js';
import { fraudSignalCodeSchema } from '../domain/fraud-codes.js';
import { campaignIdSchema, durationMs, instant, localizedName, positiveInt, timezone } from './campaign-parts.js';
import { referralProgramSchema } from './referral-program.js';

export { campaignIdSchema, durationMs } from './campaign-parts.js';
export type { ReferralProgram } from './referral-program.js';

const id = campaignIdSchema;

/** A fraud list entry: a member id (`instagram:1784…`) or `@username` on any platform. */
const fraudListEntry = z
  .string()
  .trim()
  .regex(/^(@[A-Za-z0-9._]{1,64}|(instagram|tiktok):\S{1,128})$/, 'must be "@username" or a member id such as "instagram:17841400000000001"')
  .transform((entry) => (entry.startsWith('@') ? entry.toLowerCase() : entry));

const ruleSchema = z
  .object({
    id,
    // A deleted comment takes its points back (scoring/rules/clawback.ts); it never earns.
    on: eventKindSchema.refine((kind) => kind !== 'comment_deleted' && kind !== 'order_refunded', 'comment_deleted and order_refunded take points back and cannot earn them'),
    points: z.number().int().min(1).max(1_000_000),
    first_time: z.boolean().default(false),
    accept_unverified: z.boolean().default(false),
    when: z
      .object({
        min_text_length: z.number().int().nonnegative(),
        on_campaign_media: z.boolean(),
        hashtag: z.boolean(),
        platform: z.enum(['instagram', 'tiktok']),
      })
      .partial()
      .strict()
      .default({}),
    limits: z
      .object({
        per_day: positiveInt,
        per_week: positiveInt,
        per_campaign: positiveInt,
        cooldown: durationMs,
      })
      .partial()
      .strict()
      .default({}),
  })
  .strict();
export type CampaignRule = z.infer<typeof ruleSchema>;

const tierSchema = z
  .object({
    id,
    /** How members see the tier; the id when absent. */
    name: localizedName.optional(),
    min_earned: z.number().int().nonnegative(),
    // Earn points are multiplied on integers in thousandths (see scoring/rules/tiers.ts).
    multiplier: z
      .number()
      .min(1)
      .max(10)
      .refine((m) => Math.abs(m * 1000 - Math.round(m * 1000)) < 1e-6, 'must have at most three decimals'),
  })
  .strict();

const voucherSchema = z
  .object({
    /** Codes the brand uploads (a CSV); the pool is the reward's stock. */
    pool: z.literal(true).optional(),
    /** Codes made by nuqta, e.g. `QAHWA-XXXX-XXXX`: `X` a letter or digit (never 0/O or 1/I/L), `#` a digit, the rest as written. */
    pattern: z
      .string()
      .regex(/^[A-Z0-9#-]+$/, 'may hold only A–Z, 0–9, "-", and X or # for the random characters')
      .refine((pattern) => [...pattern].filter((char) => char === 'X' || char === '#').length >= 6, 'needs at least six X or # (random characters)')
      .optional(),
    /** Days an issued voucher stays valid; no limit when absent. */
    valid_days: positiveInt.optional(),
  })
  .strict()
  .refine((voucher) => (voucher.pool === true) !== (voucher.pattern !== undefined), 'must have either pool: true or a pattern');

const rewardSchema = z
  .object({
    id,
    name: localizedName,
    cost: positiveInt,
    stock: z.number().int().nonnegative().optional(),
    value: z.object({ amount: z.number().positive(), currency: z.string().regex(/^[A-Z]{3}$/) }).strict().optional(),
    /** A code issued with each redemption, kept in the member's wallet. */
    voucher: voucherSchema.optional(),
  })
  .strict()
  .refine((reward) => !(reward.voucher?.pool === true && reward.stock !== undefined), { message: 'a voucher pool is the reward\'s stock: leave stock out', path: ['stock'] });
export type CampaignReward = z.infer<typeof rewardSchema>;

const challengeSchema = z
  .object({
    id,
    rule: id,
    count: positiveInt,
    window: z.object({ from: instant, to: instant }).strict(),
    bonus: positiveInt,
  })
  .strict();

export const campaignSchema = z
  .object({
    id,
    version: positiveInt.default(1),
    name: localizedName,
    timezone,
    starts_at: instant,
    ends_at: instant,
    accounts: z
      .object({ instagram: z.array(z.string().min(1)).default([]), tiktok: z.array(z.string().min(1)).default([]) })
      .strict(),
    // Written as people spell them; parsed into `hashtags` (folded, for matching) and `hashtag_spellings` (as written, for the platform's search).
    hashtags: z.array(z.string().min(1)).default([]),
    // A post that @mentions the brand in its caption and carries a campaign hashtag earns the hashtag_post rules;
    // `also_mention: false` keeps it from earning the mention rules as well.
    hashtag_posts: z.object({ also_mention: z.boolean().default(true) }).strict().default({}),
    media: z.array(z.string().min(1)).default([]),
    rules: z.array(ruleSchema).min(1),
    tiers: z.array(tierSchema).min(1, 'must list at least one tier').default([{ id: 'member', min_earned: 0, multiplier: 1 }]),
    rewards: z.array(rewardSchema).default([]),
    challenges: z.array(challengeSchema).default([]),
    streaks: z.object({ rule: id, days: z.number().int().min(2), bonus: positiveInt }).strict().optional(),
    referrals: z.array(referralProgramSchema).default([]),
    leaderboards: z
      .object({
        windows: z.array(z.enum(['all', 'week', 'month'])).default(['all']),
        top: z.number().int().min(1).max(100).default(10),
        anonymize: z.boolean().default(false),
        public: z.boolean().default(true),
      })
      .strict()
      .default({}),
    privacy: z
      .object({
        /** An event of a member erased before: dropped, or counted for their anonymous stand-in without handle, text or profile. */
        after_erasure: z.enum(['drop', 'anonymous']).default('drop'),
      })
      .strict()
      .default({}),
    fraud: z
      .object({
        hold_at: z.number().min(0).max(1).default(0.5),
        reject_at: z.number().min(0).max(1).default(0.85),
        // Per-signal weights override the defaults (docs/FRAUD.md); 0 turns a signal off.
        weights: z.record(fraudSignalCodeSchema, z.number().min(0).max(1)).default({}),
        staff: z.array(fraudListEntry).default([]),
        blocked: z.array(fraudListEntry).default([]),
        // How long a reviewer's approval clears the member of the account-level reasons it saw; 0 never clears.
        clearance_days: z.number().int().min(0).max(365).default(30),
      })
      .strict()
      .default({}),
    expiry: z.object({ after_days: positiveInt }).strict().optional(),
    // Spans in which the campaign awards nothing (`nuqta campaigns pause|resume`); the last may still be open.
    pauses: z.array(z.object({ from: instant, to: instant.optional() }).strict()).default([]),
  })
  .strict()
  .superRefine((campaign, ctx) => {
    if (campaign.ends_at <= campaign.starts_at) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['ends_at'], message: 'must be after starts_at' });
    }
    if (campaign.accounts.instagram.length + campaign.accounts.tiktok.length === 0) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['accounts'], message: 'must list at least one account' });
    }
    reportDuplicates(campaign.rules.map((r) => r.id), ['rules'], ctx);
    reportDuplicates(campaign.rewards.map((r) => r.id), ['rewards'], ctx);
    reportDuplicates(campaign.tiers.map((t) => t.id), ['tiers'], ctx);
    reportDuplicates(campaign.challenges.map((c) => c.id), ['challenges'], ctx);
    reportDuplicates(campaign.referrals.map((p) => p.id), ['referrals'], ctx);
    const ruleIds = new Set(campaign.rules.map((r) => r.id));
    campaign.challenges.forEach((challenge, index) => {
      if (!ruleIds.has(challenge.rule)) {
        ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['challenges', index, 'rule'], message: `names no rule of this campaign ("${challenge.rule}")` });
      }
    });
    if (campaign.streaks && !ruleIds.has(campaign.streaks.rule)) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['streaks', 'rule'], message: `names no rule of this campaign ("${campaign.streaks.rule}")` });
    }
    const firstTier = [...campaign.tiers].sort((a, b) => a.min_earned - b.min_earned)[0];
    if (firstTier && firstTier.min_earned !== 0) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['tiers'], message: 'the lowest tier must start at min_earned: 0' });
    }
    campaign.pauses.forEach((pause, index) => {
      const next = campaign.pauses[index + 1];
      if (pause.to !== undefined && pause.to <= pause.from) {
        ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['pauses', index, 'to'], message: 'must be after from' });
      } else if (next && (pause.to === undefined || next.from < pause.to)) {
        ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['pauses', index + 1, 'from'], message: 'must not begin before the previous pause ends' });
      }
    });
    if (campaign.fraud.hold_at > campaign.fraud.reject_at) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['fraud', 'hold_at'], message: 'must not be above reject_at' });
    }
  })
  .transform(({ hashtags, ...campaign }) => ({
    ...campaign,
    hashtags: [...new Set(hashtags.map(normalizeHashtag))],
    hashtag_spellings: [...new Set(hashtags.map(hashtagSpelling))],
  }));

export type Campaign = z.infer<typeof campaignSchema>;
export type CampaignPause = Campaign['pauses'][number];

/** The pause an instant falls in (a pause covers its `from` and stops before its `to`). */
export function pauseAt(campaign: Pick<Campaign, 'pauses'>, at: Date): CampaignPause | undefined {
  return campaign.pauses.find((pause) => at >= pause.from && (pause.to === undefined || at < pause.to));
}

function reportDuplicates(ids: readonly string[], path: (string | number)[], ctx: z.RefinementCtx): void {
  const seen = new Set<string>();
  ids.forEach((value, index) => {
    if (seen.has(value)) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: [...path, index, 'id'], message: `repeats the id "${value}"` });
    }
    seen.add(value);
  });
}
