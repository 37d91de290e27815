import { randomBytes } from 'node:crypto';
import { createEnvelope, type Envelope } from '../../src/platform/crypto/envelope.js';
import { keyEncryptionKeyId } from '../../src/platform/crypto/key-encryption-key.js';

/** A real envelope with a throw-away key-encryption key, for services built inside one test. */
export function createTestEnvelope(): Envelope {
  const key = randomBytes(32);
  return createEnvelope({ current: { id: keyEncryptionKeyId(key), key }, previous: [] });
}
