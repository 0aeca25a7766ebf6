import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestNuqta, type TestNuqta } from '../../helpers/test-nuqta.js';
import { BAKERY, LEDGER_CAMPAIGNS } from '../ledger/ledger-helpers.js';
import { runNuqta, type CliRun } from '../../helpers/nuqta-cli.js';

let app: TestNuqta;

/** Runs `nuqta …` against the test's database and queues. */
function nuqta(...args: string[]): Promise<CliRun> {
  return runNuqta(app.config, args);
}

beforeAll(async () => {
  app = await startTestNuqta('webhook_cli', { work: false, env: { NUQTA_CAMPAIGNS: LEDGER_CAMPAIGNS } });
});
afterAll(async () => {
  await app?.cleanup();
});

describe('nuqta webhooks', () => {
  it('adds an endpoint, printing its secret once, which the running server then lists', async () => {
    const added = await nuqta('webhooks', 'add', '--campaign', BAKERY, '--url', 'https://crm.example.com/hooks', '--events', 'points.earned,reward.unlocked', '--description', 'CRM');
    expect(added.code).toBe(0);
    const [line, secretLine] = added.stdout.trim().split('\n');
    expect(line).toMatch(/^we_[0-9a-f]{24} https:\/\/crm\.example\.com\/hooks \(points\.earned, reward\.unlocked\)$/);
    expect(secretLine).toMatch(/^signing secret \(shown once\): whsec_/);
    await app.nuqta.outbound.endpoints.refresh();
    expect(app.nuqta.outbound.endpoints.forCampaign(BAKERY).map((endpoint) => endpoint.id)).toEqual([line?.split(' ')[0]]);
    const listed = await nuqta('webhooks', 'list', '--campaign', BAKERY);
    expect(listed.stdout).toContain('https://crm.example.com/hooks (points.earned, reward.unlocked) CRM');
    expect(listed.stdout).not.toContain('whsec_');
  });

  it('refuses an unknown event type, naming the ones there are', async () => {
    const refused = await nuqta('webhooks', 'add', '--campaign', BAKERY, '--url', 'https://crm.example.com/hooks', '--events', 'points.won');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('must be a comma-separated list of points.earned, tier.reached');
    expect(refused.stderr).toContain('(not points.won)');
  });
});
