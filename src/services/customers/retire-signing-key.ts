import type { SigningKeyRotationDeps } from './rotate-signing-key.js';

export type RetireSigningKeyResult =
  | { ok: true }
  | { ok: false; code: 'CUSTOMERS_SIGNING_KEY_NOT_FOUND' | 'CUSTOMERS_SIGNING_KEY_ACTIVE'; id: string };

/** Removes a stepped-down key from the JWKS: every token it signed stops verifying. */
export const makeRetireSigningKey =
  ({ store, clock, onKeysChanged }: Omit<SigningKeyRotationDeps, 'signingKeys' | 'envelope'>) =>
  async (kid: string): Promise<RetireSigningKeyResult> => {
    const result = await store.retireSigningKey(kid, clock());
    if (result === 'not_found') return { ok: false, code: 'CUSTOMERS_SIGNING_KEY_NOT_FOUND', id: kid };
    if (result === 'active') return { ok: false, code: 'CUSTOMERS_SIGNING_KEY_ACTIVE', id: kid };
    onKeysChanged();
    return { ok: true };
  };
