import { existsSync } from 'node:fs';
import type { Logger } from 'pino';
import type { Config } from '../config.js';
import { secureDataDir } from '../platform/db/secure-data-dir.js';
import { createPollingWorker } from '../platform/polling-worker.js';
import type { Worker } from '../platform/service.js';

/**
 * New files and folders of this process are private to its user. PGlite ignores the umask for the
 * files of a fresh database (it writes them 0666), so the walk in secureDataDir still runs after it
 * opens; for what PostgreSQL creates later (new relations, WAL segments) the umask is what holds.
 */
export function restrictNewFiles(): void {
  try {
    process.umask(0o077);
  } catch {
    // worker threads may not change the umask; the start-time walk and the guard below still fix modes
  }
}

/** Re-checks the data directory every minute, so a file that appeared with loose modes does not stay so. */
export function createDataDirGuard({ dataDir, logger, intervalMs = 60_000 }: { dataDir: string; logger: Logger; intervalMs?: number }): Worker {
  return createPollingWorker({
    name: 'data-dir-guard',
    logger,
    idleMs: intervalMs,
    pass: async () => {
      const report = await secureDataDir(dataDir);
      if (report.fixed > 0) logger.warn({ dataDir, fixed: report.fixed }, 'data directory: tightened modes of new files to 0600/0700');
      if (report.unfixable.length > 0) logger.warn({ unfixable: report.unfixable.slice(0, 10) }, 'data directory: files readable by others could not be tightened');
      return 0;
    },
  });
}

/**
 * Whether this process keeps anything in the data dir: the embedded database, or the generated KEK.
 * A production process on PostgreSQL with FLOODGATE_KEY_ENCRYPTION_KEY set may run on a read-only
 * filesystem, so it must not create the folder; one that exists anyway (seed's demo admin) is checked.
 */
export function dataDirInUse(config: Config): boolean {
  return !config.databaseUrl || !config.keyEncryption.key || existsSync(config.dataDir);
}
