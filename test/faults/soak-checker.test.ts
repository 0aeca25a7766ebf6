/**
 * The soak's checker fails a run that lost, doubled or mis-scored anything.
 * A real pipeline scores comments past the daily cap (webhooks, the worker,
 * MongoDB and Redis); the checker passes what it left, then fails each
 * snapshot broken on purpose: an award dropped from the ledger store, an
 * award doubled, a cap exceeded, a board, a balance and a spent hold.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Campaign } from '../../src/config/campaign-schema.js';
import type { LedgerEntry } from '../../src/ledger/entry.js';
import { commentWebhook, postInstagramWebhook } from '../helpers/instagram.js';
import { eventually, startTestNuqta, type TestNuqta } from '../helpers/test-nuqta.js';
import { checkSnapshot, failures, type StoreSnapshot } from './soak-checker.js';
import { readSnapshot } from './soak-snapshot.js';
import { SOAK_CAMPAIGNS_DIR } from './soak-run.js';
import { SOAK_CAMPAIGN } from './soak-traffic.js';

const ACCOUNT = '17841400000000077';
const USERS = ['17841400900000001', '17841400900000002', '17841400900000003'];
/** Five comments each, an hour apart on one day: the daily cap of three refuses two. */
const COMMENTS = USERS.flatMap((user, member) => Array.from({ length: 5 }, (_, index) => ({
  commentId: `1790099${member}0000000${index}`, userId: user, username: `checker_${member}`, text: `تعليق رقم ${index} جميل`, account: ACCOUNT,
  mediaId: '17900000000000771', at: new Date(Date.UTC(2026, 10, 3, 6 + index)),
})));

let app: TestNuqta;
let campaign: Campaign;
let clean: StoreSnapshot;

function copy(snapshot: StoreSnapshot): StoreSnapshot {
  return structuredClone(snapshot);
}

function anAward(snapshot: StoreSnapshot): LedgerEntry {
  const award = snapshot.ledger.find((entry) => entry.kind === 'earn' && entry.ruleId === 'comment');
  if (!award) throw new Error('the pipeline awarded nothing');
  return award;
}

beforeAll(async () => {
  app = await startTestNuqta('soak_checker', { env: { NUQTA_CAMPAIGNS: SOAK_CAMPAIGNS_DIR } });
  campaign = app.nuqta.campaigns.get(SOAK_CAMPAIGN).campaign;
  // One delivery per comment, in order: each member's comments are scored in the order they were written.
  for (const comment of COMMENTS) expect((await postInstagramWebhook(app.url, commentWebhook([comment]))).status).toBe(200);
  clean = await eventually(async () => {
    const snapshot = await readSnapshot(app.nuqta, campaign);
    return snapshot.decisions.length === COMMENTS.length && snapshot.board.size === USERS.length ? snapshot : undefined;
  }, 30_000, 'every comment to be scored');
});
afterAll(async () => {
  await app?.cleanup();
});

