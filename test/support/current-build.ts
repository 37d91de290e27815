import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

function newestMtimeMs(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    // as bin/floodgate.js: tests are not part of the build
    if (!entry.isDirectory() && entry.name.endsWith('.test.ts')) continue;
    newest = Math.max(newest, entry.isDirectory() ? newestMtimeMs(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/**
 * dist/ when bin/floodgate.js would run it (its BUILD_STAMP is newer than every file under src/, the same
 * test as bin's), else undefined. `npm test` builds before vitest runs, so under CI it is current.
 */
export function currentBuildDir(): string | undefined {
  const dist = join(ROOT, 'dist');
  const stamp = join(dist, 'BUILD_STAMP');
  if (!existsSync(stamp)) return undefined;
  return statSync(stamp).mtimeMs > newestMtimeMs(join(ROOT, 'src')) ? dist : undefined;
}
