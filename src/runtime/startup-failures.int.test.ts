import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { cloneMigratedShopDatabase } from '../../test/support/pglite-templates.js';
import { freePort } from '../../test/support/private-postgres.js';
import { startShopProcess, type ShopProcess } from '../../test/support/shop-process.js';
import { EXIT_CODES } from './exit-codes.js';
import { LOCK_FILE } from './data-dir-lock.js';
import { tempDirs } from '../../test/support/temp-dirs.js';

const BIN = fileURLToPath(new URL('../../bin/floodgate.js', import.meta.url));
const tempDir = tempDirs('floodgate-startup-');

/** `floodgate start --no-seed` to its end: the exit code and what it wrote to stderr */
function runStart(env: Record<string, string>): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(process.execPath, [BIN, 'start', '--no-seed'], {
    env: { ...process.env, HOST: '127.0.0.1', LOG_LEVEL: 'warn', LOG_FORMAT: 'json', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const killer = setTimeout(() => child.kill('SIGKILL'), 90_000);
  return new Promise((resolve) =>
    child.once('exit', (code) => {
      clearTimeout(killer);
      resolve({ code, stderr });
    }),
  );
}

/** the lines after the "Starting Floodgate" header and progress lines (and bin's note on a stale build): what the failure said */
const failureLines = (stderr: string) =>
  stderr.split('\n').filter((l) => l && !l.startsWith('Starting Floodgate') && !l.startsWith('  … ') && !l.includes('running the sources with tsx'));

/** a pid no process has: one that just exited */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '']);
  await new Promise((resolve) => child.once('exit', resolve));
  return child.pid!;
}

/**
 * A data dir a shop ran in and then stopped cleanly: the first test leaves one behind, and the corrupt-database
 * test breaks it instead of paying for a second shop start (initdb and migrations) of its own; run alone, it
 * starts that shop itself.
 */
let stoppedDataDir: string | undefined;
async function dataDirOfAStoppedShop(): Promise<string> {
  if (stoppedDataDir) return stoppedDataDir;
  const dataDir = tempDir();
  const shop = await startShopProcess({ FLOODGATE_DATA_DIR: dataDir }, await freePort());
  expect(await shop.stop()).toBe(0);
  return dataDir;
}

const cleanups: Array<() => Promise<unknown> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

describe('floodgate start, one process per data dir', () => {
  it('when a second start uses a running shop\'s data dir, then it exits 3 naming the holder, and the first keeps serving its data', async () => {
    const dataDir = tempDir();
    await cloneMigratedShopDatabase(dataDir); // a migrated copy instead of initdb: the lock is what this is about
    // a crash left a lock behind: its pid is gone, so the first start takes it over
    writeFileSync(join(dataDir, LOCK_FILE), `${await deadPid()}\n`);
    const first: ShopProcess = await startShopProcess({ FLOODGATE_DATA_DIR: dataDir }, await freePort());
    cleanups.push(() => first.kill());
    expect(readFileSync(join(dataDir, LOCK_FILE), 'utf8').trim()).toBe(String(first.child.pid));
    const before = await (await fetch(`${first.url}/v1/categories`)).text();

    const second = await runStart({ FLOODGATE_DATA_DIR: dataDir, PORT: String(await freePort()) });

    expect(second.code).toBe(EXIT_CODES.dataDirLocked);
    expect(failureLines(second.stderr)).toEqual([expect.stringContaining(`in use by another floodgate process (pid ${first.child.pid})`)]);
    expect((await fetch(`${first.url}/readyz`)).status).toBe(200);
    expect(await (await fetch(`${first.url}/v1/categories`)).text()).toBe(before);
    expect(readFileSync(join(dataDir, LOCK_FILE), 'utf8').trim()).toBe(String(first.child.pid));

    expect(await first.stop()).toBe(0);
    expect(existsSync(join(dataDir, LOCK_FILE))).toBe(false);
    stoppedDataDir = dataDir;
  }, 180_000);
});

