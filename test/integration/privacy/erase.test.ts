import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ledgerEntryId } from '../../../src/ledger/ledger-store.js';
import { ERASE_MEMBER_TASK } from '../../../src/privacy/erase-member.js';
import { anonymousPerson, replaceEverywhere } from '../../../src/privacy/scrub.js';
import { memberRecord, recordVersusLedger } from '../../helpers/member-records.js';
import { findEverywhere } from '../../helpers/store-dump.js';
import { eventually, startTestNuqta, TEST_SECRETS, type TestNuqta } from '../../helpers/test-nuqta.js';
import { call, CAMPAIGN, flagIdOf, leaderboard, REVIEW_CAMPAIGNS, sendComments } from '../review/review-helpers.js';

let app: TestNuqta;
const admin = TEST_SECRETS.adminKey;

const PERSON = { userId: '17841499900000123', username: 'layla.erase', memberId: 'instagram:17841499900000123' };
const TEXTS = [
  'Layla here: the rose latte at the corniche branch made my whole week',
  'Second visit already, that saffron cheesecake is worth the long drive',
  'Bringing my sister next time for the cardamom croissants and mint tea',
];
const OTHER = { userId: '17841422200000001', username: 'stays.here', text: 'The Turkish coffee was strong and smooth, will come back soon' };

async function campaignTotals(): Promise<string[]> {
  return (await app.nuqta.ledger.totals(CAMPAIGN)).map((total) => JSON.stringify(total)).sort();
}

beforeAll(async () => {
  app = await startTestNuqta('privacy_erase', { env: { NUQTA_CAMPAIGNS: REVIEW_CAMPAIGNS } });
  const person = { userId: PERSON.userId, username: PERSON.username };
  await sendComments(app, [
    { commentId: 'pv-other-1', userId: OTHER.userId, username: OTHER.username, text: OTHER.text, mediaId: 'media-privacy-1' },
    // Two days back: outside the look-back that puts earlier awards under review when pv-2 is rejected.
    { commentId: 'pv-1', ...person, text: TEXTS[0] ?? '', mediaId: 'media-privacy-1', at: new Date(Date.now() - 2 * 86_400_000) },
  ]);
  await sendComments(app, [
    { commentId: 'pv-2', ...person, text: TEXTS[1] ?? '', fresh: true, mediaId: 'media-privacy-2' },
    { commentId: 'pv-3', ...person, text: TEXTS[2] ?? '', fresh: true, mediaId: 'media-privacy-3' },
  ]);
  // A reviewer rejects one held comment with a note naming the person; the other stays open.
  const rejected = await call(app, 'POST', `/v1/review/flags/${encodeURIComponent(flagIdOf('pv-2'))}/decision`, {
    key: TEST_SECRETS.reviewerKey, body: { decision: 'reject', note: `same person as @${PERSON.username} (${PERSON.userId}), second account` },
  });
  expect(rejected.status).toBe(200);
  expect((await call(app, 'POST', '/v1/review/blocks', { key: TEST_SECRETS.reviewerKey, body: { memberId: PERSON.memberId, campaignId: CAMPAIGN, note: 'watch list' } })).status).toBe(201);
  // As a later approval of another flag would leave it (the rejection above withdrew any earlier one).
  const now = new Date();
  await app.nuqta.clearances.put({
    campaignId: CAMPAIGN, memberId: PERSON.memberId, codes: ['thin_profile'], until: new Date(now.getTime() + 86_400_000), flagId: `${CAMPAIGN}|x`, by: 'reviewer:test', at: now,
  });
  const redeemed = await fetch(`${app.url}/v1/campaigns/${CAMPAIGN}/members/${PERSON.memberId}/redemptions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${TEST_SECRETS.redeemKey}`, 'idempotency-key': 'order-1' },
    body: JSON.stringify({ rewardId: 'espresso' }),
  });
  expect(redeemed.status).toBe(201);
});
afterAll(async () => {
  await app?.cleanup();
});

