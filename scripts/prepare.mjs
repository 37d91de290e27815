// npm's `prepare` (after `npm install` / `npm ci` in a checkout): compiles dist/ so that `npm start` runs the
// build, not the TypeScript sources through tsx: ~60 MiB less resident memory and a faster start
// (BENCHMARKS.md 2026-11-30). Skipped, with a line saying so, where there is nothing to build with: an install
// without devDependencies (`--omit=dev`) or without the sources. A failed build fails the install, loudly:
// `npm start` would otherwise run an older dist/.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';

const hasCompiler = (() => {
  try {
    createRequire(import.meta.url).resolve('typescript/bin/tsc');
    return true;
  } catch {
    return false;
  }
})();
if (!existsSync('src') || !existsSync('scripts/build.mjs') || !hasCompiler) {
  console.log('floodgate: no sources or no TypeScript here; dist/ not built (npm start runs whatever build is present, else the sources with tsx)');
} else {
  console.log('floodgate: building dist/ (npm run build) so npm start runs compiled JavaScript…');
  execFileSync(process.execPath, ['scripts/build.mjs'], { stdio: 'inherit' });
}
