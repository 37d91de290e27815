import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { NODE_FLAGS } from '../../bin/node-flags.js';

const root = fileURLToPath(new URL('../../', import.meta.url));

describe('the servers\' V8 flags (bin/node-flags.js)', () => {
  it('when npm start runs the shop, then node gets the same flags as the cluster, the image and the benchmarks', () => {
    const pkg = JSON.parse(readFileSync(`${root}package.json`, 'utf8')) as { scripts: Record<string, string> };
    expect(pkg.scripts.start).toBe(['node', ...NODE_FLAGS, 'bin/floodgate.js', 'start'].join(' '));
  });

  it('when a process starts with them, then V8 really has the larger young generation', async () => {
    const { execFileSync } = await import('node:child_process');
    // the young generation grows to its maximum under allocation; its size then is what the flag sets
    const youngAfterLoad = (flags: readonly string[]) =>
      Number(execFileSync(process.execPath, [...flags, '-e', "const a=[];for(let i=0;i<3e6;i++)a.push({i});process.stdout.write(String(require('v8').getHeapSpaceStatistics().find((s) => s.space_name === 'new_space').space_size))"], { encoding: 'utf8' }));
    expect(youngAfterLoad(NODE_FLAGS)).toBeGreaterThan(youngAfterLoad([]));
  });
});
