import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { cpSync, existsSync, mkdtempSync, readdirSync, rmSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { currentBuildDir } from '../support/current-build.js';
import { freePort } from '../support/private-postgres.js';
import { startShopProcess } from '../support/shop-process.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BIN = join(ROOT, 'bin/floodgate.js');

/** every path under `dir`, relative to it (Node 20 has no fs.globSync) */
const filesUnder = (dir: string) => (readdirSync(dir, { recursive: true }) as string[]).map((p) => p.split('\\').join('/'));

function run(command: string, args: string[], env: Record<string, string> = {}) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
    const child = spawn(command, args, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.once('error', reject);
    child.once('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('compiled build', { timeout: 240_000 }, () => {
  // a build of our own beside dist/ (inside the repository, so node_modules is found); dist/ is left alone
  const outDir = join(ROOT, `.build-test-${randomUUID()}`);
  const env = { FLOODGATE_BUILD_DIR: outDir };

  beforeAll(async () => {
    // `npm test` has just built dist/ with the same script (tsc takes most of this file's time): a copy of a
    // current dist/ is that build. FLOODGATE_TEST_FRESH_BUILD=1, or a stale dist/, builds anew with --out-dir
    const current = process.env.FLOODGATE_TEST_FRESH_BUILD === '1' ? undefined : currentBuildDir();
    if (current) return void cpSync(current, outDir, { recursive: true });
    const build = await run(process.execPath, ['scripts/build.mjs', '--out-dir', outDir]);
    if (build.code !== 0) throw new Error(`npm run build failed:\n${build.stdout}\n${build.stderr}`);
  }, 240_000);
  afterAll(() => rmSync(outDir, { recursive: true, force: true }));

  it('when the build ran, then it holds JavaScript, every migration and the web pages, and no TypeScript or test-only files', () => {
    const sources = filesUnder(join(ROOT, 'src')).filter((f) => /\/migrations\/[^/]+\.sql$/.test(f));
    expect(sources.length).toBeGreaterThan(5);
    for (const sql of sources) expect(existsSync(join(outDir, sql)), sql).toBe(true);
    expect(existsSync(join(outDir, 'main.js'))).toBe(true);
    expect(existsSync(join(outDir, 'web/ops/index.html'))).toBe(true);
    const built = filesUnder(outDir);
    expect(built.filter((f) => f.endsWith('.ts'))).toEqual([]);
    expect(built.filter((f) => f.includes('test-migrations'))).toEqual([]);
  });

  it('when the build is current, then floodgate --help runs from it, without tsx', async () => {
    const help = await run(process.execPath, [BIN, '--help'], env);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^Usage: floodgate/);
    expect(help.stderr).toBe('');
  });

  it('when the all-in-one starts from the build, then /readyz answers 200 and the banner says it runs compiled code', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'floodgate-build-'));
    try {
      await using shop = await startShopProcess({ ...env, FLOODGATE_DATA_DIR: dataDir, LOG_LEVEL: 'warn' }, await freePort());
      expect((await fetch(`${shop.url}/readyz`)).status).toBe(200);
      expect((await fetch(`${shop.url}/ops`)).status).toBe(200); // the web page came along with the build
      expect(shop.output()).toContain(`compiled build in ${outDir}/`);
      expect(await shop.stop()).toBe(0);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('when the sources are newer than the build, then floodgate says so and runs the sources', async () => {
    const past = new Date(Date.now() - 365 * 24 * 3600_000);
    utimesSync(join(outDir, 'BUILD_STAMP'), past, past);
    const help = await run(process.execPath, [BIN, '--help'], env);
    expect(help.code).toBe(0);
    expect(help.stderr).toContain(`floodgate: ${outDir} is older than src/; running the sources with tsx`);
  });
});
