import { cpSync, existsSync, mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/**
 * Fills an empty PGlite data dir from a template (the build's `pglite-template`: initdb and every migration
 * done, scripts/build.mjs) instead of letting PGlite run initdb: a first start saves ~4 s and initdb's
 * 0.5 GB of WebAssembly memory. The copy goes to a sibling directory and is renamed into place, so a start
 * killed halfway leaves no half-copied database that would pass for one. Does nothing, and returns false, when
 * the data dir already holds anything (a database, or what an interrupted initdb left) or there is no template.
 */
export function copyTemplateIfEmpty(dataDir: string, templateDir: string | undefined): boolean {
  if (!templateDir || !existsSync(join(templateDir, 'PG_VERSION'))) return false;
  if (existsSync(dataDir) && readdirSync(dataDir).length > 0) return false;
  mkdirSync(dirname(dataDir), { recursive: true });
  const staging = join(dirname(dataDir), `.${basename(dataDir)}-from-template-${process.pid}`);
  rmSync(staging, { recursive: true, force: true });
  try {
    cpSync(templateDir, staging, { recursive: true });
    // rename(2) replaces an empty directory; the data dir may exist empty (made by an earlier check)
    rmSync(dataDir, { recursive: true, force: true });
    renameSync(staging, dataDir);
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
  return true;
}
