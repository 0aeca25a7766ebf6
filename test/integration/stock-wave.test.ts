/**
 * The cheapest farm through the front door: fresh accounts with generated
 * handles posting stock praise on one post seconds apart, each comment a
 * signed Instagram webhook delivery. And the honest crowd it must not be
 * confused with: established fans writing the same praise over an hour.
 */
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM } from '../e2e/browser.js';
import { commentWebhook, postInstagramWebhook } from '../helpers/instagram.js';
import { eventually, startTestNuqta, TEST_SECRETS, type TestNuqta } from '../helpers/test-nuqta.js';

const CAMPAIGN = 'qahwa-corner';
const READER = { authorization: `Bearer ${TEST_SECRETS.readerKey}` };
const REVIEWER = { authorization: `Bearer ${TEST_SECRETS.reviewerKey}`, 'content-type': 'application/json' };
const MINUTE = 60_000;
const FARM_SIZE = 28;
const FANS = 30;
/** How the farm tool varies one phrase between copies. */
const FARM_COPIES = ['ما شاء الله الكرواسون 😍', 'ماشاءالله الكرواسون', 'ما شاء الـــله الكرواسون', 'مَا شَاءَ الله الكرواسوووون 🔥', 'ما شاء الله الكرواسون'];

let app: TestNuqta;

beforeAll(async () => {
  app = await startTestNuqta('stock_wave');
});
afterAll(async () => {
  await app?.cleanup();
});

async function deliver(comments: Parameters<typeof commentWebhook>[0]): Promise<void> {
  expect((await postInstagramWebhook(app.url, commentWebhook(comments))).status).toBe(200);
  await eventually(async () => {
    const depth = await app.nuqta.queue.depth();
    return (depth.waiting ?? 0) + (depth.active ?? 0) + (depth.delayed ?? 0) === 0 ? true : undefined;
  }, 20_000, 'the ingest queue to drain');
}

async function onBoard(memberIds: readonly string[]): Promise<string[]> {
  const ranked = await Promise.all(memberIds.map(async (memberId) => ((await app.nuqta.leaderboard.rankOf(CAMPAIGN, 'all', memberId)) ? memberId : undefined)));
  return ranked.filter((memberId): memberId is string => memberId !== undefined);
}

async function memberView(memberId: string): Promise<{ balance: number; pending: { points: number; spendable: number } }> {
  const response = await fetch(`${app.url}/v1/campaigns/${CAMPAIGN}/members/${memberId}`, { headers: READER });
  expect(response.status).toBe(200);
  return (await response.json()) as { balance: number; pending: { points: number; spendable: number } };
}

