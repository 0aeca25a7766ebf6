/**
 * The pages in a real browser (playwright-core driving Debian's chromium,
 * DEVELOPERS.md): the public board with "find me" and live updates, a
 * reviewer deciding by keyboard, a follower's signed link, the brand's
 * dashboard; every page in Arabic (RTL) and English (LTR), checked with
 * axe-core, without console errors, and photographed at desktop and phone
 * width into .scratch/screenshots.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemberLinks } from '../../src/api/member-link.js';
import { PublicIds } from '../../src/api/public-id.js';
import { startTestNuqta, TEST_SECRETS, type TestNuqta } from '../helpers/test-nuqta.js';
import { drained } from '../integration/review/review-helpers.js';
import { CHROMIUM, pageEvents, photograph, SCREENSHOTS, VIEWPORTS } from './browser.js';
import { FRESH, FRESH_TOO, LAYLA, PAGES_CAMPAIGN, PAGES_CAMPAIGNS, SARA_ID, sendPagesCafe } from './pages-cafe.js';

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

let app: TestNuqta;
let browser: Browser;

beforeAll(async () => {
  app = await startTestNuqta('pages', { env: { NUQTA_CAMPAIGNS: PAGES_CAMPAIGNS } });
  await sendPagesCafe(app);
  await drained(app);
  browser = await chromium.launch(CHROMIUM);
  mkdirSync(SCREENSHOTS, { recursive: true });
});
afterAll(async () => {
  await browser?.close();
  await app?.cleanup();
});

interface Violation {
  id: string;
  targets: string[];
}

/** Language and direction, axe-core's WCAG A/AA and best-practice rules (labels, contrast, headings among them), no console errors. */
async function checkPage(page: Page, lang: 'ar' | 'en', errors: readonly string[]): Promise<void> {
  expect(await page.getAttribute('html', 'lang')).toBe(lang);
  expect(await page.getAttribute('html', 'dir')).toBe(lang === 'ar' ? 'rtl' : 'ltr');
  await page.evaluate(axeSource);
  const violations = await page.evaluate<Violation[]>(`axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21aa', 'best-practice'] } })
    .then((result) => result.violations.map((violation) => ({ id: violation.id, targets: violation.nodes.map((node) => node.target.join(' ')) })))`);
  expect(violations).toEqual([]);
  expect(errors).toEqual([]);
}

/** Opens `path` in each language and viewport, waits for `ready`, checks and photographs it. */
async function everyView(name: string, path: string, ready: (page: Page) => Promise<void>): Promise<void> {
  for (const lang of ['ar', 'en'] as const) {
    for (const [device, viewport] of Object.entries(VIEWPORTS)) {
      const context = await browser.newContext({ viewport });
      const page = await context.newPage();
      const errors = pageEvents(page);
      await page.goto(`${app.url}${path}${path.includes('?') ? '&' : '?'}lang=${lang}`);
      await ready(page);
      await checkPage(page, lang, errors);
      await photograph(page, `${name}-${lang}-${device}`);
      await context.close();
    }
  }
}

/** Types a staff key with the keyboard alone: Tab to the key field, type, Enter. */
async function typeKey(page: Page, key: string): Promise<void> {
  for (let presses = 0; presses < 6 && (await page.evaluate<string | undefined>('document.activeElement?.id')) !== 'api-key'; presses += 1) await page.keyboard.press('Tab');
  expect(await page.evaluate<string | undefined>('document.activeElement?.id')).toBe('api-key');
  await page.keyboard.type(key);
  await page.keyboard.press('Enter');
}

