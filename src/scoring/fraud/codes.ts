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
] as const;

export const fraudSignalCodeSchema = z.enum(FRAUD_SIGNAL_CODES);
export type FraudSignalCode = z.infer<typeof fraudSignalCodeSchema>;
