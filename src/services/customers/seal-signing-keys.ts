import type { Envelope } from '../../platform/crypto/envelope.js';
import type { RewrapReport } from '../../platform/service.js';
import { privateKeyAad } from './signing-keys.js';
import type { SigningKeyStore } from './storage/signing-key-store.js';

export interface SealSigningKeysDeps {
  store: SigningKeyStore;
  envelope: Envelope;
}

/**
 * Seals every private signing key still stored in plaintext (rows from before keys were sealed)
 * and, with `rewrap`, moves every sealed one to the current key-encryption key. Idempotent and
 * safe to run from several processes at once: each row changes by compare-and-set.
 */
export const makeSealSigningKeys =
  ({ store, envelope }: SealSigningKeysDeps) =>
  async ({ rewrap }: { rewrap: boolean }): Promise<RewrapReport> => {
    const keys = await store.listAllSigningKeys();
    let changed = 0;
    for (const key of keys) {
      const aad = privateKeyAad(key.kid);
      let next: string | undefined;
      if (!key.privateKeySealed && key.legacyPrivateJwk) next = envelope.seal(JSON.stringify(key.legacyPrivateJwk), aad);
      else if (rewrap && key.privateKeySealed && envelope.needsRewrap(key.privateKeySealed)) next = envelope.rewrap(key.privateKeySealed, aad);
      // a lost compare-and-set means another process sealed or re-wrapped this row just now
      if (next && (await store.replaceSealedPrivateKey(key.kid, key.privateKeySealed, next))) changed++;
    }
    return { service: 'customers.signing_keys', scanned: keys.length, rewrapped: changed };
  };
