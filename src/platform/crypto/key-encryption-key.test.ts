import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { generateKeyEncryptionKey, KEK_FILE_NAME, keyEncryptionKeyId, loadKeyEncryptionKeys } from './key-encryption-key.js';

describe('loadKeyEncryptionKeys', () => {
  const dirs: string[] = [];
  const tempDir = async () => {
    const dir = await mkdtemp(join(tmpdir(), 'floodgate-kek-'));
    dirs.push(dir);
    return dir;
  };
  afterEach(async () => {
    await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
  });

  it('when a key is configured, then it is current, its id is the first 8 hex of its sha256, and previous keys are kept for opening', async () => {
    const [key, old1, old2] = [generateKeyEncryptionKey(), generateKeyEncryptionKey(), generateKeyEncryptionKey()];
    const keys = await loadKeyEncryptionKeys({ key, previousKeys: ` ${old1}, ${old2},${key}`, production: true });
    expect(keys.current.key.equals(Buffer.from(key, 'base64'))).toBe(true);
    expect(keys.current.id).toBe(keyEncryptionKeyId(Buffer.from(key, 'base64')));
    expect(keys.current.id).toMatch(/^[0-9a-f]{8}$/);
    // the current key listed again among the previous ones is not a second entry
    expect(keys.previous.map((k) => k.id)).toEqual([old1, old2].map((k) => keyEncryptionKeyId(Buffer.from(k, 'base64'))));
  });

  it('when production has no key, then loading fails naming the variable', async () => {
    await expect(loadKeyEncryptionKeys({ production: true, dataDir: await tempDir() })).rejects.toThrow(/FLOODGATE_KEY_ENCRYPTION_KEY is required in production/);
  });

  it.each(['short', 'A'.repeat(44), `${'A'.repeat(42)}!=`, Buffer.alloc(16).toString('base64')])(
    'when the key is not base64 of 32 bytes (%s), then loading fails with a clear line',
    async (key) => {
      await expect(loadKeyEncryptionKeys({ key, production: false })).rejects.toThrow(/base64 of exactly 32 random bytes/);
    },
  );

  it('when no key is configured outside production, then one is generated into the data dir (0600) and reused on the next start', async () => {
    const dir = join(await tempDir(), 'data');
    const first = await loadKeyEncryptionKeys({ dataDir: dir, production: false });
    const file = join(dir, KEK_FILE_NAME);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect((await stat(dir)).mode & 0o777).toBe(0o700);
    const second = await loadKeyEncryptionKeys({ dataDir: dir, production: false });
    expect(second.current.id).toBe(first.current.id);
    expect(Buffer.from((await readFile(file, 'utf8')).trim(), 'base64').equals(first.current.key)).toBe(true);
  });

  it('when the generated key file is readable by others, then loading tightens it to 0600', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, KEK_FILE_NAME), generateKeyEncryptionKey(), { mode: 0o644 });
    await loadKeyEncryptionKeys({ dataDir: dir, production: false });
    expect((await stat(join(dir, KEK_FILE_NAME))).mode & 0o777).toBe(0o600);
  });

  it('when several processes start at once on a fresh data dir, then they all get the same key', async () => {
    const dir = await tempDir();
    const all = await Promise.all(Array.from({ length: 8 }, () => loadKeyEncryptionKeys({ dataDir: dir, production: false })));
    expect(new Set(all.map((k) => k.current.id)).size).toBe(1);
  });
});
