import { describe, expect, it } from 'vitest';
import { clearanceAfterApproval, type Clearance } from '../../../src/review/clearances.js';
import { clearedCodes } from '../../../src/scoring/fraud/index.js';

const DAY = 86_400_000;
const AT = new Date('2027-03-10T12:00:00Z');
const approval = { campaignId: 'cafe', memberId: 'instagram:1', flagId: 'cafe|instagram:comment:9', by: 'reviewer:ab12', at: AT };

describe('clearance after an approval', () => {
  it('clears the flag’s account-level reasons for the campaign’s days; acts and lists are left out', () => {
    const cleared = clearanceAfterApproval(null, { ...approval, reasons: ['thin_profile', 'member_burst', 'new_account', 'blocked_member'] }, 30);
    expect(cleared).toEqual({ ...approval, codes: ['new_account', 'thin_profile'], until: new Date(AT.getTime() + 30 * DAY) });
  });

  it('joins the reasons of a clearance still in force and extends it', () => {
    const existing: Clearance = { ...approval, codes: ['username_pattern'], until: new Date(AT.getTime() + DAY) };
    const cleared = clearanceAfterApproval(existing, { ...approval, reasons: ['arrival_cohort'] }, 14);
    expect(cleared).toMatchObject({ codes: ['arrival_cohort', 'username_pattern'], until: new Date(AT.getTime() + 14 * DAY) });
  });

  it('forgets the reasons of a clearance that ran out', () => {
    const expired: Clearance = { ...approval, codes: ['username_pattern'], until: new Date(AT.getTime() - 1) };
    expect(clearanceAfterApproval(expired, { ...approval, reasons: ['generic_comment'] }, 30)?.codes).toEqual(['generic_comment']);
  });

  it.each([
    ['nothing clearable on the flag', ['member_burst', 'duplicate_text'], 30],
    ['a campaign that never clears', ['thin_profile'], 0],
  ] as const)('nothing to keep: %s', (_name, reasons, days) => {
    expect(clearanceAfterApproval(null, { ...approval, reasons }, days)).toBeUndefined();
  });

  it('is in force until its end', () => {
    const clearance: Clearance = { ...approval, codes: ['thin_profile'], until: new Date(AT.getTime() + DAY) };
    expect([...clearedCodes(clearance, AT)]).toEqual(['thin_profile']);
    expect([...clearedCodes(clearance, clearance.until)]).toEqual([]);
    expect([...clearedCodes(null, AT)]).toEqual([]);
  });
});
