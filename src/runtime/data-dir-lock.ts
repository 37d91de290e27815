import { closeSync, mkdirSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { StartupError } from '../platform/startup-error.js';
import { EXIT_CODES } from './exit-codes.js';

export const LOCK_FILE = 'floodgate.lock';

/** lock files this process holds, to tell its own lock from one an earlier process with the same pid left */
const heldHere = new Set<string>();

export interface DataDirLock {
  file: string;
  release(): void;
}

/** Another live process holds the data dir: the embedded database must never be opened twice. */
export class DataDirLockedError extends StartupError {
  constructor(
    readonly dataDir: string,
    readonly holderPid: number,
  ) {
    super(
      `data dir ${dataDir} is in use by another floodgate process (pid ${holderPid}): stop that process first, or point FLOODGATE_DATA_DIR at another folder`,
      { exitCode: EXIT_CODES.dataDirLocked },
    );
  }
}

/** alive = the pid exists (EPERM: it exists but belongs to someone else, still alive) */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readHolder(file: string): number | undefined {
  try {
    const pid = Number.parseInt(readFileSync(file, 'utf8').trim(), 10);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Takes `<dataDir>/floodgate.lock` with this process's pid (O_EXCL create, so two starts never both win).
 * A lock whose pid is gone (a crash, a SIGKILL) is taken over; one whose pid is alive refuses the start.
 * The lock goes away on release, on process exit, and on a SIGINT/SIGTERM/SIGHUP nobody else handles
 * (during startup, before the CLI installs its draining handlers).
 */
export function acquireDataDirLock(dataDir: string, { pid = process.pid }: { pid?: number } = {}): DataDirLock {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const file = join(dataDir, LOCK_FILE);
  for (let attempt = 0; ; attempt++) {
    try {
      const fd = openSync(file, 'wx', 0o600);
      try {
        writeSync(fd, `${pid}\n`);
      } finally {
        closeSync(fd);
      }
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const holder = readHolder(file);
      // an empty file: a holder between its create and its write; give it that moment, then treat as stale
      // our own pid: held by this process (a second open), or left by an earlier life of the same pid
      // (a container's pid 1 after a crash), which is stale
      if (holder === pid ? heldHere.has(file) : holder !== undefined && alive(holder)) throw new DataDirLockedError(dataDir, holder!);
      if (attempt >= 2) throw new DataDirLockedError(dataDir, holder ?? 0);
      try {
        unlinkSync(file); // stale: its process is gone
      } catch {
        // another starter removed it first; the next O_EXCL create decides
      }
    }
  }

  heldHere.add(file);
  let released = false;
  const release = () => {
    if (released) return;
    released = true;
    heldHere.delete(file);
    process.off('exit', release);
    for (const [signal, handler] of handlers) process.off(signal, handler);
    // only our own lock: a stale-lock takeover by another process must not be undone
    if (readHolder(file) === pid) {
      try {
        unlinkSync(file);
      } catch {
        // already gone
      }
    }
  };
  const handlers = (['SIGINT', 'SIGTERM', 'SIGHUP'] as const).map((signal) => {
    const handler = () => {
      // someone else (the CLI's drain) handles this signal and exits: the exit hook releases then
      if (process.listenerCount(signal) > 1) return;
      release(); // also removes this handler, so the signal below ends the process the default way
      process.kill(process.pid, signal);
    };
    return [signal, handler] as const;
  });
  process.once('exit', release);
  // `on`, not `once`: a once-listener is removed before it runs, and would then count the CLI's handler as the only one
  for (const [signal, handler] of handlers) process.on(signal, handler);
  return { file, release };
}
