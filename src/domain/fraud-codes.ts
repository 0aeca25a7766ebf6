/**
 * The stable reason codes of the fraud scorer. They are part of the contract:
 * reviewers filter by them, campaign files weigh them (`fraud.weights`), and
 * ledger entries keep them. Add codes; never rename or reuse one.
 */
import { z } from 'zod';

export const FRAUD_SIGNAL_CODES = [
  'blocked_member',
  'staff_member',
  'new_account',
  'thin_profile',
  'follow_ratio',
  'username_pattern',
  'member_burst',
  'media_burst',
  'duplicate_text',
  'near_duplicate_text',
  'generic_comment',
  'delete_recomment',
  'co_engagement_ring',
  'newcomer_spike',
  'arrival_cohort',
  'stock_wave',
  'self_referral',
  'referral_farm',
] as const;

export const fraudSignalCodeSchema = z.enum(FRAUD_SIGNAL_CODES);
export type FraudSignalCode = z.infer<typeof fraudSignalCodeSchema>;

/**
 * What a reviewer's approval settles for a while: facts about the account and
 * the company it keeps, which stay the same from one action to the next (a
 * young or empty profile, a handle, stock comments, the friends it acts with,
 * the accounts it arrived with). Once a reviewer has looked and approved, asking
 * again on every comment only holds an honest member's points. Each burst,
 * copy or delete cycle is a new act and is judged anew; the lists always count.
 */
export const CLEARABLE_FRAUD_SIGNALS: ReadonlySet<FraudSignalCode> = new Set<FraudSignalCode>([
  'new_account',
  'thin_profile',
  'follow_ratio',
  'username_pattern',
  'generic_comment',
  'co_engagement_ring',
  'arrival_cohort',
]);
