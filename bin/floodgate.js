#!/usr/bin/env node
// Runs the compiled build (dist/, from `npm run build`) when it is there and current, so production
// never compiles at start; otherwise the TypeScript sources through tsx, so `npm start` needs no build
// step in development. A build is current when its BUILD_STAMP is newer than every file under src/
// (an image that ships no src/ always runs its build). FLOODGATE_BUILD_DIR points at another build.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { buildIsCurrent } from './build-freshness.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const buildDir = resolve(root, process.env.FLOODGATE_BUILD_DIR || 'dist');

function useBuild() {
  if (buildIsCurrent(root, buildDir)) return true;
  if (existsSync(join(buildDir, 'BUILD_STAMP'))) {
    process.stderr.write(`floodgate: ${buildDir} is older than src/; running the sources with tsx (npm run build refreshes it)\n`);
  }
  return false;
}

if (useBuild()) {
  process.setSourceMapsEnabled(true); // stack traces name the TypeScript lines
  // tracing must start before main loads fastify and pg; it does nothing unless OTEL_* asks for it
  await import(pathToFileURL(join(buildDir, 'platform/telemetry/preload.js')).href);
  await import(pathToFileURL(join(buildDir, 'main.js')).href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../src/platform/telemetry/preload.ts');
  await import('../src/main.ts');
}
