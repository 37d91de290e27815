import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { CONFIG_VARIABLES, configDefault } from '../../config.js';

describe('docs/limits.md, priority load shedding', () => {
  it('when a shedding variable exists, then the doc lists it with its default', async () => {
    const doc = await readFile(new URL('../../../docs/limits.md', import.meta.url), 'utf8');
    const rows = doc.split('\n').filter((line) => line.startsWith('| `'));
    const names = CONFIG_VARIABLES.filter((name) => name === 'LOAD_SHEDDING' || name.startsWith('OVERLOAD_'));
    expect(names.length).toBeGreaterThan(8);
    for (const name of names) {
      const row = rows.find((r) => r.startsWith(`| \`${name}\``));
      expect(row, name).toBeDefined();
      expect(row, name).toContain(`\`${String(configDefault(name))}\``);
    }
  });
});
