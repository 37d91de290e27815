import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { createPgliteDatabase } from '../../src/platform/db/database.js';
import { generateKeyEncryptionKey, KEK_FILE_NAME } from '../../src/platform/crypto/key-encryption-key.js';

const BIN = fileURLToPath(new URL('../../bin/floodgate.js', import.meta.url));
const run = promisify(execFile);

/** the real CLI; resolves with its output and exit code, whatever the code */
async function floodgate(args: string[], env: Record<string, string>) {
  try {
    const { stdout, stderr } = await run(process.execPath, [BIN, ...args], { env: { ...process.env, LOG_LEVEL: 'warn', ...env }, timeout: 60_000 });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('floodgate keys (the signing-key and key-encryption-key runbooks)', { timeout: 240_000 }, () => {
  let dataDir: string | undefined;
  afterAll(async () => {
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('when the signing key is rotated and then the KEK, then rewrap moves every key to the new KEK, and the stepped-down signing key can be retired', async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'floodgate-keys-'));
    const base = { FLOODGATE_DATA_DIR: dataDir };

    const first = await floodgate(['keys', 'rotate'], base);
    expect(first).toMatchObject({ code: 0, stdout: expect.stringMatching(/^signing with \S+; no previous key/) });
    const second = await floodgate(['keys', 'rotate'], base);
    const [, kid, previousKid] = /^signing with (\S+); (\S+) stays published/.exec(second.stdout) ?? [];
    expect(previousKid).toBeDefined();
    expect(kid).not.toBe(previousKid);

    // the all-in-one KEK was generated into the data dir; the operator moves to a configured one
    const oldKek = (await readFile(join(dataDir, KEK_FILE_NAME), 'utf8')).trim();
    const newKek = generateKeyEncryptionKey();
    const withoutPrevious = await floodgate(['keys', 'rewrap'], { ...base, FLOODGATE_KEY_ENCRYPTION_KEY: newKek });
    expect(withoutPrevious.code).toBe(1);
    expect(withoutPrevious.stderr).toMatch(/^floodgate: envelope: value sealed with key-encryption key [0-9a-f]{8}, which this process does not have/m);

    const rotating = { ...base, FLOODGATE_KEY_ENCRYPTION_KEY: newKek, FLOODGATE_PREVIOUS_KEY_ENCRYPTION_KEYS: oldKek };
    const rewrap = await floodgate(['keys', 'rewrap'], rotating);
    expect(rewrap.stdout).toContain('customers.signing_keys: 2 of 2 re-wrapped');
    expect(rewrap.stdout).toContain('customers.accounts: 0 of 0 re-wrapped');

    // the run left one audit entry by the system, with what it moved (the CLI has exited: the data dir is free)
    const db = await createPgliteDatabase(join(dataDir, 'pgdata'));
    try {
      const { rows } = await sql<{ actor_type: string; details: Record<string, unknown> }>`
        select actor_type, details from audit.entries where action = 'secrets.rewrapped'`.execute(db.kysely);
      expect(rows).toEqual([{ actor_type: 'system', details: expect.objectContaining({ rewrapped: 2 }) }]);
    } finally {
      await db.close();
    }

    // with the previous KEK dropped nothing is left to re-wrap (envelope.test.ts shows the values open),
    // and the signing-key runbook goes on: the stepped-down key is retired
    const retired = await floodgate(['keys', 'retire', previousKid!], { ...base, FLOODGATE_KEY_ENCRYPTION_KEY: newKek });
    expect(retired, `stderr: ${retired.stderr}`).toMatchObject({ code: 0, stdout: `retired ${previousKid}\n` });
  });
});
