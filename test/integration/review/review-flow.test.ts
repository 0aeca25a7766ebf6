import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PartitionConsumers } from '../../../src/ingestion/partition-consumer.js';
import { queueDecision } from '../../../src/review/decide-flag.js';
import { decisionRecordId } from '../../../src/review/review-store.js';
import { partitionConsumers } from '../../../src/runtime.js';
import { memberState, recordVersusLedger } from '../../helpers/member-records.js';
import { eventually, startTestNuqta, TEST_SECRETS, type TestNuqta, scrapeMetrics } from '../../helpers/test-nuqta.js';
import { ACCOUNT, call, CAMPAIGN, drained, flagIdOf, leaderboard, ledgerOf, REVIEW_CAMPAIGNS, sendComments } from './review-helpers.js';

let app: TestNuqta;
/** Consumers started in place of the test nuqta's own after a simulated crash. */
let restarted: PartitionConsumers | undefined;
const reviewer = TEST_SECRETS.reviewerKey;

beforeAll(async () => {
  app = await startTestNuqta('review_flow', { env: { NUQTA_CAMPAIGNS: REVIEW_CAMPAIGNS } });
  // An established follower, so the board is never empty.
  await sendComments(app, [{ commentId: 'rv-honest-1', userId: '17841411100000001', username: 'noura.q', text: 'The cardamom latte this morning was lovely, thank you' }]);
});
afterAll(async () => {
  await restarted?.stop();
  await app?.cleanup();
});

