import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decisionRecordId } from '../../../src/review/review-store.js';
import { memberState, recordVersusLedger } from '../../helpers/member-records.js';
import { startTestNuqta, TEST_SECRETS, type TestNuqta } from '../../helpers/test-nuqta.js';
import { call, CAMPAIGN, flagIdOf, leaderboard, ledgerOf, REVIEW_CAMPAIGNS, sendComments } from './review-helpers.js';

let app: TestNuqta;
const reviewer = TEST_SECRETS.reviewerKey;
const MINUTE = 60_000;

beforeAll(async () => {
  app = await startTestNuqta('retro_review', { env: { NUQTA_CAMPAIGNS: REVIEW_CAMPAIGNS } });
});
afterAll(async () => {
  await app?.cleanup();
});

/**
 * Two comments earn points; then a reviewer blocks the member (the block
 * holds in this campaign: weight 0.5, hold line 0.4), so the third comment is
 * held and puts the two earlier awards under review with it.
 */
async function twoPostedThenHeld(userId: string, username: string, prefix: string): Promise<string> {
  const memberId = `instagram:${userId}`;
  const start = Date.now() - 30 * MINUTE;
  const mediaId = `media-${prefix}`;
  await sendComments(app, [
    { commentId: `${prefix}-1`, userId, username, mediaId, text: `${username} tried the saffron latte and the date cake this morning`, at: new Date(start) },
    { commentId: `${prefix}-2`, userId, username, mediaId, text: `${username} asks whether the Olaya branch opens early on Fridays`, at: new Date(start + 10 * MINUTE) },
  ]);
  expect(await ledgerOf(app, memberId)).toEqual([['comment', 10, 'posted'], ['comment', 10, 'posted']]);
  expect((await call(app, 'POST', '/v1/review/blocks', { key: reviewer, body: { memberId, campaignId: CAMPAIGN } })).status).toBe(201);
  await sendComments(app, [{ commentId: `${prefix}-3`, userId, username, mediaId, text: `${username} says the cortado was perfect today`, at: new Date(start + 20 * MINUTE) }]);
  return memberId;
}

