// `npm run build [-- --out-dir <dir>] [--no-pglite-template]`: compiles src/ to JavaScript (default dist/) for production.
// tsc emits only JavaScript; the SQL migrations and the web pages are copied beside it, so a build is
// complete on its own (it still needs node_modules, found by walking up from it as usual).
// The build starts from an empty directory (no file of a deleted source survives) and ends by writing
// BUILD_STAMP, which bin/floodgate.js compares with the sources to decide whether the build is current.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { createRequire } from 'node:module';
import { resolve, sep } from 'node:path';
import { parseArgs } from 'node:util';

const { values } = parseArgs({ options: { 'out-dir': { type: 'string', default: 'dist' }, 'no-pglite-template': { type: 'boolean', default: false } } });
const outDir = resolve(values['out-dir']);
const root = resolve('.');
if (outDir === root || !outDir.startsWith(root + sep)) throw new Error(`--out-dir must be a folder inside ${root} (node_modules is found from there)`);

rmSync(outDir, { recursive: true, force: true });
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
execFileSync(process.execPath, [tsc, '-p', 'tsconfig.build.json', '--outDir', outDir], { stdio: 'inherit' });
// test-only migrations stay out of a production build
cpSync('src', outDir, { recursive: true, filter: (src) => !src.endsWith('.ts') && !src.includes(`${sep}test-migrations`) });
if (existsSync('web')) cpSync('web', resolve(outDir, 'web'), { recursive: true });
if (!values['no-pglite-template']) buildPgliteTemplate();
writeFileSync(resolve(outDir, 'BUILD_STAMP'), `${new Date().toISOString()}\n`);
console.log(`built ${outDir}`);

/**
 * The embedded database as a first start makes it before seeding (PGlite's initdb, then every migration), built
 * once here from the code just compiled: a first `floodgate start` copies it instead of running initdb (4 of its
 * 8.6 s, and a 0.5 GB WebAssembly peak). It holds no secret: signing keys, the admin and the demo data are made at
 * the start. ~40 MB; the container image, which runs PostgreSQL, builds without it (--no-pglite-template).
 */
function buildPgliteTemplate() {
  console.log('building the embedded database template (PGlite initdb and migrations)…');
  const staging = mkdtempSync(resolve(outDir, '.pglite-template-'));
  try {
    // its own process, with a config from nothing but these two settings: never the caller's DATABASE_URL
    const script = `
      const { loadConfig } = await import(${JSON.stringify(pathToFileURL(resolve(outDir, 'config.js')).href)});
      const { runMigrations } = await import(${JSON.stringify(pathToFileURL(resolve(outDir, 'runtime/admin-commands.js')).href)});
      await runMigrations(loadConfig({ FLOODGATE_DATA_DIR: ${JSON.stringify(staging)}, LOG_LEVEL: 'silent' }));`;
    execFileSync(process.execPath, ['--input-type=module', '-e', script], { stdio: 'inherit' });
    // only the database: the data dir's key-encryption key is made per data dir at its first start
    renameSync(resolve(staging, 'pgdata'), resolve(outDir, 'pglite-template'));
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}