describe('fraud in the pipeline and the review queue', () => {
  it('holds a brand-new empty account, keeps it off the board, and approving it posts the points', async () => {
    await sendComments(app, [{ commentId: 'rv-fresh-1', userId: '17841411100000002', username: 'fresh.face', text: 'First time here, the pistachio cake looks great', fresh: true }]);
    const memberId = 'instagram:17841411100000002';
    expect(await ledgerOf(app, memberId)).toEqual([['comment', 10, 'held']]);
    expect(await leaderboard(app)).toEqual([['instagram:17841411100000001', 10]]);
    expect(await memberState(app.nuqta, CAMPAIGN, memberId)).toMatchObject({ balance: 0, earned: 0, held: [expect.objectContaining({ eventKey: 'instagram:comment:rv-fresh-1', points: 10 })] });

    const listed = await call(app, 'GET', `/v1/review/flags?campaign=${CAMPAIGN}&status=open`, { key: reviewer });
    expect(listed.status).toBe(200);
    const flags = listed.body.flags as { id: string; memberId: string; reasons: string[]; points: number; status: string }[];
    expect(flags).toEqual([expect.objectContaining({ id: flagIdOf('rv-fresh-1'), memberId, points: 10, status: 'open', reasons: ['thin_profile', 'new_account'] })]);

    const shown = await call(app, 'GET', `/v1/review/flags/${encodeURIComponent(flagIdOf('rv-fresh-1'))}`, { key: reviewer });
    expect(shown.status).toBe(200);
    expect(shown.body.evidence).toMatchObject({
      event: { username: 'fresh.face', text: 'First time here, the pistachio cake looks great', profile: { hasDefaultAvatar: true, mediaCount: 0 } },
      member: { balance: 0, heldPoints: 10, blocked: false },
    });
    const decision = await app.nuqta.decisions.get(CAMPAIGN, 'instagram:comment:rv-fresh-1');
    expect(decision?.fraud).toMatchObject({ decision: 'hold', score: 0.45 });

    const approved = await call(app, 'POST', `/v1/review/flags/${encodeURIComponent(flagIdOf('rv-fresh-1'))}/decision`, { key: reviewer, body: { decision: 'approve', note: 'real customer, posted a receipt' } });
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({ status: 'decided', flag: { status: 'approved', decision: { decision: 'approve', note: 'real customer, posted a receipt' } } });
    expect(await ledgerOf(app, memberId)).toEqual([['comment', 10, 'posted']]);
    expect(await leaderboard(app)).toEqual([['instagram:17841411100000001', 10], [memberId, 10]]);
    expect(await memberState(app.nuqta, CAMPAIGN, memberId)).toMatchObject({ balance: 10, earned: 10, held: [], awards: [expect.objectContaining({ eventKey: 'instagram:comment:rv-fresh-1', status: 'posted' })] });
    expect(await recordVersusLedger(app.nuqta, CAMPAIGN, memberId)).toEqual([]);

    const audit = await app.nuqta.reviews.get(decisionRecordId(flagIdOf('rv-fresh-1')));
    expect(audit).toMatchObject({ kind: 'decision', decision: 'approve', by: expect.stringMatching(/^reviewer:[0-9a-f]{16}$/), before: { balance: 0, earned: 0 }, after: { balance: 10, earned: 10 } });
  });

  it('answers a repeated decision with the same result and a different one with 409', async () => {
    const path = `/v1/review/flags/${encodeURIComponent(flagIdOf('rv-fresh-1'))}/decision`;
    const again = await call(app, 'POST', path, { key: reviewer, body: { decision: 'approve' } });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ status: 'decided', flag: { status: 'approved', decision: { note: 'real customer, posted a receipt' } } });
    const reversed = await call(app, 'POST', path, { key: reviewer, body: { decision: 'reject' } });
    expect(reversed.status).toBe(409);
    expect(reversed.body.error?.code).toBe('NUQTA_CONFLICT');
    expect(await ledgerOf(app, 'instagram:17841411100000002')).toEqual([['comment', 10, 'posted']]);
  });

  it('an approval clears the member of the account-level reasons it saw, so the next comment posts', async () => {
    const memberId = 'instagram:17841411100000002';
    const audit = await app.nuqta.reviews.get(decisionRecordId(flagIdOf('rv-fresh-1')));
    expect(audit).toMatchObject({ cleared: { codes: ['new_account', 'thin_profile'] } });
    const clearance = await app.nuqta.clearances.get(CAMPAIGN, memberId);
    expect(clearance).toMatchObject({ codes: ['new_account', 'thin_profile'], flagId: flagIdOf('rv-fresh-1') });
    expect((clearance?.until.getTime() ?? 0) - (clearance?.at.getTime() ?? 0)).toBe(30 * 86_400_000);

    await sendComments(app, [{ commentId: 'rv-fresh-1b', userId: '17841411100000002', username: 'fresh.face', text: 'Back for the pistachio cake, it was as good as it looked', fresh: true, mediaId: 'media-review-again' }]);
    expect(await ledgerOf(app, memberId)).toEqual([['comment', 10, 'posted'], ['comment', 10, 'posted']]);
    const decision = await app.nuqta.decisions.get(CAMPAIGN, 'instagram:comment:rv-fresh-1b');
    expect(decision?.fraud).toMatchObject({ decision: 'allow', score: 0, cleared: ['new_account', 'thin_profile'] });
  });

  it('rejecting a held award changes nothing on the board or in the balance', async () => {
    await sendComments(app, [{ commentId: 'rv-fresh-2', userId: '17841411100000003', username: 'another.fresh', text: 'Is the new branch open on Fridays as well?', fresh: true }]);
    const memberId = 'instagram:17841411100000003';
    const before = await leaderboard(app);
    const rejected = await call(app, 'POST', `/v1/review/flags/${encodeURIComponent(flagIdOf('rv-fresh-2'))}/decision`, { key: reviewer, body: { decision: 'reject', note: 'one of a batch of new accounts' } });
    expect(rejected.status).toBe(200);
    expect(rejected.body).toMatchObject({ flag: { status: 'rejected' } });
    expect(await ledgerOf(app, memberId)).toEqual([['comment', 10, 'rejected']]);
    expect(await leaderboard(app)).toEqual(before);
    expect(await memberState(app.nuqta, CAMPAIGN, memberId)).toMatchObject({ balance: 0, earned: 0, held: [] });
    expect(await recordVersusLedger(app.nuqta, CAMPAIGN, memberId)).toEqual([]);
  });

  it('completes a decision that a crash cut short after the ledger changed', async () => {
    await sendComments(app, [{ commentId: 'rv-crash-1', userId: '17841411100000005', username: 'half.done', text: 'Ordered the date latte for pickup, ready in five minutes', fresh: true, mediaId: 'media-review-crash' }]);
    const memberId = 'instagram:17841411100000005';
    const flagId = flagIdOf('rv-crash-1');
    const flag = await app.nuqta.flags.get(flagId);
    if (!flag) throw new Error('rv-crash-1 was held');
    const lastSeq = (await memberState(app.nuqta, CAMPAIGN, memberId))?.seq ?? 0;
    // The first attempt wrote the audit record (before anything changes), settled the held entry in the
    // ledger (as of the member's last seq), then its process died before the clearance, the flag and the member record.
    await app.consumers?.stop();
    const heldEntry = flag.entries[0];
    const auditEntries = heldEntry ? [{ seq: heldEntry.seq, ruleId: heldEntry.ruleId, kind: heldEntry.kind, points: heldEntry.points }] : [];
    await app.nuqta.reviews.record({
      id: decisionRecordId(flagId), kind: 'decision', flagId, campaignId: CAMPAIGN, memberId, decision: 'approve', by: 'reviewer:retry', at: new Date(),
      before: { balance: 0, earned: 0, entries: auditEntries.map((entry) => ({ ...entry, status: 'held' as const })) },
      after: { balance: 10, earned: 10, entries: auditEntries.map((entry) => ({ ...entry, status: 'posted' as const })) },
    });
    await app.nuqta.ledger.settle(CAMPAIGN, memberId, heldEntry?.seq ?? 0, 'posted', lastSeq);
    expect(await memberState(app.nuqta, CAMPAIGN, memberId)).toMatchObject({ balance: 0 });

    // Another process takes the partitions over, and the task comes back and runs again in the member's partition.
    restarted = partitionConsumers(app.nuqta);
    await restarted.start();
    await queueDecision(app.nuqta.queue, flag, { flagId, decision: 'approve', by: 'reviewer:retry' });
    await eventually(async () => ((await app.nuqta.flags.get(flagId))?.status === 'open' ? undefined : true), 20_000, 'the retried decision');
    await drained(app);
    expect(await app.nuqta.flags.get(flagId)).toMatchObject({ status: 'approved', decision: { by: 'reviewer:retry' } });
    expect(await memberState(app.nuqta, CAMPAIGN, memberId)).toMatchObject({ balance: 10, earned: 10, held: [] });
    expect(await recordVersusLedger(app.nuqta, CAMPAIGN, memberId)).toEqual([]);
    expect((await app.nuqta.ledger.entriesAfter(CAMPAIGN, memberId, 0)).map((entry) => entry.status)).toEqual(['posted']);
    // Soft: a crash cut short can leave more than one thing wrong, and each is worth seeing.
    expect.soft(await leaderboard(app)).toContainEqual([memberId, 10]);
    expect.soft(await app.nuqta.reviews.get(decisionRecordId(flagId))).toMatchObject({ decision: 'approve', by: 'reviewer:retry', before: { balance: 0 }, after: { balance: 10 } });
  });

  it('rejecting any later flag of the member withdraws the clearance an approval gave', async () => {
    const memberId = 'instagram:17841411100000005';
    expect(await app.nuqta.clearances.get(CAMPAIGN, memberId)).toMatchObject({ codes: ['new_account', 'thin_profile'] });
    expect((await call(app, 'POST', '/v1/review/blocks', { key: reviewer, body: { memberId, campaignId: CAMPAIGN, note: 'reported by the branch' } })).status).toBe(201);
    await sendComments(app, [{ commentId: 'rv-crash-2', userId: '17841411100000005', username: 'half.done', text: 'Ordered the date latte again, same branch as before', fresh: true, mediaId: 'media-review-crash-2' }]);
    // Blocked (0.5, held): the cleared profile reasons add nothing, and the reviewer sees why.
    expect(await app.nuqta.flags.get(flagIdOf('rv-crash-2'))).toMatchObject({ status: 'open', reasons: ['blocked_member'] });
    const shown = await call(app, 'GET', `/v1/review/flags/${encodeURIComponent(flagIdOf('rv-crash-2'))}`, { key: reviewer });
    expect(shown.body.evidence).toMatchObject({ member: { blocked: true, clearance: { codes: ['new_account', 'thin_profile'], flagId: flagIdOf('rv-crash-1'), by: 'reviewer:retry' } } });
    const rejected = await call(app, 'POST', `/v1/review/flags/${encodeURIComponent(flagIdOf('rv-crash-2'))}/decision`, { key: reviewer, body: { decision: 'reject' } });
    expect(rejected.status).toBe(200);
    expect(await app.nuqta.clearances.get(CAMPAIGN, memberId)).toBeNull();
    expect((await call(app, 'DELETE', `/v1/review/blocks/${memberId}?campaign=${CAMPAIGN}`, { key: reviewer })).status).toBe(200);
  });

  it('reads a member burst from the recent-activity windows: the fourth comment within a minute is held', async () => {
    const start = Date.now() - 60_000;
    await sendComments(app, [1, 2, 3, 4, 5].map((index) => ({
      commentId: `rv-burst-${index}`, userId: '17841411100000004', username: 'quick.fingers', mediaId: 'media-review-burst',
      text: `Comment number ${index} about the saffron tea and the dates`, at: new Date(start + index * 5_000),
    })));
    // The held fourth comment puts the three before it under review; the fifth finds them under review already.
    expect(await ledgerOf(app, 'instagram:17841411100000004')).toEqual([
      ['comment', 10, 'posted'], ['comment', 10, 'posted'], ['comment', 10, 'posted'],
      ['comment', 10, 'held'],
      ['review:comment:instagram:comment:rv-burst-1', -10, 'held'], ['review:comment:instagram:comment:rv-burst-2', -10, 'held'], ['review:comment:instagram:comment:rv-burst-3', -10, 'held'],
      ['comment', 10, 'held'],
    ]);
    const flag = await app.nuqta.flags.get(flagIdOf('rv-burst-4'));
    expect(flag?.reasons).toContain('member_burst');
    expect(flag).toMatchObject({ points: 10, pointsUnderReview: 30 });
    expect(await app.nuqta.flags.get(flagIdOf('rv-burst-5'))).toMatchObject({ points: 10, pointsUnderReview: 0 });
  });

  it('reads delete-and-comment-again cycles: deletions reach the recent-activity windows', async () => {
    const start = Date.now() - 30 * 60_000;
    const person = { userId: '17841411100000031', username: 'fix.and.retry', mediaId: 'media-review-recomment' };
    for (let cycle = 0; cycle < 4; cycle += 1) {
      const commentId = `rv-recomment-${cycle}`;
      await sendComments(app, [{ commentId, ...person, text: `Attempt ${cycle} at the best comment about the saffron latte`, at: new Date(start + cycle * 5 * 60_000) }]);
      if (cycle === 3) break;
      const deletion = {
        platform: 'instagram', kind: 'comment_deleted', verified: true, platformEventId: `${commentId}-deleted`,
        actor: { platformUserId: person.userId, username: person.username },
        target: { accountId: ACCOUNT, mediaId: person.mediaId, commentId },
        occurredAt: new Date(start + cycle * 5 * 60_000 + 60_000).toISOString(),
      };
      expect((await call(app, 'POST', '/v1/events', { key: TEST_SECRETS.ingestKey, body: { events: [deletion] } })).status).toBe(202);
      await drained(app);
    }
    // A third of the way per deletion today: the second deletion reaches this campaign's hold line (0.4).
    const flags = await call(app, 'GET', `/v1/review/flags?member=instagram:${person.userId}&status=open`, { key: reviewer });
    const listed = flags.body.flags as { id: string; reasons: string[] }[];
    expect(listed.map((flag) => flag.id)).toEqual([flagIdOf('rv-recomment-2'), flagIdOf('rv-recomment-3')]);
    expect(listed.every((flag) => flag.reasons.includes('delete_recomment'))).toBe(true);
    const decided = await call(app, 'POST', '/v1/review/decisions', { key: reviewer, body: { decisions: listed.map((flag) => ({ flagId: flag.id, decision: 'reject' })) } });
    expect(decided.status).toBe(200);
  });

  it('holds a copy-paste comment and shows the copies as evidence', async () => {
    // Each on its own post: three never-seen accounts on one post within minutes would add a newcomer spike.
    const text = 'Best specialty coffee in Riyadh, the barista explained every single bean origin to us';
    await sendComments(app, [
      { commentId: 'rv-copy-1', userId: '17841411100000011', username: 'copy.one', text, mediaId: 'media-review-copy-1' },
      { commentId: 'rv-copy-2', userId: '17841411100000012', username: 'copy.two', text, mediaId: 'media-review-copy-2' },
    ]);
    await sendComments(app, [{ commentId: 'rv-copy-3', userId: '17841411100000013', username: 'copy.three', text, mediaId: 'media-review-copy-3' }]);
    expect(await ledgerOf(app, 'instagram:17841411100000013')).toEqual([['comment', 10, 'held']]);
    const byReason = await call(app, 'GET', `/v1/review/flags?campaign=${CAMPAIGN}&reason=duplicate_text`, { key: reviewer });
    expect((byReason.body.flags as { id: string }[]).map((flag) => flag.id)).toEqual([flagIdOf('rv-copy-3')]);
    const shown = await call(app, 'GET', `/v1/review/flags/${encodeURIComponent(flagIdOf('rv-copy-3'))}`, { key: reviewer });
    const similar = (shown.body.evidence as { similarTexts: { memberId: string; similarity: number }[] }).similarTexts;
    expect(similar.map((copy) => [copy.memberId, copy.similarity]).sort()).toEqual([['instagram:17841411100000011', 1], ['instagram:17841411100000012', 1]]);
  });

  it('decides several flags at once, each with its own outcome', async () => {
    const reply = await call(app, 'POST', '/v1/review/decisions', {
      key: reviewer,
      body: { decisions: [
        { flagId: flagIdOf('rv-burst-4'), decision: 'reject' },
        { flagId: flagIdOf('rv-burst-5'), decision: 'reject' },
        { flagId: flagIdOf('rv-fresh-2'), decision: 'approve' },
        { flagId: `${CAMPAIGN}|instagram:comment:nope`, decision: 'approve' },
      ] },
    });
    expect(reply.status).toBe(200);
    expect((reply.body.results as { outcome: string }[]).map((result) => result.outcome)).toEqual(['decided', 'decided', 'conflict', 'not_found']);
    // Rejecting the fourth comment's flag took back the three comments put under review with it.
    expect(await ledgerOf(app, 'instagram:17841411100000004')).toEqual([
      ['comment', 10, 'posted'], ['comment', 10, 'posted'], ['comment', 10, 'posted'],
      ['comment', 10, 'rejected'],
      ['review:comment:instagram:comment:rv-burst-1', -10, 'posted'], ['review:comment:instagram:comment:rv-burst-2', -10, 'posted'], ['review:comment:instagram:comment:rv-burst-3', -10, 'posted'],
      ['comment', 10, 'rejected'],
    ]);
    expect(await memberState(app.nuqta, CAMPAIGN, 'instagram:17841411100000004')).toMatchObject({ balance: 0, earned: 0, held: [] });
    expect(await recordVersusLedger(app.nuqta, CAMPAIGN, 'instagram:17841411100000004')).toEqual([]);
  });

  it('rejects a blocked member\u2019s award, and unblocking approves what only the block held', async () => {
    const blocked = 'instagram:17841411100000021';
    const alsoNew = 'instagram:17841411100000022';
    // One blocked in this campaign by a reviewer, the other in every campaign, which only an admin may do.
    const inCampaign = await call(app, 'POST', '/v1/review/blocks', { key: reviewer, body: { memberId: blocked, campaignId: CAMPAIGN, note: 'flagged three times this week' } });
    expect(inCampaign.status).toBe(201);
    expect((await call(app, 'POST', '/v1/review/blocks', { key: reviewer, body: { memberId: alsoNew } })).status).toBe(403);
    expect((await call(app, 'POST', '/v1/review/blocks', { key: TEST_SECRETS.adminKey, body: { memberId: alsoNew, note: 'a farm' } })).status).toBe(201);
    expect((await call(app, 'POST', '/v1/review/blocks', { key: reviewer, body: { memberId: blocked, campaignId: CAMPAIGN } })).status).toBe(200);
    await sendComments(app, [
      { commentId: 'rv-blocked-1', userId: '17841411100000021', username: 'was.blocked', text: 'Came back for the karak, still the best in town', mediaId: 'media-review-blocked-1' },
      { commentId: 'rv-blocked-2', userId: '17841411100000022', username: 'new.and.blocked', text: 'Trying this place for the first time tonight', fresh: true, mediaId: 'media-review-blocked-2' },
    ]);
    // Block (0.5) alone holds; block with an empty new account (0.95) rejects outright, without a flag.
    expect(await ledgerOf(app, blocked)).toEqual([['comment', 10, 'held']]);
    expect(await ledgerOf(app, alsoNew)).toEqual([['comment', 10, 'rejected']]);
    expect(await app.nuqta.flags.get(flagIdOf('rv-blocked-2'))).toBeNull();
    const rejectedEntry = (await app.nuqta.ledger.entriesAfter(CAMPAIGN, alsoNew, 0))[0];
    expect(rejectedEntry?.explain).toMatchObject({ fraud: { decision: 'reject', signals: expect.arrayContaining([expect.objectContaining({ code: 'blocked_member' })]) } });

    const unblocked = await call(app, 'DELETE', `/v1/review/blocks/${blocked}?campaign=${CAMPAIGN}`, { key: reviewer });
    expect(unblocked.body).toEqual({ memberId: blocked, unblocked: true, reconsidered: [flagIdOf('rv-blocked-1')] });
    const flag = await eventually(async () => {
      const found = await app.nuqta.flags.get(flagIdOf('rv-blocked-1'));
      return found?.status === 'open' ? undefined : found;
    });
    expect(flag).toMatchObject({ status: 'approved', decision: { by: 'system' } });
    expect(await ledgerOf(app, blocked)).toEqual([['comment', 10, 'posted']]);
    const blocks = await call(app, 'GET', '/v1/review/blocks', { key: reviewer });
    expect((blocks.body.blocks as { memberId: string; campaignId?: string }[]).map((block) => [block.memberId, block.campaignId])).toEqual([[alsoNew, undefined]]);
  });

  it('pages flags with a cursor and filters by member and status', async () => {
    const first = await call(app, 'GET', `/v1/review/flags?campaign=${CAMPAIGN}&status=all&limit=2`, { key: reviewer });
    const second = await call(app, 'GET', `/v1/review/flags?campaign=${CAMPAIGN}&status=all&limit=2&cursor=${String(first.body.nextCursor)}`, { key: reviewer });
    const all = await call(app, 'GET', `/v1/review/flags?campaign=${CAMPAIGN}&status=all&limit=100`, { key: reviewer });
    const ids = (reply: typeof first): string[] => (reply.body.flags as { id: string }[]).map((flag) => flag.id);
    expect([...ids(first), ...ids(second)]).toEqual(ids(all).slice(0, 4));
    const byMember = await call(app, 'GET', `/v1/review/flags?member=instagram:17841411100000004&status=rejected`, { key: reviewer });
    expect(ids(byMember)).toEqual([flagIdOf('rv-burst-4'), flagIdOf('rv-burst-5')]);
    // DESIGN.md names the waiting flags `status=held`.
    const held = await call(app, 'GET', `/v1/review/flags?campaign=${CAMPAIGN}&status=held`, { key: reviewer });
    expect(ids(held)).toEqual([flagIdOf('rv-copy-3')]);
    expect((await call(app, 'GET', '/v1/review/flags?cursor=nonsense', { key: reviewer })).status).toBe(400);
  });

  it('needs a reviewer or admin key', async () => {
    expect((await call(app, 'GET', '/v1/review/flags')).status).toBe(401);
    expect((await call(app, 'GET', '/v1/review/flags', { key: TEST_SECRETS.readerKey })).status).toBe(403);
    expect((await call(app, 'GET', '/v1/review/flags', { key: TEST_SECRETS.adminKey })).status).toBe(200);
  });

  it('counts flags opened and decided, and reports the queue on scrape', async () => {
    await drained(app);
    const metrics = await scrapeMetrics(app.url);
    expect(metrics).toMatch(/nuqta_review_flags_opened_total\{campaign="review-cafe"\} 10/);
    expect(metrics).toMatch(/nuqta_review_flags_decided_total\{campaign="review-cafe",decision="approve"\} 3/);
    expect(metrics).toMatch(/nuqta_review_flags_decided_total\{campaign="review-cafe",decision="reject"\} 6/);
    expect(metrics).toMatch(/nuqta_review_queue_open\{campaign="review-cafe"\} 1/);
    const age = Number(/nuqta_review_queue_oldest_age_seconds\{campaign="review-cafe"\} ([\d.]+)/.exec(metrics)?.[1]);
    expect(age).toBeGreaterThan(0);
  });
});
