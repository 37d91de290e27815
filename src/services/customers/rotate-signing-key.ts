import { generateSigningKey, type SigningKeys } from './signing-keys.js';
import type { Envelope } from '../../platform/crypto/envelope.js';
import type { SigningKeyStore } from './storage/signing-key-store.js';

export interface SigningKeyRotationDeps {
  store: SigningKeyStore;
  envelope: Envelope;
  signingKeys: SigningKeys;
  clock: () => Date;
  /** called after the published key set changed, so this process's verifier reloads it */
  onKeysChanged: () => void;
}

/**
 * New tokens are signed with a fresh key from now on. The previous key stays in the JWKS, so tokens
 * it signed keep verifying until they expire; retire it (retire-signing-key.ts) only after the
 * longest token lifetime (the 2 h guest token) has passed.
 */
export const makeRotateSigningKey =
  ({ store, envelope, signingKeys, clock, onKeysChanged }: SigningKeyRotationDeps) =>
  async (): Promise<{ kid: string; previousKid: string | null }> => {
    const next = await generateSigningKey(clock(), envelope);
    const { previousKid } = await store.replaceActiveSigningKey(next);
    signingKeys.invalidate();
    onKeysChanged();
    return { kid: next.kid, previousKid };
  };
