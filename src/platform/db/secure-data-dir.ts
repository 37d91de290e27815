import { chmod, lstat, mkdir, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { StartupError } from '../startup-error.js';

/**
 * The data directory holds the embedded database, the generated key-encryption key and the demo
 * admin's password: anyone who can read it can copy the shop, anyone who can write it can change
 * it. So folders are 0700 and files 0600, checked and fixed on every start.
 */
export class InsecureDataDirError extends StartupError {
  constructor(readonly path: string, readonly mode: number) {
    super(
      `${path} is writable by other users (mode ${mode.toString(8).padStart(4, '0')}) and this user cannot change that; ` +
        `run \`chmod -R go-rwx ${path}\` as its owner, or point FLOODGATE_DATA_DIR at a folder this user owns`,
    );
  }

  override name = 'InsecureDataDirError';
}

export interface SecureDataDirReport {
  checked: number;
  /** entries whose mode was tightened */
  fixed: number;
  /** entries readable by others that could not be tightened (not writable: those refuse the start) */
  unfixable: string[];
}

const OTHERS = 0o077;
const OTHERS_WRITE = 0o022;

/**
 * Creates `dir` (0700) if missing, then walks it: every folder to 0700, every file to 0600.
 * Symlinks are not followed, so a link cannot make us change modes outside the folder.
 * Throws InsecureDataDirError when something stays group- or world-writable.
 */
export async function secureDataDir(dir: string): Promise<SecureDataDirReport> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const report: SecureDataDirReport = { checked: 0, fixed: 0, unfixable: [] };

  const visit = async (path: string): Promise<void> => {
    let stats;
    try {
      stats = await lstat(path);
    } catch (err) {
      // the database removes temporary files while we walk
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw err;
    }
    if (stats.isSymbolicLink()) return;
    report.checked++;
    const mode = stats.mode & 0o7777;
    if ((mode & OTHERS) !== 0) {
      try {
        await chmod(path, stats.isDirectory() ? 0o700 : mode & 0o700);
        report.fixed++;
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        if (code === 'ENOENT') return;
        if ((mode & OTHERS_WRITE) !== 0) throw new InsecureDataDirError(path, mode);
        report.unfixable.push(path);
      }
    }
    if (stats.isDirectory()) {
      const entries = await readdir(path).catch((err: NodeJS.ErrnoException) => {
        if (err.code === 'ENOENT') return [] as string[];
        throw err;
      });
      for (const entry of entries) await visit(join(path, entry));
    }
  };

  await visit(dir);
  return report;
}
