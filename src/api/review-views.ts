/** The review API's reply shapes (also its OpenAPI schemas), and how flags, evidence and blocks become them. */
import { z } from 'zod';
import { NuqtaError } from '../errors.js';
import type { Block } from '../review/block-list.js';
import type { FlagEvidence } from '../review/evidence.js';
import type { Flag } from '../review/flags.js';
import { localizedSchema } from './schemas.js';


const signalSchema = z.object({ code: z.string(), weight: z.number(), value: z.number(), text: localizedSchema });

export const flagSchema = z.object({
  id: z.string(),
  campaignId: z.string(),
  eventKey: z.string(),
  memberId: z.string(),
  status: z.string(),
  score: z.number(),
  reasons: z.array(z.string()),
  /** Strongest first: `weight × value` is what each added to the score. */
  signals: z.array(signalSchema),
  entries: z.array(z.object({
    seq: z.number().int(),
    ruleId: z.string(),
    kind: z.string(),
    points: z.number().int(),
    /** For a reversal putting an earlier award under review: that award. */
    refersTo: z.object({ eventKey: z.string(), ruleId: z.string() }).optional(),
  })),
  points: z.number().int(),
  /** Points of the member's earlier awards under review with this event: a rejection takes them back. */
  pointsUnderReview: z.number().int(),
  occurredAt: z.string(),
  createdAt: z.string(),
  decision: z.object({ decision: z.string(), by: z.string(), at: z.string(), note: z.string().optional() }).nullable(),
  wave: z.object({
    id: z.string().describe('The same for every flag of one wave: list them with `?wave=`, decide them with POST /v1/review/waves/{id}/decision'),
    mediaId: z.string(),
  }).nullable().describe('Set when the flag is part of a wave of accounts first seen on one post writing the same stock text'),
});

const activitySchema = z.object({ eventKey: z.string(), kind: z.string(), at: z.string(), mediaId: z.string().optional(), text: z.string().optional() });

export const evidenceSchema = z.object({
  event: z.object({
    platform: z.string(),
    kind: z.string(),
    username: z.string().optional(),
    profile: z.object({
      accountCreatedAt: z.string().optional(),
      followersCount: z.number().optional(),
      followingCount: z.number().optional(),
      mediaCount: z.number().optional(),
      hasDefaultAvatar: z.boolean().optional(),
    }).optional(),
    accountId: z.string(),
    mediaId: z.string().optional(),
    text: z.string().optional(),
    occurredAt: z.string(),
  }).nullable(),
  member: z.object({
    username: z.string().optional(),
    balance: z.number().int(),
    earned: z.number().int(),
    heldPoints: z.number().int(),
    pointsUnderReview: z.number().int(),
    blocked: z.boolean(),
    clearance: z.object({ codes: z.array(z.string()), until: z.string(), flagId: z.string(), by: z.string(), at: z.string() }).nullable()
      .describe('What an earlier approval cleared the member of, and until when: those reasons count for nothing meanwhile'),
  }).nullable(),
  recentActivity: z.array(activitySchema),
  similarTexts: z.array(activitySchema.extend({ memberId: z.string(), similarity: z.number() })),
});

export const blockSchema = z.object({ memberId: z.string(), campaignId: z.string().optional(), by: z.string(), at: z.string(), note: z.string().optional() });

export function flagView(flag: Flag): z.infer<typeof flagSchema> {
  const { decision, occurredAt, createdAt, wave, ...rest } = flag;
  return {
    ...rest,
    wave: wave ?? null,
    occurredAt: occurredAt.toISOString(),
    createdAt: createdAt.toISOString(),
    decision: decision ? { ...decision, at: decision.at.toISOString() } : null,
  };
}

export function evidenceView(evidence: FlagEvidence): z.infer<typeof evidenceSchema> {
  const activity = <T extends { at: Date }>(item: T): Omit<T, 'at'> & { at: string } => ({ ...item, at: item.at.toISOString() });
  let event: z.infer<typeof evidenceSchema>['event'] = null;
  if (evidence.event) {
    const { profile, occurredAt, ...rest } = evidence.event;
    event = { ...rest, occurredAt: occurredAt.toISOString() };
    if (profile) {
      const { accountCreatedAt, ...counts } = profile;
      event.profile = { ...counts, ...(accountCreatedAt === undefined ? {} : { accountCreatedAt: accountCreatedAt.toISOString() }) };
    }
  }
  const member = evidence.member && {
    ...evidence.member,
    clearance: evidence.member.clearance && { ...evidence.member.clearance, until: evidence.member.clearance.until.toISOString(), at: evidence.member.clearance.at.toISOString() },
  };
  return {
    event,
    member,
    recentActivity: evidence.recentActivity.map(activity),
    similarTexts: evidence.similarTexts.map(activity),
  };
}

export function blockView(block: Block): z.infer<typeof blockSchema> {
  return { ...block, at: block.at.toISOString() };
}

/** Cursors are opaque to clients: the last flag's opening time and id. */
export function encodeCursor(flag: Pick<Flag, 'createdAt' | 'id'>): string {
  return Buffer.from(JSON.stringify([flag.createdAt.toISOString(), flag.id])).toString('base64url');
}

export function decodeCursor(cursor: string): { createdAt: Date; id: string } {
  try {
    const parsed = z.tuple([z.string().datetime(), z.string()]).parse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
    return { createdAt: new Date(parsed[0]), id: parsed[1] };
  } catch {
    throw new NuqtaError('NUQTA_BAD_REQUEST', 'cursor is not one this API gave out; start again without it');
  }
}
