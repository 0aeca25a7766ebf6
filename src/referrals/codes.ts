/**
 * Referral and influencer codes: what a code is for (a program of the
 * campaign), whose it is (a member, or an influencer the brand names), when
 * it works and how often. One document per code, read by its exact key when
 * an order names it; a member's own code has a second document keyed by the
 * member, so asking for it again returns the same code.
 */
import { createHmac } from 'node:crypto';
import type { Collection, Db } from 'mongodb';
import type { Campaign, ReferralProgram } from '../config/campaign-schema.js';
import { NuqtaError } from '../errors.js';
import { insertOnce } from '../insert-once.js';

export interface Influencer {
  name: string;
  /** `@handle` on a platform, when the brand gives it. */
  handle?: string;
}

export interface ReferralCode {
  campaignId: string;
  /** Upper case. */
  code: string;
  program: string;
  /** Member codes: the member who shares it and earns `referrer_points`. */
  ownerId?: string;
  influencer?: Influencer;
  validFrom?: Date;
  /** The code works before this instant. */
  validUntil?: Date;
  /** Orders the code may redeem in all; unlimited when absent. */
  maxUses?: number;
  /** Orders one buyer may redeem it with. */
  maxUsesPerMember: number;
  createdAt: Date;
}

type CodeDoc = ReferralCode & { _id: string };
type OwnerDoc = { _id: string; code: string };

/** Letters and digits that cannot be misread (no 0/O, 1/I/L). */
const CODE_LETTERS = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';

/** A code as asked for: what is left out takes the program's default or is absent. */
export interface CodeDraft {
  code: string;
  program: string;
  ownerId?: string | undefined;
  influencer?: { name: string; handle?: string | undefined } | undefined;
  validFrom?: Date | undefined;
  validUntil?: Date | undefined;
  maxUses?: number | undefined;
  maxUsesPerMember?: number | undefined;
}

export class ReferralCodes {
  private readonly codes: Collection<CodeDoc>;
  private readonly owners: Collection<OwnerDoc>;

  constructor(db: Db, private readonly secret: Buffer) {
    this.codes = db.collection<CodeDoc>('referral_codes');
    this.owners = db.collection<OwnerDoc>('referral_code_owners');
  }

  async get(campaignId: string, code: string): Promise<ReferralCode | undefined> {
    const doc = await this.codes.findOne({ _id: codeKey(campaignId, code) });
    return doc ? codeOf(doc) : undefined;
  }

  /**
   * Makes a code. The same code asked for again with the same owner and
   * program is returned as it is (`created: false`); a code taken by another
   * owner or program is a conflict.
   */
  async create(campaign: Campaign, draft: CodeDraft, now: Date): Promise<{ code: ReferralCode; created: boolean }> {
    const program = programOf(campaign, draft.program);
    if (program.codes === 'member' && draft.ownerId === undefined) {
      throw new NuqtaError('NUQTA_BAD_REQUEST', `program "${program.id}" is for member codes: name the member (memberId)`);
    }
    if (program.codes === 'influencer' && draft.influencer === undefined) {
      throw new NuqtaError('NUQTA_BAD_REQUEST', `program "${program.id}" is for influencer codes: name the influencer (influencer.name)`);
    }
    if (draft.validFrom && draft.validUntil && draft.validUntil <= draft.validFrom) {
      throw new NuqtaError('NUQTA_BAD_REQUEST', 'validUntil must be after validFrom');
    }
    const maxUses = draft.maxUses ?? program.limits.per_code;
    const validUntil = draft.validUntil ?? (program.codes === 'member' && program.valid_days !== undefined ? new Date(now.getTime() + program.valid_days * 86_400_000) : undefined);
    const code: ReferralCode = {
      campaignId: campaign.id,
      code: draft.code,
      program: program.id,
      ...(draft.ownerId === undefined ? {} : { ownerId: draft.ownerId }),
      ...(draft.influencer === undefined ? {} : { influencer: draft.influencer.handle === undefined ? { name: draft.influencer.name } : { name: draft.influencer.name, handle: draft.influencer.handle } }),
      ...(draft.validFrom === undefined ? {} : { validFrom: draft.validFrom }),
      ...(validUntil === undefined ? {} : { validUntil }),
      ...(maxUses === undefined ? {} : { maxUses }),
      maxUsesPerMember: draft.maxUsesPerMember ?? program.limits.per_member,
      createdAt: now,
    };
    if (await insertOnce(this.codes, { _id: codeKey(campaign.id, code.code), ...code })) return { code, created: true };
    const existing = await this.get(campaign.id, code.code);
    if (!existing || existing.program !== code.program || existing.ownerId !== code.ownerId || existing.influencer?.name !== code.influencer?.name) {
      throw new NuqtaError('NUQTA_CONFLICT', `code ${code.code} is already taken in campaign "${campaign.id}"`);
    }
    return { code: existing, created: false };
  }

