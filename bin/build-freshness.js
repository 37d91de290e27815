// Whether a compiled build is current: its BUILD_STAMP is newer than every file under src/ (tests aside,
// they are not part of the build). bin/floodgate.js decides between dist/ and tsx with it; the tests that
// reuse dist/ ask the same question (test/support/current-build.ts).
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

export function newestSourceMtimeMs(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    // tests are not part of the build: editing one must not send the CLI back to tsx
    if (!entry.isDirectory() && entry.name.endsWith('.test.ts')) continue;
    newest = Math.max(newest, entry.isDirectory() ? newestSourceMtimeMs(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/** true when `buildDir` has a BUILD_STAMP newer than every source under `root`/src (or there is no src/: an image) */
export function buildIsCurrent(root, buildDir) {
  const stamp = join(buildDir, 'BUILD_STAMP');
  if (!existsSync(stamp)) return false;
  const src = join(root, 'src');
  return !existsSync(src) || statSync(stamp).mtimeMs > newestSourceMtimeMs(src);
}
