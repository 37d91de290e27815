import { auditEntry, type AuditContext, type AuditLog } from '../../platform/audit/audit-log.js';
import type { CustomerStore } from './storage/customer-store.js';

export type RevokeApiKeyResult = { ok: true } | { ok: false; code: 'CUSTOMERS_API_KEY_NOT_FOUND'; id: string };

export interface RevokeApiKeyDeps {
  store: CustomerStore;
  audit: AuditLog;
  clock: () => Date;
  /** drops the key from this process's authentication cache; other processes notice within its TTL */
  forgetApiKey: (keyHash: string) => void;
}

/** Idempotent: revoking a revoked key succeeds again. */
export const makeRevokeApiKey =
  ({ store, audit, clock, forgetApiKey }: RevokeApiKeyDeps) =>
  async (id: string, by: AuditContext): Promise<RevokeApiKeyResult> => {
    const revoked = await store.revokeApiKey(id, clock());
    if (!revoked) return { ok: false, code: 'CUSTOMERS_API_KEY_NOT_FOUND', id };
    forgetApiKey(revoked.keyHash);
    await audit.record(auditEntry(by, 'api_key.revoked', { type: 'api_key', id }));
    return { ok: true };
  };
