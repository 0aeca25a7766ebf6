/** What the browser tests share: Debian's chromium (DEVELOPERS.md), the two widths, console errors, screenshots. */
import type { LaunchOptions, Page } from 'playwright-core';

export const CHROMIUM: LaunchOptions = {
  executablePath: '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
};

export const VIEWPORTS = {
  desktop: { width: 1280, height: 860 },
  phone: { width: 390, height: 844 },
} as const;

/** Ignored by git (.gitignore); a few are copied to docs/screenshots for the README. */
export const SCREENSHOTS = '.scratch/screenshots';

/** Console errors and uncaught exceptions of the page, collected as they happen. */
export function pageEvents(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(error.message));
  return errors;
}

export async function photograph(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: `${SCREENSHOTS}/${name}.png`, fullPage: true });
}
