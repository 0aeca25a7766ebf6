/**
 * Every signal with its default weight. A score is the sum of weight × value,
 * so the weights read as "how much of the way to a hold (0.5 by default) this
 * reason goes on its own". Weak evidence (a new account, a generic comment)
 * stays well below the hold line alone and only adds up with other evidence;
 * strong behaviour (a burst, a ring, copies) reaches it alone; lists decide.
 */
import type { FraudSignalCode } from '../../domain/fraud-codes.js';
import { followRatio, newAccount, thinProfile, usernameLooksGenerated } from './signals/account.js';
import { arrivalCohort, coEngagementRing, newcomerSpike } from './signals/crowd.js';
import { blockedMember, staffMember } from './signals/lists.js';
import type { Signal } from './signals/signal.js';
import { duplicateText, genericComment, nearDuplicateText } from './signals/text.js';
import { referralFarm, selfReferral } from './signals/referral.js';
import { stockWave } from './signals/wave.js';
import { deleteRecomment, mediaBurst, memberBurst } from './signals/velocity.js';

export const DEFAULT_FRAUD_WEIGHTS: Readonly<Record<FraudSignalCode, number>> = {
  blocked_member: 1,
  staff_member: 1,
  new_account: 0.2,
  thin_profile: 0.25,
  follow_ratio: 0.3,
  username_pattern: 0.2,
  member_burst: 0.7,
  media_burst: 0.5,
  duplicate_text: 0.6,
  near_duplicate_text: 0.5,
  generic_comment: 0.08,
  delete_recomment: 0.6,
  co_engagement_ring: 0.8,
  newcomer_spike: 0.15,
  arrival_cohort: 0.6,
  stock_wave: 0.6,
  self_referral: 0.8,
  referral_farm: 0.7,
};

export const SIGNALS: readonly Signal[] = [
  blockedMember,
  staffMember,
  newAccount,
  thinProfile,
  followRatio,
  usernameLooksGenerated,
  memberBurst,
  mediaBurst,
  duplicateText,
  nearDuplicateText,
  genericComment,
  deleteRecomment,
  coEngagementRing,
  newcomerSpike,
  arrivalCohort,
  stockWave,
  selfReferral,
  referralFarm,
];
