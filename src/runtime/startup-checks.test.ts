import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { StartupError } from '../platform/startup-error.js';
import { EXIT_CODES } from './exit-codes.js';
import { checkDataDir, checkPortFree, migrationFailure } from './startup-checks.js';

describe('startup checks', () => {
  it('when the port is taken, then checkPortFree throws exit 4 naming the variable; once free, it passes', async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as { port: number }).port;
    const failure = await checkPortFree('127.0.0.1', port, 'PORT').catch((err: unknown) => err);
    expect(failure).toBeInstanceOf(StartupError);
    expect((failure as StartupError).exitCode).toBe(EXIT_CODES.portInUse);
    expect((failure as StartupError).message).toContain('set PORT to a free port');
    await new Promise((resolve) => server.close(resolve));
    await expect(checkPortFree('127.0.0.1', port, 'PORT')).resolves.toBeUndefined();
  });

  it('when the data dir is missing, then it is created; when it is a file, then exit 6', () => {
    const base = mkdtempSync(join(tmpdir(), 'floodgate-checks-'));
    expect(() => checkDataDir(join(base, 'new', 'dir'))).not.toThrow();
    writeFileSync(join(base, 'file'), 'x');
    expect(() => checkDataDir(join(base, 'file'))).toThrow(expect.objectContaining({ exitCode: EXIT_CODES.dataDir, message: expect.stringContaining('is a file') }));
    expect(() => checkDataDir(join(base, 'file', 'below'))).toThrow(expect.objectContaining({ exitCode: EXIT_CODES.dataDir }));
    rmSync(base, { recursive: true, force: true });
  });

  it('when a migration fails, then the failure keeps its name and says the database stays at the last good one (exit 7)', () => {
    const failure = migrationFailure(new Error('migration orders/0007_x failed: relation "y" does not exist'));
    expect(failure.exitCode).toBe(EXIT_CODES.migration);
    expect(failure.message.split('\n')).toEqual([
      'migration orders/0007_x failed: relation "y" does not exist',
      expect.stringContaining('the database stays at the last migration that succeeded'),
    ]);
  });
});
