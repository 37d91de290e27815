import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildIsCurrent } from '../../bin/build-freshness.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/**
 * dist/ when bin/floodgate.js would run it (bin/build-freshness.js: the same test), else undefined.
 * `npm test` builds before vitest runs, so under CI it is current.
 */
export function currentBuildDir(): string | undefined {
  const dist = join(ROOT, 'dist');
  return buildIsCurrent(ROOT, dist) ? dist : undefined;
}