describe('a stock-praise wave through signed webhooks', () => {
  const fans = Array.from({ length: FANS }, (_, i) => ({ userId: `178414333000${String(i).padStart(5, '0')}`, username: `fan.${['sara', 'noura', 'fahad', 'reem', 'khalid'][i % 5]}${i}` }));
  const farm = Array.from({ length: FARM_SIZE }, (_, i) => ({ userId: `178414999000${String(i).padStart(5, '0')}`, username: `user${839_201_000 + i * 7}` }));

  it('established fans writing the same praise over an hour all earn', async () => {
    const now = Date.now();
    // Known to the campaign: each commented on one of the earlier posts, over the last ten days, on their own.
    await deliver(fans.map((fan, i) => ({
      commentId: `fan-old-${i}`, ...fan, mediaId: `media-old-${i % 10}`, text: `جربت السبانش لاتيه في فرع النرجس ${i} وكان رهيب`, at: new Date(now - (10 * 24 - i * 7) * 60 * MINUTE),
    })));
    for (let start = 0; start < FANS; start += 5) {
      await deliver(fans.slice(start, start + 5).map((fan, j) => {
        const i = start + j;
        return { commentId: `fan-live-${i}`, ...fan, mediaId: 'media-live', text: FARM_COPIES[i % FARM_COPIES.length] ?? '', at: new Date(now - 60 * MINUTE + i * 2 * MINUTE) };
      }));
    }
    for (const [i, fan] of fans.entries()) {
      const entries = await app.nuqta.ledger.entriesAfter(CAMPAIGN, `instagram:${fan.userId}`, 0);
      expect(entries.map((entry) => [entry.eventKey, entry.status])).toContainEqual([`instagram:comment:fan-live-${i}`, 'posted']);
    }
    expect(await onBoard(fans.map((fan) => `instagram:${fan.userId}`))).toHaveLength(FANS);
  });

  it('holds a burst of fresh accounts on one post: at most a fifth ever on the board, none of it spendable, one wave to decide', async () => {
    const memberIds = farm.map((bot) => `instagram:${bot.userId}`);
    const startAt = Date.now() - 5 * MINUTE;
    let mostOnBoard = 0;
    // One delivery per comment, 1.5 seconds apart, as the platform sends them.
    for (const [i, bot] of farm.entries()) {
      await deliver([{ commentId: `farm-${i}`, ...bot, mediaId: 'media-farm', text: FARM_COPIES[i % FARM_COPIES.length] ?? '', at: new Date(startAt + i * 1_500) }]);
      mostOnBoard = Math.max(mostOnBoard, (await onBoard(memberIds)).length);
    }
    expect(mostOnBoard).toBeGreaterThan(0);
    expect(mostOnBoard).toBeLessThanOrEqual(Math.floor(FARM_SIZE / 5));
    expect(await onBoard(memberIds)).toEqual([]);
    for (const memberId of memberIds) expect((await memberView(memberId)).pending.spendable).toBe(0);

    // Every member of the wave with points waiting is in one flag group, with a reason a reviewer can check;
    // the others were rejected outright and earned nothing.
    const byReason = await fetch(`${app.url}/v1/review/flags?campaign=${CAMPAIGN}&reason=stock_wave&limit=100`, { headers: REVIEWER });
    const waveId = ((await byReason.json()) as { flags: { wave: { id: string } | null }[] }).flags.find((flag) => flag.wave !== null)?.wave?.id;
    expect(waveId).toMatch(/^[0-9a-f]{24}$/);
    const listed = await fetch(`${app.url}/v1/review/flags?campaign=${CAMPAIGN}&wave=${waveId}&limit=100`, { headers: REVIEWER });
    const { flags } = (await listed.json()) as { flags: { memberId: string; wave: { id: string; mediaId: string }; signals: { code: string; text: { en: string } }[] }[] };
    expect(flags.every((flag) => flag.wave.id === waveId && flag.wave.mediaId === 'media-farm')).toBe(true);
    const grouped = new Set(flags.map((flag) => flag.memberId));
    // A member of the wave sees on their own page what waits, and why.
    const [waiting] = [...grouped];
    const link = await fetch(`${app.url}/v1/campaigns/${CAMPAIGN}/members/${waiting ?? ''}/link`, { method: 'POST', headers: { authorization: `Bearer ${TEST_SECRETS.adminKey}`, 'content-type': 'application/json' }, body: '{}' });
    const ownPage = await (await fetch(`${app.url}/me/${((await link.json()) as { token: string }).token}?lang=en`)).text();
    expect(ownPage).toMatch(/Waiting for review.*wait for a reviewer and stay off the leaderboard until approved\. You can spend 0 points now\./s);
    expect(ownPage).toContain('accounts first seen this hour wrote the same stock praise');
    for (const memberId of memberIds.filter((member) => !grouped.has(member))) {
      expect((await app.nuqta.ledger.entriesAfter(CAMPAIGN, memberId, 0)).map((entry) => entry.status)).toEqual(['rejected']);
    }
    // The first members, allowed before the wave showed, are in the group: their awards went under review with it.
    for (const memberId of memberIds.slice(0, 3)) expect(grouped).toContain(memberId);
    const reason = flags.flatMap((flag) => flag.signals).find((signal) => signal.code === 'stock_wave')?.text.en;
    expect(reason).toMatch(/^\d+ accounts first seen this hour wrote the same stock praise on this post within \d+ seconds; 0 accounts the campaign knew before wrote this text too$/);

    // One action in the review console rejects the wave: every award is taken back.
    const browser = await chromium.launch(CHROMIUM);
    try {
      const page = await browser.newPage();
      await page.goto(`${app.url}/review?lang=en`);
      await page.locator('#api-key').fill(TEST_SECRETS.reviewerKey);
      await page.keyboard.press('Enter');
      await page.locator('#queue li', { hasText: 'wave' }).first().locator('button.flag-open').click();
      await expect.poll(() => page.locator('#evidence .wave').textContent()).toContain(`${flags.length} flags of this wave in the queue`);
      await page.locator('#note').fill('a farm');
      await page.getByRole('button', { name: 'Reject the whole wave' }).click();
      await expect.poll(() => page.locator('#queue li', { hasText: 'wave' }).allTextContents()).toSatisfy((rows: string[]) => rows.every((row) => row.includes('Rejected')));
    } finally {
      await browser.close();
    }
    const open = await fetch(`${app.url}/v1/review/flags?campaign=${CAMPAIGN}&wave=${waveId}&status=open&limit=100`, { headers: REVIEWER });
    expect(((await open.json()) as { flags: unknown[] }).flags).toEqual([]);
    const rejected = await fetch(`${app.url}/v1/review/flags?campaign=${CAMPAIGN}&wave=${waveId}&status=rejected&limit=100`, { headers: REVIEWER });
    expect(((await rejected.json()) as { flags: { decision: { note: string } }[] }).flags.map((flag) => flag.decision.note)).toEqual(flags.map(() => 'a farm'));
    for (const memberId of memberIds) expect(await memberView(memberId)).toMatchObject({ balance: 0, pending: { points: 0, spendable: 0 } });
    expect(await onBoard(memberIds)).toEqual([]);
  });
});
