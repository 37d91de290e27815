import { auditEntry, SYSTEM_AUDIT_CONTEXT, type AuditContext, type AuditLog } from '../../platform/audit/audit-log.js';
import { generateSigningKey, type SigningKeys } from './signing-keys.js';
import type { Envelope } from '../../platform/crypto/envelope.js';
import type { SigningKeyStore } from './storage/signing-key-store.js';

export interface SigningKeyRotationDeps {
  store: SigningKeyStore;
  envelope: Envelope;
  audit: AuditLog;
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
  ({ store, envelope, audit, signingKeys, clock, onKeysChanged }: SigningKeyRotationDeps) =>
  async (by: AuditContext = SYSTEM_AUDIT_CONTEXT): Promise<{ kid: string; previousKid: string | null }> => {
    const next = await generateSigningKey(clock(), envelope);
    const { previousKid } = await store.replaceActiveSigningKey(next);
    signingKeys.invalidate();
    onKeysChanged();
    await audit.record(auditEntry(by, 'signing_key.rotated', { type: 'signing_key', id: next.kid }, { previousKid }));
    return { kid: next.kid, previousKid };
  };