describe('the pages in a browser', () => {
  it('shows the public board with shared ranks, the reward ladder and tabs, in Arabic and English', async () => {
    await everyView('leaderboard', `/leaderboard/${PAGES_CAMPAIGN}`, async (page) => {
      await page.locator('#board-rows tr[data-public-id]').nth(4).waitFor();
    });
    const page = await browser.newPage();
    await page.goto(`${app.url}/leaderboard/${PAGES_CAMPAIGN}?lang=en`);
    await page.locator('#board-rows tr[data-public-id]').nth(4).waitFor();
    const rows = await page.locator('#board-rows tr').evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent)));
    // 95 / 85 / 75 / 75 / 65: the two members on 75 share third place (listed by who reached it first).
    expect(rows.map(([rank, , points]) => [rank, points])).toEqual([['1', '95'], ['2', '85'], ['3', '75'], ['3', '75'], ['5', '65']]);
    expect(rows.map(([, name]) => name).slice(0, 2)).toEqual(['@sara.q', '@omar.b']);
    expect(rows.map(([, name]) => name).slice(2, 4).sort()).toEqual(['@faisal.t', '@huda.m']);
    await expect.poll(() => page.locator('.ladder li').allTextContents()).toContain('Espresso80 points');
    const missing = await page.goto(`${app.url}/leaderboard/no-such-campaign?lang=en`);
    expect(missing?.status()).toBe(404);
    expect(await page.locator('h1').textContent()).toBe('No campaign by that name');
    await page.goto(`${app.url}/leaderboard/${PAGES_CAMPAIGN}?lang=en`);
    await page.getByRole('tab', { name: 'Challenge first-week' }).click();
    await expect.poll(() => page.locator('#board-caption').textContent()).toBe('Standings: Challenge first-week');
    await page.close();
  });

  it('"find me" finds a member below the top rows and shows the members around them', async () => {
    const page = await browser.newPage();
    const errors = pageEvents(page);
    await page.goto(`${app.url}/leaderboard/${PAGES_CAMPAIGN}?lang=en`);
    await page.getByLabel('Your handle').fill(`@${LAYLA.username}`);
    await page.getByRole('button', { name: 'Find' }).click();
    await expect.poll(() => page.getByTestId('my-rank').textContent()).toBe('You are number 8 with 35 points');
    const around = await page.locator('#find-result tbody tr').evaluateAll((trs) => trs.map((tr) => [tr.className, tr.querySelector('td')?.textContent]));
    expect(around).toEqual([['', '5'], ['', '6'], ['', '7'], ['me', '8'], ['', '9'], ['', '9'], ['', '11']]);
    await page.getByLabel('Your handle').fill('@nobody.here');
    await page.getByRole('button', { name: 'Find' }).click();
    await expect.poll(() => page.locator('#find-result').textContent()).toBe('Nobody with that handle takes part in this campaign');
    expect(errors.filter((error) => !error.includes('404'))).toEqual([]);
    await page.close();
  });

  it('a reviewer approves a held comment with the keyboard alone, and the open board shows the member\'s new rank without a reload', async () => {
    const board = await browser.newPage();
    await board.goto(`${app.url}/leaderboard/${PAGES_CAMPAIGN}?lang=en`);
    await board.getByLabel('Your handle').fill(`@${FRESH.username}`);
    await board.keyboard.press('Enter');
    await expect.poll(() => board.locator('#find-result').textContent()).toBe('That handle has no points on this board yet');
    const navigations: string[] = [];
    board.on('framenavigated', (frame) => navigations.push(frame.url()));

    const context = await browser.newContext({ viewport: VIEWPORTS.desktop });
    const review = await context.newPage();
    const errors = pageEvents(review);
    await review.goto(`${app.url}/review?lang=en`);
    await typeKey(review, TEST_SECRETS.reviewerKey);
    const first = review.locator('#queue li.current');
    await expect.poll(() => first.textContent()).toContain(`instagram:${FRESH.userId}`);
    await expect.poll(() => review.locator('#evidence').textContent()).toContain('new_account');
    // Which campaigns there are is the key's to see: the frame names none, the filter lists the key's after it is typed.
    expect(await (await fetch(`${app.url}/review?lang=en`)).text()).not.toContain('Pages café points');
    await expect.poll(() => review.locator('#campaign-filter option').allTextContents()).toEqual(['Any', 'Pages café points']);
    await checkPage(review, 'en', errors);
    await photograph(review, 'review-flag-en-desktop');
    await review.keyboard.press('a');
    await expect.poll(() => review.locator(`#queue li[data-flag-id="${PAGES_CAMPAIGN}|instagram:comment:${FRESH.commentId}"] [data-testid="flag-status"]`).textContent()).toMatch(/^Approved/);
    await expect.poll(() => review.locator('#audit li').first().textContent()).toContain(`Approved · instagram:${FRESH.userId} · reviewer:`);

    await expect.poll(() => board.getByTestId('my-rank').textContent(), { timeout: 15_000 }).toBe('You are number 11 with 10 points');
    expect(navigations).toEqual([]);

    // The next open flag is selected: x selects it, the bulk button rejects what is selected, and the member can be blocked and unblocked.
    const next = review.locator(`#queue li[data-flag-id="${PAGES_CAMPAIGN}|instagram:comment:${FRESH_TOO.commentId}"]`);
    await expect.poll(() => next.getAttribute('class')).toBe('current');
    await review.keyboard.press('x');
    await expect.poll(() => next.locator('input[type="checkbox"]').isChecked()).toBe(true);
    await review.getByRole('button', { name: 'Reject selected' }).click();
    await expect.poll(() => next.getByTestId('flag-status').textContent()).toMatch(/^Rejected/);
    await expect.poll(() => review.locator('#audit li').first().textContent()).toContain(`Rejected · instagram:${FRESH_TOO.userId}`);
    await review.getByRole('button', { name: 'Block member' }).click();
    await expect.poll(() => review.locator('#blocks').textContent()).toContain(`instagram:${FRESH_TOO.userId}`);
    await review.locator('#blocks').getByRole('button', { name: 'Unblock' }).click();
    await expect.poll(() => review.locator('#blocks').textContent()).toBe('none');
    // The key stays for the tab's session: a reload opens the queue without asking again.
    await review.reload();
    await expect.poll(() => review.locator('#console').isVisible()).toBe(true);
    expect(errors).toEqual([]);
    await context.close();
    await board.close();
  });

  it('shows the review console and the dashboard in every language and width', async () => {
    for (const [name, path, key, ready] of [
      ['review', '/review', TEST_SECRETS.reviewerKey, '#queue li'],
      ['dashboard', `/campaigns/${PAGES_CAMPAIGN}`, TEST_SECRETS.adminKey, '#chart canvas'],
    ] as const) {
      await everyView(name, path, async (page) => {
        await typeKey(page, key);
        await page.locator(ready).first().waitFor();
      });
    }
  });

  it('the dashboard shows the KPIs, the hourly chart, top posts and accounts', async () => {
    const page = await browser.newPage();
    const errors = pageEvents(page);
    await page.goto(`${app.url}/campaigns/${PAGES_CAMPAIGN}?lang=en`);
    await typeKey(page, 'not-a-key-at-all');
    await expect.poll(() => page.locator('#key-error').textContent()).toBe('The key was refused: check it and try again');
    await typeKey(page, TEST_SECRETS.adminKey);
    await page.locator('#chart canvas').first().waitFor();
    const kpis = await page.locator('#kpis div').evaluateAll((items) => items.map((item) => [item.querySelector('dt')?.textContent, item.querySelector('dd')?.textContent]));
    expect(kpis.slice(0, 2)).toEqual([['Participants', '14'], ['Points issued', '600']]);
    expect(await page.locator('#top-posts tbody tr').first().textContent()).toContain('media-pages-1');
    expect(await page.locator('#accounts').textContent()).toContain('not connected');
    expect(errors.filter((error) => !error.includes('401'))).toEqual([]);
    await page.close();
  });
});

