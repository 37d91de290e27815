import { accessSync, constants, mkdirSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import type { Config } from '../config.js';
import { StartupError } from '../platform/startup-error.js';
import { EXIT_CODES } from './exit-codes.js';

const codeOf = (err: unknown) => (err as NodeJS.ErrnoException | undefined)?.code;

/**
 * The data dir is a folder this user can write, or can be created as one. Checked before the lock and
 * the database, so a path that is a file or a read-only mount is one line, not an EACCES stack.
 */
export function checkDataDir(dataDir: string): void {
  const fix = 'point FLOODGATE_DATA_DIR at a folder this user owns';
  try {
    if (!statSync(dataDir).isDirectory()) throw new StartupError(`data dir ${dataDir} is a file, not a folder: move it away or ${fix}`, { exitCode: EXIT_CODES.dataDir });
  } catch (err) {
    if (err instanceof StartupError) throw err;
    if (codeOf(err) === 'ENOTDIR') throw new StartupError(`data dir ${dataDir}: a part of the path is a file, not a folder: ${fix}`, { exitCode: EXIT_CODES.dataDir, cause: err });
    if (codeOf(err) !== 'ENOENT') throw new StartupError(`data dir ${dataDir} cannot be read (${codeOf(err)}): ${fix}`, { exitCode: EXIT_CODES.dataDir, cause: err });
    try {
      mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    } catch (mkdirErr) {
      throw new StartupError(`data dir ${dataDir} cannot be created (${codeOf(mkdirErr)}): create it writable for this user, or ${fix}`, { exitCode: EXIT_CODES.dataDir, cause: mkdirErr });
    }
  }
  try {
    accessSync(dataDir, constants.W_OK | constants.X_OK);
  } catch (err) {
    throw new StartupError(`data dir ${dataDir} is not writable by this user (${codeOf(err)}): fix its owner or mode (chown/chmod), or ${fix}`, { exitCode: EXIT_CODES.dataDir, cause: err });
  }
}

/**
 * The port is free right now: checked before migrations and the seed, so a second shop or another
 * program on it fails in a second, not after the database work. (Port 0 = any free port: nothing to check.)
 */
export async function checkPortFree(host: string, port: number, variable: string): Promise<void> {
  if (port === 0) return;
  const probe = createServer();
  try {
    await new Promise<void>((resolve, reject) => {
      probe.once('error', reject);
      probe.listen({ host, port, exclusive: true }, resolve);
    });
  } catch (err) {
    const code = codeOf(err);
    const what = code === 'EADDRINUSE' ? 'is in use by another program' : code === 'EACCES' ? 'needs privileges this user lacks' : `cannot be bound (${code})`;
    throw new StartupError(`port ${port} on ${host} ${what}: stop that program, or set ${variable} to a free port`, { exitCode: EXIT_CODES.portInUse, cause: err });
  } finally {
    await new Promise<void>((resolve) => (probe.listening ? probe.close(() => resolve()) : resolve()));
  }
}

/** Opening the database failed: unreachable PostgreSQL (after the bounded retry) or an embedded database that will not open. */
export function databaseOpenFailure(err: unknown, config: Config): StartupError {
  if (err instanceof StartupError) return err;
  const detail = (err as Error).message ?? String(err);
  if (config.databaseUrl) {
    return new StartupError(`${detail}\n  start PostgreSQL or fix DATABASE_URL; DATABASE_STARTUP_TIMEOUT_MS sets how long the start keeps retrying`, {
      exitCode: EXIT_CODES.databaseUnreachable,
      cause: err,
    });
  }
  return new StartupError(
    `the embedded database in ${config.dataDir}/pgdata could not be opened (${detail.split('\n')[0]})\n  it may be corrupt or written by another version: restore a backup, or move the folder aside to start with a fresh shop`,
    { exitCode: EXIT_CODES.dataDir, cause: err },
  );
}

/** A migration failed: migrateAll names the schema and migration; the operator fixes the cause and starts again. */
export function migrationFailure(err: unknown): StartupError {
  if (err instanceof StartupError) return err;
  return new StartupError(
    `${(err as Error).message ?? String(err)}\n  the database stays at the last migration that succeeded: fix the cause (or restore a backup) and start again`,
    { exitCode: EXIT_CODES.migration, cause: err },
  );
}
