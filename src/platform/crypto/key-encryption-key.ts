import { createHash, randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { StartupError } from '../startup-error.js';

/**
 * The top of the key hierarchy: a key-encryption key (KEK) wraps the per-value data keys that
 * envelope.ts generates. Only the current KEK wraps; previous ones are kept so values sealed before
 * a rotation still open until `floodgate keys rewrap` has moved them to the current one.
 */
export interface KeyEncryptionKeys {
  current: { id: string; key: Buffer };
  previous: { id: string; key: Buffer }[];
}

export interface LoadKeyEncryptionKeysOptions {
  /** base64 of 32 bytes (FLOODGATE_KEY_ENCRYPTION_KEY) */
  key?: string;
  /** comma-separated base64 keys still accepted for opening (FLOODGATE_PREVIOUS_KEY_ENCRYPTION_KEYS) */
  previousKeys?: string;
  /** where the all-in-one keeps a generated KEK when none is configured */
  dataDir?: string;
  production: boolean;
}

export const KEK_FILE_NAME = 'key-encryption-key';
const KEY_BYTES = 32;

/** Not secret: names the KEK inside sealed values so the right one is picked when opening. */
export const keyEncryptionKeyId = (key: Buffer) => createHash('sha256').update(key).digest('hex').slice(0, 8);

const toKek = (key: Buffer) => ({ id: keyEncryptionKeyId(key), key });

/** A fresh random KEK, base64: what an operator puts into FLOODGATE_KEY_ENCRYPTION_KEY. */
export const generateKeyEncryptionKey = () => randomBytes(KEY_BYTES).toString('base64');

// 32 bytes are 43 base64 characters plus one '='; Node's decoder also takes the url-safe alphabet
const BASE64_32_BYTES = /^[A-Za-z0-9+/_-]{43}=?$/;

function parseKey(value: string, name: string): Buffer {
  const trimmed = value.trim();
  // Buffer.from skips junk silently, so the shape is checked first: a typo must not become a weaker key
  if (!BASE64_32_BYTES.test(trimmed)) {
    throw new StartupError(`${name} must be base64 of exactly ${KEY_BYTES} random bytes (generate one with: openssl rand -base64 32)`);
  }
  return Buffer.from(trimmed, 'base64');
}

/** The all-in-one default: one KEK generated on first start, beside the database it protects. */
async function fileKey(dataDir: string): Promise<Buffer> {
  const file = join(dataDir, KEK_FILE_NAME);
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  try {
    // 'wx' fails if another process created it first; we then read that one
    await writeFile(file, generateKeyEncryptionKey() + '\n', { mode: 0o600, flag: 'wx' });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  if (((await stat(file)).mode & 0o077) !== 0) await chmod(file, 0o600);
  return parseKey(await readFile(file, 'utf8'), file);
}

/**
 * FLOODGATE_KEY_ENCRYPTION_KEY when set; required in production, where a key that lives beside the
 * data would protect nothing against a copied disk or backup. Elsewhere one is generated once into
 * <dataDir>/key-encryption-key (0600) and reused; without a data dir it is ephemeral (tests).
 */
export async function loadKeyEncryptionKeys(opts: LoadKeyEncryptionKeysOptions): Promise<KeyEncryptionKeys> {
  let current: Buffer;
  if (opts.key) current = parseKey(opts.key, 'FLOODGATE_KEY_ENCRYPTION_KEY');
  else if (opts.production) {
    throw new StartupError('FLOODGATE_KEY_ENCRYPTION_KEY is required in production (NODE_ENV=production): set it to base64 of 32 random bytes (openssl rand -base64 32)');
  } else if (opts.dataDir) current = await fileKey(opts.dataDir);
  else current = randomBytes(KEY_BYTES);

  const currentId = keyEncryptionKeyId(current);
  const previous = (opts.previousKeys ?? '')
    .split(',')
    .map((k) => k.trim())
    .filter(Boolean)
    .map((k) => toKek(parseKey(k, 'FLOODGATE_PREVIOUS_KEY_ENCRYPTION_KEYS')))
    .filter((k, i, all) => k.id !== currentId && all.findIndex((o) => o.id === k.id) === i);
  return { current: toKek(current), previous };
}
