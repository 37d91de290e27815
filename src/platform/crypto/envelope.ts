import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';
import { StartupError } from '../startup-error.js';
import type { KeyEncryptionKeys } from './key-encryption-key.js';

/**
 * Envelope encryption for values at rest (private signing keys, personal data).
 *
 * Each value gets its own random 256-bit data key; the value is encrypted with it (AES-256-GCM) and
 * the data key is wrapped (AES-256-GCM again) by the current key-encryption key. Rotating the KEK
 * then means re-wrapping 32-byte data keys, not re-encrypting data, and a KEK id in every value says
 * which KEK opens it.
 *
 * `aad` binds a value to its place ('customers.email:<id>'): a sealed value copied into another row
 * or column fails to open, so an attacker with write access to the database cannot swap ciphertexts.
 */
export interface Envelope {
  /** 'v1.<kekId>.<wrapIv>.<wrappedDataKey>.<iv>.<ciphertext>' (base64url parts, GCM tags included) */
  seal(plaintext: string, aad: string): string;
  /** works with the current or a previous KEK; throws on tamper, wrong aad or unknown KEK */
  open(sealed: string, aad: string): string;
  /** the same value with its data key wrapped by the current KEK (unchanged if already current) */
  rewrap(sealed: string, aad: string): string;
  needsRewrap(sealed: string): boolean;
  /**
   * A keyed hash for equality lookups (login by email) without storing the value in clear:
   * HMAC-SHA256 with a key derived (HKDF) from the CURRENT KEK and `purpose`, hex.
   * It changes when the KEK rotates, so a rotation must recompute every stored blind index
   * (the rewrap of the rows that hold them opens each value and recomputes it).
   */
  blindIndex(value: string, purpose: string): string;
}

const VERSION = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;
const KEY_BYTES = 32;

/** True for values this module produced; lets a migration tell sealed rows from old plaintext ones. */
export const isSealed = (value: string) => value.startsWith(`${VERSION}.`) && value.split('.').length === 6;

const b64 = (b: Buffer) => b.toString('base64url');
const unb64 = (s: string) => Buffer.from(s, 'base64url');

function encrypt(key: Buffer, plaintext: Buffer, aad: string): { iv: Buffer; data: Buffer } {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(Buffer.from(aad, 'utf8'));
  const data = Buffer.concat([cipher.update(plaintext), cipher.final(), cipher.getAuthTag()]);
  return { iv, data };
}

function decrypt(key: Buffer, iv: Buffer, data: Buffer, aad: string): Buffer {
  if (iv.length !== IV_BYTES || data.length < TAG_BYTES) throw new Error('malformed');
  const decipher = createDecipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
  decipher.setAAD(Buffer.from(aad, 'utf8'));
  decipher.setAuthTag(data.subarray(data.length - TAG_BYTES));
  return Buffer.concat([decipher.update(data.subarray(0, data.length - TAG_BYTES)), decipher.final()]);
}

interface Parsed {
  kekId: string;
  wrapIv: Buffer;
  wrappedKey: Buffer;
  iv: Buffer;
  data: Buffer;
}

function parse(sealed: string): Parsed {
  const parts = sealed.split('.');
  if (parts.length !== 6 || parts[0] !== VERSION) throw new Error('envelope: not a sealed value (expected v1.<kekId>.…)');
  const [, kekId, wrapIv, wrappedKey, iv, data] = parts as [string, string, string, string, string, string];
  return { kekId, wrapIv: unb64(wrapIv), wrappedKey: unb64(wrappedKey), iv: unb64(iv), data: unb64(data) };
}

const format = (p: Parsed) => [VERSION, p.kekId, b64(p.wrapIv), b64(p.wrappedKey), b64(p.iv), b64(p.data)].join('.');

// the wrapped data key is bound to the KEK id it claims, so the id in a value cannot be edited
const wrapAad = (kekId: string) => `floodgate.data-key:${kekId}`;

export function createEnvelope(keys: KeyEncryptionKeys): Envelope {
  const keks = new Map([keys.current, ...keys.previous].map((k) => [k.id, k.key]));
  const blindKeys = new Map<string, Buffer>();

  const unwrap = (p: Parsed): Buffer => {
    const kek = keks.get(p.kekId);
    if (!kek) {
      // a configuration to fix, not a bug: the CLI prints it as one line
      throw new StartupError(
        `envelope: value sealed with key-encryption key ${p.kekId}, which this process does not have; ` +
          'set FLOODGATE_KEY_ENCRYPTION_KEY (or FLOODGATE_PREVIOUS_KEY_ENCRYPTION_KEYS) to the same keys on every process',
      );
    }
    try {
      return decrypt(kek, p.wrapIv, p.wrappedKey, wrapAad(p.kekId));
    } catch {
      throw new Error('envelope: the data key does not unwrap (tampered value or wrong key)');
    }
  };

  const openParsed = (p: Parsed, dataKey: Buffer, aad: string): string => {
    try {
      return decrypt(dataKey, p.iv, p.data, aad).toString('utf8');
    } catch {
      throw new Error('envelope: the value does not open (tampered, or sealed for another place)');
    }
  };

  const wrap = (dataKey: Buffer) => {
    const { iv, data } = encrypt(keys.current.key, dataKey, wrapAad(keys.current.id));
    return { kekId: keys.current.id, wrapIv: iv, wrappedKey: data };
  };

  return {
    seal(plaintext, aad) {
      const dataKey = randomBytes(KEY_BYTES);
      const { iv, data } = encrypt(dataKey, Buffer.from(plaintext, 'utf8'), aad);
      return format({ ...wrap(dataKey), iv, data });
    },

    open(sealed, aad) {
      const p = parse(sealed);
      return openParsed(p, unwrap(p), aad);
    },

    rewrap(sealed, aad) {
      const p = parse(sealed);
      if (p.kekId === keys.current.id) return sealed;
      const dataKey = unwrap(p);
      // opened once before re-wrapping, so a rewrap never launders a tampered or misplaced value
      openParsed(p, dataKey, aad);
      return format({ ...p, ...wrap(dataKey) });
    },

    needsRewrap(sealed) {
      return parse(sealed).kekId !== keys.current.id;
    },

    blindIndex(value, purpose) {
      let key = blindKeys.get(purpose);
      if (!key) {
        key = Buffer.from(hkdfSync('sha256', keys.current.key, 'floodgate.blind-index', purpose, KEY_BYTES));
        blindKeys.set(purpose, key);
      }
      return createHmac('sha256', key).update(value, 'utf8').digest('hex');
    },
  };
}