describe('soak checker', () => {
  it('passes what the pipeline left: every comment decided once, the cap held, balances and board from the ledger', () => {
    const report = checkSnapshot(campaign, clean);
    expect(report).toMatchObject({ events: COMMENTS.length, lost: [], duplicated: [], misscored: [], capViolations: [], balances: [], boards: [] });
    expect(clean.ledger.filter((entry) => entry.ruleId === 'comment')).toHaveLength(USERS.length * 3);
  });

  it('fails when an award is deleted from the ledger store', async () => {
    const award = anAward(clean);
    await app.nuqta.db.collection('ledger').deleteOne({ campaignId: award.campaignId, memberId: award.memberId, seq: award.seq });
    try {
      const report = checkSnapshot(campaign, await readSnapshot(app.nuqta, campaign));
      expect(report.lost).toContain(`${award.eventKey}: entry ${award.memberId}#${award.seq} missing`);
      expect(failures(report)).toBeGreaterThan(0);
    } finally {
      await app.nuqta.db.collection('ledger').insertOne({ ...award });
    }
    expect(failures(checkSnapshot(campaign, await readSnapshot(app.nuqta, campaign)))).toBe(0);
  });

  it('fails when an award is written twice', () => {
    const broken = copy(clean);
    const award = anAward(broken);
    const last = Math.max(...broken.ledger.filter((entry) => entry.memberId === award.memberId).map((entry) => entry.seq));
    broken.ledger.push({ ...award, seq: last + 1 });
    const report = checkSnapshot(campaign, broken);
    expect(report.duplicated).toContain(`${award.memberId}|${award.eventKey}|comment: 2 entries`);
  });

  it('fails when an event is decided twice', () => {
    const broken = copy(clean);
    broken.decisions.push({ ...(broken.decisions[0] as StoreSnapshot['decisions'][number]) });
    expect(checkSnapshot(campaign, broken).duplicated.some((problem) => problem.endsWith('decided 2 times'))).toBe(true);
  });

  it('fails when an event was never decided', () => {
    const broken = copy(clean);
    const dropped = broken.decisions.shift();
    expect(checkSnapshot(campaign, broken).lost).toContain(`${dropped?.eventKey}: accepted, never decided`);
  });

  it('fails when a refused comment earned past the daily cap', () => {
    const broken = copy(clean);
    const refused = broken.decisions.find((decision) => decision.entrySeqs.length === 0);
    if (!refused) throw new Error('no comment was refused');
    const award = anAward(broken);
    const last = Math.max(...broken.ledger.filter((entry) => entry.memberId === refused.memberId).map((entry) => entry.seq));
    const event = broken.events.find((candidate) => candidate.eventKey === refused.eventKey);
    broken.ledger.push({ ...award, memberId: refused.memberId, eventKey: refused.eventKey, occurredAt: event?.occurredAt ?? award.occurredAt, seq: last + 1 });
    refused.entrySeqs = [last + 1];
    const report = checkSnapshot(campaign, broken);
    expect(report.capViolations.some((problem) => problem.startsWith(`comment per day ${refused.memberId}|`))).toBe(true);
    expect(report.misscored.some((problem) => problem.startsWith(refused.eventKey))).toBe(true);
  });

  it('fails when an award is not what the rules give', () => {
    const broken = copy(clean);
    const award = anAward(broken);
    award.points += 5;
    expect(checkSnapshot(campaign, broken).misscored.some((problem) => problem.startsWith(award.eventKey))).toBe(true);
  });

  it('fails when a balance or a board does not follow the ledger', () => {
    const broken = copy(clean);
    const [memberId, state] = [...broken.records].find(([, record]) => record !== null) ?? [];
    if (!memberId || !state) throw new Error('no member record');
    state.balance += 10;
    broken.board.set(memberId, (broken.board.get(memberId) ?? 0) + 10);
    const report = checkSnapshot(campaign, broken);
    expect(report.balances.some((problem) => problem.startsWith(`${memberId}: record`))).toBe(true);
    expect(report.boards.some((problem) => problem.startsWith(`${memberId}: board`))).toBe(true);
  });

  it('fails when a redemption spent held points', () => {
    const broken = copy(clean);
    const award = anAward(broken);
    const own = broken.ledger.filter((entry) => entry.memberId === award.memberId);
    for (const entry of own) if (entry.kind === 'earn' || entry.kind === 'bonus') entry.status = 'held';
    const last = Math.max(...own.map((entry) => entry.seq));
    broken.ledger.push({ ...award, kind: 'redeem', ruleId: 'reward:tea', eventKey: `redeem:${award.memberId}:1`, points: -10, status: 'posted', seq: last + 1 });
    const report = checkSnapshot(campaign, broken);
    expect(report.balances.some((problem) => problem.startsWith(`${award.memberId}: #${last + 1} spent 10 of 0 spendable`))).toBe(true);
  });
});
