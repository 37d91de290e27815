import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { formatLimitPolicy, LIMITS, LIMIT_NAMES } from './limit-catalogue.js';

describe('docs/limits.md', () => {
  it('when a limit exists, then the doc lists it with its variable and its default', async () => {
    const doc = await readFile(new URL('../../../docs/limits.md', import.meta.url), 'utf8');
    const rows = doc.split('\n').filter((line) => line.startsWith('| `'));
    for (const name of LIMIT_NAMES) {
      const row = rows.find((r) => r.startsWith(`| \`${name}\``));
      expect(row, name).toBeDefined();
      expect(row).toContain(`\`${LIMITS[name].env}\``);
      expect(row).toContain(`\`${formatLimitPolicy(LIMITS[name].default)}\``);
    }
  });
});
