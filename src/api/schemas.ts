/** Schemas several resources share: route params and the bilingual shapes of replies. */
import { z } from 'zod';
import { campaignIdSchema } from '../config/campaign-schema.js';
import { memberIdSchema } from '../domain/event.js';
import { PUBLIC_ID_PATTERN } from './public-id.js';

/** A member as a route names them: their member id (with a key), or the public id the boards show. */
export const memberRefSchema = z.union([memberIdSchema, z.string().regex(PUBLIC_ID_PATTERN)], {
  errorMap: () => ({ message: 'must be a member id such as instagram:17841400000000001, or a public id from a leaderboard row' }),
});
export const campaignParams = z.object({ id: campaignIdSchema });
export const memberParams = campaignParams.extend({ memberId: memberRefSchema });
export const localizedSchema = z.object({ en: z.string(), ar: z.string() });
export const displayNameSchema = localizedSchema.extend({ pseudonym: z.boolean() });
/** A ledger reason: a stable code and a sentence in both languages. */
export const reasonSchema = z.object({ code: z.string(), text: localizedSchema });
export const errorSchema = z.object({ error: z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() }) });
