import { auditEntry, SYSTEM_AUDIT_CONTEXT, type AuditContext } from '../../platform/audit/audit-log.js';
import type { SigningKeyRotationDeps } from './rotate-signing-key.js';

export type RetireSigningKeyResult =
  | { ok: true }
  | { ok: false; code: 'CUSTOMERS_SIGNING_KEY_NOT_FOUND' | 'CUSTOMERS_SIGNING_KEY_ACTIVE'; id: string };

/** Removes a stepped-down key from the JWKS: every token it signed stops verifying. */
export const makeRetireSigningKey =
  ({ store, audit, clock, onKeysChanged }: Omit<SigningKeyRotationDeps, 'signingKeys' | 'envelope'>) =>
  async (kid: string, by: AuditContext = SYSTEM_AUDIT_CONTEXT): Promise<RetireSigningKeyResult> => {
    const result = await store.retireSigningKey(kid, clock());
    if (result === 'not_found') return { ok: false, code: 'CUSTOMERS_SIGNING_KEY_NOT_FOUND', id: kid };
    if (result === 'active') return { ok: false, code: 'CUSTOMERS_SIGNING_KEY_ACTIVE', id: kid };
    onKeysChanged();
    await audit.record(auditEntry(by, 'signing_key.retired', { type: 'signing_key', id: kid }));
    return { ok: true };
  };
