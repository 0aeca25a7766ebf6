/**
 * The `referrals:` programs of a campaign file (README "Referral and
 * influencer codes").
 */
import { z } from 'zod';
import { campaignIdSchema, localizedName, positiveInt } from './campaign-parts.js';

const moneySchema = z.object({ amount: z.number().positive(), currency: z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code such as SAR') }).strict();

/**
 * A referral program: which codes redeem it (`member`: each member's own
 * code, for "refer a friend"; `influencer`: codes the brand makes for an
 * influencer's audience), what a paid order with such a code earns the buyer
 * and the code's owner, and the limits codes get unless they set their own.
 */
export const referralProgramSchema = z
  .object({
    id: campaignIdSchema,
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
