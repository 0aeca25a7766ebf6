import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { renderCapabilityTable } from '../../src/platforms/capabilities.js';

describe('README', () => {
  it('shows the capability matrix exactly as the code defines it', async () => {
    const readme = await readFile('README.md', 'utf8');
    const table = /<!-- capabilities:start -->\n([\s\S]*?)\n<!-- capabilities:end -->/.exec(readme)?.[1];
    expect(table).toBe(renderCapabilityTable().trim());
  });
});
