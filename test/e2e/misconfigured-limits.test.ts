import { spawn } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const BIN = fileURLToPath(new URL('../../bin/floodgate.js', import.meta.url));

async function start(env: Record<string, string>) {
  const dataDir = await mkdtemp(join(tmpdir(), 'floodgate-limits-config-'));
  try {
    const child = spawn(process.execPath, [BIN, 'start', '--no-seed'], {
      env: { ...process.env, PORT: '0', FLOODGATE_DATA_DIR: join(dataDir, 'data'), LOG_LEVEL: 'warn', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    return { code, lines: stderr.trim().split('\n'), dataDirCreated: (await readdir(dataDir)).length > 0 };
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
}

describe('a misconfigured limit stops the process at start', () => {
  it.each([
    ['RATE_LIMIT_LOGIN_PER_ADDRESS', 'lots'],
    ['RATE_LIMIT_CHECKOUT_PER_CUSTOMER', '-3/1m'],
    ['LOGIN_LOCKOUT_MAX_SECONDS', '-1'],
  ])('when %s=%s, then it exits non-zero with one line naming the variable, before opening anything', async (name, value) => {
    const { code, lines, dataDirCreated } = await start({ [name]: value });
    expect(code).not.toBe(0);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(name);
    expect(dataDirCreated).toBe(false);
  }, 30_000);
});
