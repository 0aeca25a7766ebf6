/**
 * The campaign file contract (config/campaigns/*.yaml). Keys are lower_snake_case
 * in the file and stay so in the parsed value, so an error path reads like the file.
 */
import { z } from 'zod';
import { eventKindSchema } from '../domain/event.js';
import { hashtagSpelling, normalizeHashtag } from '../domain/hashtags.js';
import { fraudSignalCodeSchema } from '../domain/fraud-codes.js';

export const campaignIdSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, 'must be lower case letters, digits, "-" or "_" (at most 64)');
const id = campaignIdSchema;

const localizedName = z
  .object({ ar: z.string().min(1), en: z.string().min(1) })
  .strict();

const timezone = z.string().refine(isTimeZone, { message: 'is not an IANA time zone (for example Asia/Riyadh)' });

const instant = z
  .union([z.string(), z.date()])
  .transform((value, ctx) => {
    const date = value instanceof Date ? value : new Date(value);
    if (Number.isNaN(date.getTime())) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, message: 'is not a date-time (for example 2027-03-01T00:00:00+03:00)' });
      return z.NEVER;
    }
    return date;
  });

const DURATION = /^(\d+)(s|m|h|d)$/;
const UNIT_MS = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** `90s`, `10m`, `2h`, `1d` → milliseconds. */
export const durationMs = z.string().transform((value, ctx) => {
  const match = DURATION.exec(value);
  if (!match) {
    ctx.addIssue({ code: z.ZodIssueCode.custom, message: 'is not a duration (for example 90s, 10m, 2h, 1d)' });
    return z.NEVER;
  }
  return Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS];
});

const positiveInt = z.number().int().positive();

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

const moneySchema = z.object({ amount: z.number().positive(), currency: z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code such as SAR') }).strict();

/**
 * A referral program: which codes redeem it (`member`: each member's own
 * code, for "refer a friend"; `influencer`: codes the brand makes for an
 * influencer's audience), what a paid order with such a code earns the buyer
 * and the code's owner, and the limits codes get unless they set their own.
 */
const referralProgramSchema = z
  .object({
    id,
    name: localizedName.optional(),
    codes: z.enum(['member', 'influencer']),
    /** The buyer: the referred friend, or a member of the influencer's audience. */
    buyer_points: z.number().int().min(0).max(1_000_000).default(0),
    /** The code's owner (member codes only). */
    referrer_points: z.number().int().min(0).max(1_000_000).default(0),
    /** Only the buyer's first paid order seen in the campaign earns (default); a later one earns nothing. */
    first_order_only: z.boolean().default(true),
    min_order: moneySchema.optional(),
    limits: z
      .object({ per_code: positiveInt.optional(), per_member: positiveInt.default(1) })
      .strict()
      .default({}),
    /** Member codes stop working this many days after they are made; none when absent. */
    valid_days: positiveInt.optional(),
    /** The deep link a code is shared as; `{code}` is replaced by the code. */
    link: z.string().url().refine((link) => link.includes('{code}'), 'must contain {code}').optional(),
  })
  .strict()
  .superRefine((program, ctx) => {
    if (program.codes === 'influencer' && program.referrer_points > 0) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['referrer_points'], message: 'influencer codes have no member behind them: award the buyer (buyer_points)' });
    }
    if (program.buyer_points + program.referrer_points === 0) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['buyer_points'], message: 'the program must award someone: set buyer_points or referrer_points' });
    }
  });
export type ReferralProgram = z.infer<typeof referralProgramSchema>;

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

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}
