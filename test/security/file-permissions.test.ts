import { spawn } from 'node:child_process';
import { chmod, lstat, mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { KEK_FILE_NAME } from '../../src/platform/crypto/key-encryption-key.js';
import { startTestShop } from '../support/shop.js';

const BIN = fileURLToPath(new URL('../../bin/floodgate.js', import.meta.url));

/**
 * The folder of this checkout that another user cannot enter, if any: the test that runs the CLI as `nobody`
 * needs to read the code (a clone made in `mktemp -d` is 0700, and there the CLI could not even load).
 */
function closedToOthers(): string | undefined {
  for (let dir = dirname(BIN); ; dir = dirname(dir)) {
    if ((statSync(dir).mode & 0o001) === 0) return dir;
    if (dir === dirname(dir)) return undefined;
  }
}
const closedFolder = process.getuid?.() === 0 ? closedToOthers() : undefined;
if (closedFolder) {
  console.warn(`\n[floodgate tests] SKIPPING the data-dir refusal run as another user: ${closedFolder} is closed to other users (chmod o+x it, e.g. a clone made in mktemp -d).\n`);
}

/** every entry under `dir` (itself included) whose mode lets group or others in */
async function looseEntries(dir: string): Promise<string[]> {
  const loose: string[] = [];
  const visit = async (path: string) => {
    const stats = await lstat(path);
    if (stats.isSymbolicLink()) return;
    const mode = stats.mode & 0o777;
    if (stats.isDirectory() ? mode !== 0o700 : (mode & 0o077) !== 0) loose.push(`${path} ${mode.toString(8)}`);
    if (stats.isDirectory()) for (const entry of await readdir(path)) await visit(join(path, entry));
  };
  await visit(dir);
  return loose;
}

async function countEntries(dir: string): Promise<number> {
  let n = 0;
  for (const entry of await readdir(dir, { recursive: true })) if (entry) n++;
  return n;
}

/** runs the real CLI until it exits (or is killed at the deadline) */
function runCli(args: string[], env: Record<string, string>, options: { uid?: number; gid?: number } = {}) {
  return new Promise<{ code: number | null; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      env: { ...process.env, HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'warn', ...env },
      stdio: ['ignore', 'ignore', 'pipe'],
      ...options,
    });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 40_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stderr });
    });
  });
}

describe('file permissions of the data directory (secrets at rest)', { timeout: 60_000 }, () => {
  const dirs: string[] = [];
  const tempDir = async () => {
    const dir = await mkdtemp(join(tmpdir(), 'floodgate-perms-'));
    dirs.push(dir);
    return dir;
  };
  afterEach(async () => {
    await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
  });

  it('when a shop starts on a fresh data dir, then every folder is 0700 and every file 0600, the key-encryption key included', async () => {
    const dataDir = join(await tempDir(), 'fresh');
    const shop = await startTestShop('pglite', {}, { dataDir });
    try {
      // PGlite alone writes ~1,000 files 0666; all of them must have been tightened
      expect(await countEntries(join(dataDir, 'pgdata'))).toBeGreaterThan(500);
      expect(await looseEntries(dataDir)).toEqual([]);
      expect((await lstat(join(dataDir, KEK_FILE_NAME))).mode & 0o777).toBe(0o600);
    } finally {
      await shop.stop();
    }
    // what PostgreSQL wrote while running and stopping is private too
    expect(await looseEntries(dataDir)).toEqual([]);
  });

  it('when the data dir and its files are world-writable before a start, then the start fixes them to 0700/0600', async () => {
    const dataDir = await tempDir();
    await mkdir(join(dataDir, 'stray'), { mode: 0o777 });
    await writeFile(join(dataDir, 'stray', 'notes.txt'), 'x', { mode: 0o666 });
    await chmod(dataDir, 0o777);
    await chmod(join(dataDir, 'stray'), 0o777);
    await chmod(join(dataDir, 'stray', 'notes.txt'), 0o666);
    const shop = await startTestShop('pglite', {}, { dataDir });
    try {
      expect(await looseEntries(dataDir)).toEqual([]);
    } finally {
      await shop.stop();
    }
  });

  // only root can make a folder that another (unprivileged) user cannot fix
  it.skipIf(process.getuid?.() !== 0 || closedFolder !== undefined)(
    'when the data dir is world-writable and the shop user cannot change it, then the start is refused with one clear line and no stack',
    async () => {
      const dataDir = await tempDir();
      await chmod(dataDir, 0o777);
      const result = await runCli(['start', '--no-seed'], { FLOODGATE_DATA_DIR: dataDir, HOME: tmpdir() }, { uid: 65534, gid: 65534 });
      expect(result.code).toBe(1);
      const refusal = result.stderr.split('\n').filter((l) => l.startsWith('floodgate: '));
      expect(refusal).toEqual([expect.stringContaining(`${dataDir} is writable by other users (mode 0777)`)]);
      expect(result.stderr).not.toMatch(/\n\s+at /);
      // nothing was created in the refused folder
      expect(await readdir(dataDir)).toEqual([]);
    },
  );

  it('when production mode has no FLOODGATE_KEY_ENCRYPTION_KEY, then the start is refused with one clear line before anything is written', async () => {
    const dataDir = join(await tempDir(), 'prod');
    const result = await runCli(['start', '--no-seed'], {
      NODE_ENV: 'production',
      FLOODGATE_DATA_DIR: dataDir,
      FLOODGATE_KEY_ENCRYPTION_KEY: '',
      FLOODGATE_OPS_TOKEN: 'an-ops-token-for-this-test-only-0123456789',
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^floodgate: FLOODGATE_KEY_ENCRYPTION_KEY is required in production/m);
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(await readdir(dataDir).catch(() => [])).not.toContain('pgdata');
  });
});
