import { createHash } from 'node:crypto';

export interface DisplayName {
  en: string;
  ar: string;
  /** True when the board shows a pseudonym instead of the member's handle. */
  pseudonym: boolean;
}

/** Arabic-Indic digits, made once (a format per call costs more than the rest of a board row). */
const ARABIC_DIGITS = new Intl.NumberFormat('ar-SA', { useGrouping: false });

/** The same member always gets the same pseudonym in a campaign, and a different one in another campaign. */
export function pseudonymOf(campaignId: string, memberId: string): DisplayName {
  const digest = createHash('sha256').update(`${campaignId}\u0000${memberId}`).digest();
  const number = (digest.readUInt32BE(0) % 9000) + 1000;
  return { en: `Follower ${number}`, ar: `متابع ${ARABIC_DIGITS.format(number)}`, pseudonym: true };
}

export function displayNameOf(input: { campaignId: string; memberId: string; username?: string | undefined; hideName: boolean; anonymize: boolean }): DisplayName {
  if (input.anonymize || input.hideName || input.username === undefined) return pseudonymOf(input.campaignId, input.memberId);
  return { en: `@${input.username}`, ar: `@${input.username}`, pseudonym: false };
}
