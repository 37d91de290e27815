import type { Config } from '../config.js';
import { createEnvelope, type Envelope } from '../platform/crypto/envelope.js';
import { loadKeyEncryptionKeys } from '../platform/crypto/key-encryption-key.js';

/** The key hierarchy every process needs before it opens anything sealed (signing keys, personal data). */
export async function openEnvelope(config: Config): Promise<Envelope> {
  const keys = await loadKeyEncryptionKeys({
    ...(config.keyEncryption.key ? { key: config.keyEncryption.key } : {}),
    ...(config.keyEncryption.previousKeys ? { previousKeys: config.keyEncryption.previousKeys } : {}),
    dataDir: config.dataDir,
    production: config.production,
  });
  return createEnvelope(keys);
}