describe('privacy: export and erase a member', () => {
  it('exports everything held about the member', async () => {
    const reply = await call(app, 'GET', `/v1/members/${PERSON.memberId}/export`, { key: admin });
    expect(reply.status).toBe(200);
    const exported = reply.body as {
      events: { text: string; actor: { username: string } }[];
      campaigns: { campaignId: string; member: { username: string }; state: { balance: number } | null; ledger: { kind: string; status: string }[]; decisions: unknown[]; leaderboards: { board: string; points: number }[] }[];
      flags: { status: string }[];
      reviews: { kind: string }[];
      blocks: { campaignId?: string; note: string }[];
      redemptions: unknown[];
      recentActivity: { text?: string }[];
    };
    expect(exported.events.map((event) => event.text).sort()).toEqual([...TEXTS].sort());
    expect(exported.events.every((event) => event.actor.username === PERSON.username)).toBe(true);
    expect(exported.campaigns).toHaveLength(1);
    expect(exported.campaigns[0]).toMatchObject({ campaignId: CAMPAIGN, member: { username: PERSON.username }, state: { balance: 5 } });
    expect(exported.campaigns[0]?.ledger.map((entry) => [entry.kind, entry.status])).toEqual([['earn', 'posted'], ['earn', 'rejected'], ['earn', 'held'], ['redeem', 'posted']]);
    expect(exported.campaigns[0]?.decisions).toHaveLength(3);
    expect(exported.campaigns[0]?.leaderboards).toContainEqual({ board: 'all', rank: expect.any(Number), points: 10 });
    expect(exported.flags.map((flag) => flag.status).sort()).toEqual(['open', 'rejected']);
    expect(exported.reviews.map((review) => review.kind).sort()).toEqual(['block', 'decision']);
    expect(exported.blocks).toMatchObject([{ campaignId: CAMPAIGN, note: 'watch list' }]);
    expect(exported.redemptions).toHaveLength(1);
    expect(exported.recentActivity.map((record) => record.text).sort()).toEqual([...TEXTS].sort());
  });

  it('erases the member\u2019s personal data from every collection and every Redis key, and keeps the campaign figures', async () => {
    const needles = [PERSON.username, PERSON.userId, ...TEXTS];
    expect((await findEverywhere(app, needles)).length).toBeGreaterThan(0);
    const totalsBefore = await campaignTotals();
    const boardBefore = await leaderboard(app);

    const reply = await call(app, 'DELETE', `/v1/members/${PERSON.memberId}`, { key: admin });
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({
      status: 'done',
      counts: { events: 3, memberships: 1, ledgerEntries: 4, flags: 2, reviews: 2, blocks: 1, clearances: 1, redemptions: 1, rewardUnits: 1, decisions: 3 },
    });
    // The three comments' finished ingest jobs at least (the redemption also ran as a job in the member's partition).
    expect((reply.body.counts as { queueJobs: number }).queueJobs).toBeGreaterThanOrEqual(3);

    expect(await findEverywhere(app, needles)).toEqual([]);
    expect(await campaignTotals()).toEqual(totalsBefore);
    const boardAfter = await leaderboard(app);
    expect(boardAfter.map(([, points]) => points)).toEqual(boardBefore.map(([, points]) => points));
    const anonymous = boardAfter.find(([memberId]) => memberId.startsWith('instagram:erased-'));
    expect(anonymous?.[1]).toBe(10);
    // The anonymous member shows a pseudonym and keeps the balance; the audit note keeps its reasoning.
    const member = await call(app, 'GET', `/v1/campaigns/${CAMPAIGN}/members/${anonymous?.[0] ?? ''}`, { key: TEST_SECRETS.readerKey });
    expect(member.body).toMatchObject({ balance: 5, displayName: { pseudonym: true } });
    // The person's record is gone; the anonymous member's follows the ledger entries it took over.
    expect(await memberRecord(app.nuqta, CAMPAIGN, PERSON.memberId)).toBeNull();
    expect(await memberRecord(app.nuqta, CAMPAIGN, anonymous?.[0] ?? '')).toMatchObject({ hideName: true, state: { balance: 5, earned: 10 } });
    expect(await recordVersusLedger(app.nuqta, CAMPAIGN, anonymous?.[0] ?? '')).toEqual([]);
    const review = await app.nuqta.db.collection('reviews').findOne({ kind: 'decision', flagId: flagIdOf('pv-2') });
    expect(review?.note).toBe('same person as [erased] ([erased]), second account');
    // Other members are untouched.
    expect((await findEverywhere(app, [OTHER.username, OTHER.text])).length).toBeGreaterThan(0);
  });

  it('is idempotent: erasing again finds nothing and changes nothing', async () => {
    const totals = await campaignTotals();
    const reply = await call(app, 'DELETE', `/v1/members/${PERSON.memberId}`, { key: admin });
    expect(reply.status).toBe(200);
    expect(Object.values(reply.body.counts as Record<string, number>).every((count) => count === 0)).toBe(true);
    expect(await campaignTotals()).toEqual(totals);
    const exported = await call(app, 'GET', `/v1/members/${PERSON.memberId}/export`, { key: admin });
    expect(exported.body).toMatchObject({ events: [], campaigns: [], flags: [], reviews: [], blocks: [], redemptions: [], recentActivity: [] });
    const erasure = await call(app, 'GET', `/v1/erasures/${String(reply.body.erasureId)}`, { key: admin });
    expect(erasure.body).toMatchObject({ status: 'done' });
  });

  it('finishes an erasure that a crash cut short between deleting a ledger entry and writing its copy', async () => {
    const quiet = { userId: '17841499900000456', username: 'quiet.one', memberId: 'instagram:17841499900000456' };
    await sendComments(app, [1, 2].map((index) => ({ commentId: `pv-quiet-${index}`, userId: quiet.userId, username: quiet.username, text: `Quiet visit number ${index}, the mint lemonade was fresh`, mediaId: `media-privacy-q${index}` })));
    const totals = await campaignTotals();
    // The first attempt staged the anonymized copies and deleted one original, then died.
    const erasureId = 'crashed0erasure';
    await app.nuqta.erasures.create(erasureId, new Date());
    const entries = await app.nuqta.ledger.entriesAfter(CAMPAIGN, quiet.memberId, 0);
    await app.nuqta.erasures.stageLedger(erasureId, entries.map((entry) => replaceEverywhere(entry, quiet.memberId, anonymousPerson('instagram', erasureId).memberId)));
    await app.nuqta.db.collection<{ _id: string }>('ledger').deleteOne({ _id: ledgerEntryId(CAMPAIGN, quiet.memberId, 1) });
    expect(await campaignTotals()).not.toEqual(totals);

    // The erasure task comes back and runs again, alone in the member's partition.
    await app.nuqta.queue.enqueueMemberTask({ kind: ERASE_MEMBER_TASK, campaignId: '*', memberId: quiet.memberId, payload: { erasureId } }, `erase-${erasureId}`, { removeOnComplete: true });
    await eventually(async () => ((await app.nuqta.erasures.get(erasureId))?.status === 'done' ? true : undefined), 20_000, 'the erasure to finish');
    expect(await campaignTotals()).toEqual(totals);
    expect(await app.nuqta.ledger.entriesAfter(CAMPAIGN, 'instagram:erased-crashed0erasure', 0)).toHaveLength(2);
    expect(await findEverywhere(app, [quiet.username, quiet.userId, 'Quiet visit number'])).toEqual([]);
    expect(await app.nuqta.erasures.get(erasureId)).toMatchObject({ status: 'done' });
  });

  it('needs an admin key and a member id', async () => {
    expect((await call(app, 'DELETE', `/v1/members/${PERSON.memberId}`, { key: TEST_SECRETS.reviewerKey })).status).toBe(403);
    expect((await call(app, 'GET', `/v1/members/${PERSON.memberId}/export`, { key: TEST_SECRETS.readerKey })).status).toBe(403);
    expect((await call(app, 'DELETE', '/v1/members/not-a-member', { key: admin })).status).toBe(400);
  });
});
