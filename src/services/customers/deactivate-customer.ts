import { auditEntry, type AuditContext, type AuditLog } from '../../platform/audit/audit-log.js';
import type { RevocationList } from '../../platform/auth/revocation-list.js';
import { revocationHorizon } from './revocation-horizon.js';
import type { CustomerStore } from './storage/customer-store.js';

export type DeactivateCustomerResult = { ok: true } | { ok: false; code: 'CUSTOMERS_ACCOUNT_NOT_FOUND'; id: string };

export interface DeactivateCustomerDeps {
  store: CustomerStore;
  revocations: RevocationList;
  audit: AuditLog;
  clock: () => Date;
}

/**
 * An admin closes an account (fraud, a compromised login): it can no longer log in or refresh, and
 * every access token already issued to it stops working within the revocation staleness (≤ 1 s).
 * Idempotent: deactivating twice keeps the first time.
 */
export const makeDeactivateCustomer =
  ({ store, revocations, audit, clock }: DeactivateCustomerDeps) =>
  async (customerId: string, by: AuditContext): Promise<DeactivateCustomerResult> => {
    const now = clock();
    if (!(await store.deactivateAccount(customerId, now))) return { ok: false, code: 'CUSTOMERS_ACCOUNT_NOT_FOUND', id: customerId };
    await store.revokeRefreshTokensOf(customerId, now);
    await revocations.revokeSubject(customerId, now, revocationHorizon(now));
    // recorded on every call, a repeat included: the log answers "who asked", not "when it changed"
    await audit.record(auditEntry(by, 'account.deactivated', { type: 'account', id: customerId }));
    return { ok: true };
  };