describe('retroactive review', () => {
  it('opens one flag for a held comment with the member\u2019s earlier awards under review; they still count until decided', async () => {
    const memberId = await twoPostedThenHeld('17841422200000001', 'retro.rejected', 'rr');
    const firstKey = 'instagram:comment:rr-1';
    const secondKey = 'instagram:comment:rr-2';
    expect(await ledgerOf(app, memberId)).toEqual([
      ['comment', 10, 'posted'],
      ['comment', 10, 'posted'],
      ['comment', 10, 'held'],
      [`review:comment:${firstKey}`, -10, 'held'],
      [`review:comment:${secondKey}`, -10, 'held'],
    ]);
    const entries = await app.nuqta.ledger.entriesAfter(CAMPAIGN, memberId, 0);
    expect(entries[3]).toMatchObject({
      eventKey: 'instagram:comment:rr-3',
      kind: 'reverse',
      refersTo: { eventKey: firstKey, ruleId: 'comment' },
      reason: { code: 'UNDER_REVIEW', text: { en: expect.stringContaining('takes back 10 points'), ar: expect.stringContaining('تُسترجع 10 نقاط') } },
    });

    const flag = await app.nuqta.flags.get(flagIdOf('rr-3'));
    expect(flag).toMatchObject({ status: 'open', points: 10, pointsUnderReview: 20, reasons: ['blocked_member'] });
    expect(flag?.entries.map((entry) => [entry.kind, entry.points, entry.refersTo?.eventKey])).toEqual([
      ['earn', 10, undefined],
      ['reverse', -10, firstKey],
      ['reverse', -10, secondKey],
    ]);
    // The review API shows the reviewer what a rejection would take back.
    const shown = await call(app, 'GET', `/v1/review/flags/${encodeURIComponent(flagIdOf('rr-3'))}`, { key: reviewer });
    expect(shown.body).toMatchObject({
      flag: { pointsUnderReview: 20, entries: [{ kind: 'earn' }, { kind: 'reverse', refersTo: { eventKey: firstKey } }, { kind: 'reverse', refersTo: { eventKey: secondKey } }] },
      evidence: { member: { pointsUnderReview: 20 } },
    });
    // Held entries never count: the member keeps the 20 points in the balance until a reviewer decides, but
    // the boards show only what stands, so they leave the board meanwhile.
    expect(await memberState(app.nuqta, CAMPAIGN, memberId)).toMatchObject({ balance: 20, earned: 20 });
    expect((await leaderboard(app)).map(([member]) => member)).not.toContain(memberId);
    // The member's own view shows them as pending, with the reason.
    const own = await call(app, 'GET', `/v1/campaigns/${CAMPAIGN}/members/${memberId}`, { key: TEST_SECRETS.readerKey });
    expect(own.body).toMatchObject({
      balance: 20,
      pending: {
        points: 30,
        spendable: 0,
        entries: [
          { status: 'under_review', points: 10, reason: { code: 'UNDER_REVIEW' } },
          { status: 'under_review', points: 10, reason: { code: 'UNDER_REVIEW' } },
          { status: 'held', points: 10 },
        ],
      },
    });
    // …but they cannot be spent: 20 in the balance, 20 under review, nothing to pay a 5-point espresso with.
    const redeemed = await fetch(`${app.url}/v1/campaigns/${CAMPAIGN}/members/${memberId}/redemptions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${TEST_SECRETS.redeemKey}`, 'idempotency-key': 'retro-espresso-1' },
      body: JSON.stringify({ rewardId: 'espresso' }),
    });
    expect(redeemed.status).toBe(409);
    expect(((await redeemed.json()) as { error: { code: string } }).error.code).toBe('NUQTA_INSUFFICIENT_POINTS');
  });

  it('rejecting takes the earlier points back: the balance and the board drop by them', async () => {
    const memberId = 'instagram:17841422200000001';
    const reply = await call(app, 'POST', `/v1/review/flags/${encodeURIComponent(flagIdOf('rr-3'))}/decision`, { key: reviewer, body: { decision: 'reject', note: 'a throwaway account' } });
    expect(reply.status).toBe(200);
    expect(await ledgerOf(app, memberId)).toEqual([
      ['comment', 10, 'posted'],
      ['comment', 10, 'posted'],
      ['comment', 10, 'rejected'],
      ['review:comment:instagram:comment:rr-1', -10, 'posted'],
      ['review:comment:instagram:comment:rr-2', -10, 'posted'],
    ]);
    expect(await memberState(app.nuqta, CAMPAIGN, memberId)).toMatchObject({ balance: 0, earned: 0, held: [] });
    expect(await recordVersusLedger(app.nuqta, CAMPAIGN, memberId)).toEqual([]);
    expect((await leaderboard(app)).map(([member]) => member)).not.toContain(memberId);
    expect(await app.nuqta.reviews.get(decisionRecordId(flagIdOf('rr-3')))).toMatchObject({ decision: 'reject', before: { balance: 20, earned: 20 }, after: { balance: 0, earned: 0 } });
  });

  it('approving changes nothing for the earlier awards, and posts the held comment', async () => {
    const memberId = await twoPostedThenHeld('17841422200000002', 'retro.approved', 'ra');
    expect(await app.nuqta.flags.get(flagIdOf('ra-3'))).toMatchObject({ pointsUnderReview: 20 });
    const reply = await call(app, 'POST', `/v1/review/flags/${encodeURIComponent(flagIdOf('ra-3'))}/decision`, { key: reviewer, body: { decision: 'approve' } });
    expect(reply.status).toBe(200);
    expect(await ledgerOf(app, memberId)).toEqual([
      ['comment', 10, 'posted'],
      ['comment', 10, 'posted'],
      ['comment', 10, 'posted'],
      ['review:comment:instagram:comment:ra-1', -10, 'rejected'],
      ['review:comment:instagram:comment:ra-2', -10, 'rejected'],
    ]);
    expect(await memberState(app.nuqta, CAMPAIGN, memberId)).toMatchObject({ balance: 30, earned: 30, held: [] });
    expect(await recordVersusLedger(app.nuqta, CAMPAIGN, memberId)).toEqual([]);
    expect(await leaderboard(app)).toContainEqual([memberId, 30]);
  });

  it('does not put reviewed awards under review again', async () => {
    const memberId = 'instagram:17841422200000002';
    await sendComments(app, [{ commentId: 'ra-4', userId: '17841422200000002', username: 'retro.approved', mediaId: 'media-ra', text: 'retro.approved will bring friends for the karak on Thursday' }]);
    // Still blocked, so held; the three earlier awards were all decided by a reviewer.
    expect((await ledgerOf(app, memberId)).slice(5)).toEqual([['comment', 10, 'held']]);
    expect(await app.nuqta.flags.get(flagIdOf('ra-4'))).toMatchObject({ status: 'open', pointsUnderReview: 0 });
  });
});
