/** Schemas several resources share: route params and the bilingual shapes of replies. */
import { z } from 'zod';

export const campaignParams = z.object({ id: z.string().min(1) });
export const memberParams = campaignParams.extend({ memberId: z.string().min(1).max(300) });
export const localizedSchema = z.object({ en: z.string(), ar: z.string() });
export const displayNameSchema = localizedSchema.extend({ pseudonym: z.boolean() });
/** A ledger reason: a stable code and a sentence in both languages. */
export const reasonSchema = z.object({ code: z.string(), text: localizedSchema });
export const errorSchema = z.object({ error: z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() }) });
