// `npm test [-- <vitest args>]`: ESLint and the TypeScript checker side by side (independent, one core each), the
// build when dist/ is older than src/ (`npm install` made it; the tests that spawn `floodgate` run it), then every
// test. Stops at the first step that fails, with its own output above.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildIsCurrent } from '../bin/build-freshness.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const run = (args) =>
  new Promise((resolve) => {
    const child = spawn('npm', args, { cwd: root, stdio: 'inherit' });
    child.on('error', () => resolve(1));
    child.on('exit', (code) => resolve(code ?? 1));
  });
const step = (what) => console.log(`\n==> ${what}`);

step('lint and typecheck, side by side');
const [lint, types] = await Promise.all([run(['run', '--silent', 'lint']), run(['run', '--silent', 'typecheck'])]);
if (lint !== 0 || types !== 0) {
  console.error(`npm test: ${[lint !== 0 && 'lint', types !== 0 && 'typecheck'].filter(Boolean).join(' and ')} failed (output above)`);
  process.exit(1);
}
if (buildIsCurrent(root, join(root, 'dist'))) {
  step('build: dist/ is newer than every source, kept');
} else {
  step('build');
  if ((await run(['run', '--silent', 'build'])) !== 0) process.exit(1);
}
step('vitest');
process.exit(await run(['exec', '--', 'vitest', 'run', ...process.argv.slice(2)]));