describe('floodgate start, clean failures', () => {
  it('when the port is taken, then it exits 4 with one line before opening the database, and releases the lock', async () => {
    const port = await freePort();
    const blocker: Server = createServer();
    await new Promise<void>((resolve) => blocker.listen(port, '127.0.0.1', resolve));
    cleanups.push(() => new Promise((resolve) => blocker.close(resolve)));
    const dataDir = tempDir();

    const run = await runStart({ FLOODGATE_DATA_DIR: dataDir, PORT: String(port) });

    expect(run.code).toBe(EXIT_CODES.portInUse);
    expect(failureLines(run.stderr)).toEqual([`floodgate: port ${port} on 127.0.0.1 is in use by another program: stop that program, or set PORT to a free port`]);
    expect(existsSync(join(dataDir, 'pgdata'))).toBe(false);
    expect(existsSync(join(dataDir, LOCK_FILE))).toBe(false);
  }, 120_000);

  it('when LOG_LEVEL=debug, then the failure line is followed by the stack', async () => {
    const port = await freePort();
    const blocker: Server = createServer();
    await new Promise<void>((resolve) => blocker.listen(port, '127.0.0.1', resolve));
    cleanups.push(() => new Promise((resolve) => blocker.close(resolve)));

    const run = await runStart({ FLOODGATE_DATA_DIR: tempDir(), PORT: String(port), LOG_LEVEL: 'debug' });

    expect(run.code).toBe(EXIT_CODES.portInUse);
    expect(run.stderr).toContain('EADDRINUSE');
    expect(run.stderr).toMatch(/\n\s+at /);
  }, 120_000);

  it('when the data dir is a file, then it exits 6 with one line', async () => {
    const file = join(tempDir(), 'not-a-folder');
    writeFileSync(file, 'x');

    const run = await runStart({ FLOODGATE_DATA_DIR: file, PORT: String(await freePort()) });

    expect(run.code).toBe(EXIT_CODES.dataDir);
    expect(failureLines(run.stderr)).toEqual([expect.stringMatching(/^floodgate: data dir .*not-a-folder is a file, not a folder/)]);
  }, 120_000);

  it('when the embedded database is corrupt, then it exits 6 with what failed and what to do', async () => {
    const dataDir = await dataDirOfAStoppedShop();
    writeFileSync(join(dataDir, 'pgdata', 'global', 'pg_control'), 'garbage');

    const run = await runStart({ FLOODGATE_DATA_DIR: dataDir, PORT: String(await freePort()) });

    expect(run.code).toBe(EXIT_CODES.dataDir);
    const lines = failureLines(run.stderr);
    expect(lines[0]).toMatch(/^floodgate: the embedded database in .* could not be opened/);
    expect(lines[1]).toMatch(/restore a backup, or move the folder aside/);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  }, 180_000);

  it('when PostgreSQL does not answer within the startup retry, then it exits 5 naming the server and the fix', async () => {
    const port = await freePort(); // nothing listens there

    const run = await runStart({
      FLOODGATE_DATA_DIR: tempDir(),
      PORT: String(await freePort()),
      DATABASE_URL: `postgres://postgres@127.0.0.1:${port}/shop`,
      DATABASE_STARTUP_TIMEOUT_MS: '600',
    });

    expect(run.code).toBe(EXIT_CODES.databaseUnreachable);
    const lines = failureLines(run.stderr).filter((l) => !l.startsWith('{')); // the retry's warn log lines are JSON
    expect(lines[0]).toMatch(new RegExp(`^floodgate: PostgreSQL at 127\\.0\\.0\\.1:${port}/shop is not usable `));
    expect(lines[1]).toMatch(/start PostgreSQL or fix DATABASE_URL/);
    expect(lines).toHaveLength(2);
  }, 120_000);
});