  /**
   * The member's own code of a member program: made once from their handle
   * and a keyed hash of who they are (so it cannot be guessed from the handle
   * alone), then always the same one.
   */
  async forMember(campaign: Campaign, programId: string, member: { memberId: string; username?: string | undefined }, now: Date): Promise<{ code: ReferralCode; created: boolean }> {
    const program = programOf(campaign, programId);
    if (program.codes !== 'member') throw new NuqtaError('NUQTA_BAD_REQUEST', `program "${program.id}" is for influencer codes, not members' own`);
    const ownerKey = `${campaign.id}|${program.id}|${member.memberId}`;
    const known = await this.owners.findOne({ _id: ownerKey });
    const existing = known && (await this.get(campaign.id, known.code));
    if (existing) return { code: existing, created: false };
    const stem = (member.username ?? '').toUpperCase().replace(/[^A-Z0-9]/g, '').slice(0, 8) || 'FRIEND';
    const digest = createHmac('sha256', this.secret).update(ownerKey).digest();
    // A longer tail only when two members' codes meet (same handle stem and tail).
    for (const length of [4, 6, 8]) {
      const tail = [...digest.subarray(0, length)].map((byte) => CODE_LETTERS[byte % CODE_LETTERS.length]).join('');
      try {
        const made = await this.create(campaign, { code: `${stem}-${tail}`, program: program.id, ownerId: member.memberId }, now);
        await this.owners.updateOne({ _id: ownerKey }, { $set: { code: made.code.code } }, { upsert: true });
        return made;
      } catch (error) {
        if (!(error instanceof NuqtaError) || error.code !== 'NUQTA_CONFLICT') throw error;
      }
    }
    throw new NuqtaError('NUQTA_CONFLICT', `no free code for member "${member.memberId}" in campaign "${campaign.id}"`);
  }

  /** Stops a code working from `at` (an influencer's contract ended early); a code that stops sooner keeps its date. */
  async end(campaignId: string, code: string, at: Date): Promise<ReferralCode | undefined> {
    const found = await this.get(campaignId, code);
    if (!found) return undefined;
    if (found.validUntil !== undefined && found.validUntil <= at) return found;
    await this.codes.updateOne({ _id: codeKey(campaignId, code) }, { $set: { validUntil: at } });
    return { ...found, validUntil: at };
  }

  /** Every code the member owns, in any campaign (scans: for an erasure only). */
  async ownedBy(memberId: string): Promise<ReferralCode[]> {
    return (await this.codes.find({ ownerId: memberId }).toArray()).map(codeOf);
  }

  /** Takes a code out of use for good (its owner was erased: the code carries their handle). */
  async remove(code: ReferralCode): Promise<void> {
    await this.codes.deleteOne({ _id: codeKey(code.campaignId, code.code) });
    if (code.ownerId !== undefined) await this.owners.deleteOne({ _id: `${code.campaignId}|${code.program}|${code.ownerId}` });
  }

  /** The campaign's codes, in the order they were made. */
  async list(campaignId: string): Promise<ReferralCode[]> {
    const docs = await this.codes.find({ campaignId }).toArray();
    return docs.map(codeOf).sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || a.code.localeCompare(b.code));
  }
}

export function programOf(campaign: Campaign, programId: string): ReferralProgram {
  const program = campaign.referrals.find((candidate) => candidate.id === programId);
  if (!program) throw new NuqtaError('NUQTA_NOT_FOUND', `campaign "${campaign.id}" has no referral program "${programId}"`);
  return program;
}

/** The deep link the code is shared as, when the program has one. */
export function linkOf(program: ReferralProgram, code: string): string | undefined {
  return program.link?.replaceAll('{code}', encodeURIComponent(code));
}

function codeKey(campaignId: string, code: string): string {
  return `${campaignId}|${code.toUpperCase()}`;
}

function codeOf(doc: CodeDoc): ReferralCode {
  const { _id: _key, ...code } = doc;
  return code;
}
