import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

function nuqta(args: string[], env: Record<string, string> = {}) {
  const result = spawnSync(process.execPath, ['bin/nuqta.js', ...args], {
    encoding: 'utf8',
    timeout: 60_000,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', LOG_LEVEL: 'silent', ...env },
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('nuqta CLI', () => {
  it('validates the shipped campaign files', () => {
    const result = nuqta(['campaigns', 'validate']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^ok config\/campaigns\/cafe\.yaml: qahwa-corner \(Qahwa Corner points \/ نقاط ركن القهوة\), 3 rules, revision v1-[0-9a-f]{8}$/m);
  });

  it('fails validation naming the file, line and field, with a non-zero exit', () => {
    const result = nuqta(['campaigns', 'validate', '--dir', 'test/fixtures/campaigns/invalid']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('test/fixtures/campaigns/invalid/broken-rules.yaml:13 rules.1.points: Expected number, received string');
    expect(result.stderr).toMatch(/nuqta: 4 problem\(s\) in campaign files\n$/);
  });

  it('does not start with an invalid campaign file', () => {
    const result = nuqta(['start'], { NUQTA_CAMPAIGNS: 'test/fixtures/campaigns/invalid', PORT: '0' });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('broken-rules.yaml:12 rules.1.on:');
    expect(result.stdout).not.toContain('nuqta running');
  });

  it('stops at start-up on a bad environment value, naming the variable', () => {
    const result = nuqta(['serve'], { PORT: 'eighty' });
    expect(result.code).toBe(1);
    expect(result.stderr.trim()).toBe('nuqta: NUQTA_BAD_CONFIG: invalid environment variable PORT: Expected number, received nan');
    const keys = nuqta(['serve'], { NUQTA_API_KEYS: 'owner:abcdefghij' });
    expect(keys.stderr).toContain('NUQTA_API_KEYS: "owner:…" must be role:key or role@campaign,…:key with role one of admin, reviewer, ingest, redeem, reader, metrics');
    const short = nuqta(['serve'], { NUQTA_API_KEYS: 'admin:abcdefghij' });
    expect(short.stderr).toContain('NUQTA_API_KEYS: "admin:…" has a key of 10 characters; keys need at least 24');
  });
});