describe('a follower\'s own page', () => {
  let link = '';

  it('`nuqta members link` prints a link that opens the member\'s balance, tier progress and next reward', async () => {
    const printed = spawnSync(process.execPath, ['bin/nuqta.js', 'members', 'link', '--campaign', PAGES_CAMPAIGN, `@${LAYLA.username}`], {
      encoding: 'utf8',
      timeout: 60_000,
      env: {
        PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '',
        MONGODB_URI: app.config.MONGODB_URI, NUQTA_QUEUE_PREFIX: app.config.NUQTA_QUEUE_PREFIX, NUQTA_CAMPAIGNS: PAGES_CAMPAIGNS,
        NUQTA_PUBLIC_URL: app.url, LOG_LEVEL: 'silent',
      },
    });
    expect(printed.stderr).toContain(`@${LAYLA.username} in ${PAGES_CAMPAIGN}, valid until`);
    expect(printed.status).toBe(0);
    link = printed.stdout.trim();
    expect(link).toMatch(new RegExp(`^${app.url}/me/v1\\.${PAGES_CAMPAIGN}\\.p_[A-Za-z0-9_-]+\\.\\d+\\.[A-Za-z0-9_-]+$`));

    const page = await browser.newPage();
    const errors = pageEvents(page);
    await page.goto(link);
    expect(await page.getByTestId('balance').textContent()).toBe('٣٥ نقطة');
    expect(await page.getByTestId('tier-progress').textContent()).toBe('باقي ١٦٥ نقطة على مستوى ذهبي');
    expect(await page.locator('progress').getAttribute('value')).toBe('17');
    expect(await page.getByTestId('next-reward').textContent()).toContain('إسبريسو');
    expect(await page.locator('#reward-title + p + p').textContent()).toBe('باقي ٤٥ نقطة على إسبريسو');
    // Three comments and the challenge bonus, each a lot of its own expiring 20 days after it was earned.
    expect(await page.locator('section[aria-labelledby="expiring-title"] li').count()).toBe(4);
    expect(await page.locator('section[aria-labelledby="history-title"] tbody tr').count()).toBe(4);
    expect(errors).toEqual([]);

    await page.goto(`${link}?lang=en`);
    expect(await page.getByTestId('balance').textContent()).toBe('35 points');
    expect(await page.getByTestId('tier-progress').textContent()).toBe('165 points to Gold');
    expect(await page.locator('#reward-title + p + p').textContent()).toBe('45 points to your espresso');
    await page.close();
    await everyView('follower', new URL(link).pathname, async () => undefined);
  });

  it('a tampered, borrowed or expired token gets a page that says so, not another member\'s points', async () => {
    const page = await browser.newPage();
    const token = new URL(link).pathname.slice('/me/'.length);
    const [version, campaign, publicId, expiry, mac] = token.split('.');
    const publicIds = new PublicIds(app.nuqta.secret);
    const someoneElse = publicIds.idOf(PAGES_CAMPAIGN, `instagram:${SARA_ID}`);
    const links = new MemberLinks(app.nuqta.secret, publicIds);
    const cases = [
      [`${version}.${campaign}.${publicId}.${Number(expiry) + 86_400}.${mac}`, 404, 'هذا الرابط غير صالح'],
      [`${version}.${campaign}.${someoneElse}.${expiry}.${mac}`, 404, 'هذا الرابط غير صالح'],
      [`${token.slice(0, -3)}abc`, 404, 'هذا الرابط غير صالح'],
      ['not-a-token', 404, 'هذا الرابط غير صالح'],
      [links.mint(PAGES_CAMPAIGN, `instagram:${LAYLA.userId}`, new Date(Date.now() - 1_000)), 410, 'انتهت صلاحية هذا الرابط'],
    ] as const;
    for (const [bad, status, title] of cases) {
      const response = await page.goto(`${app.url}/me/${bad}`);
      expect(response?.status()).toBe(status);
      expect(await page.locator('h1').textContent()).toBe(title);
      expect(await page.getByTestId('balance').count()).toBe(0);
    }
    await page.goto(`${app.url}/me/${cases[4][0]}?lang=en`);
    expect(await page.locator('h1').textContent()).toBe('This link has expired');
    await photograph(page, 'follower-expired-en-phone');
    await page.close();
  });
});
