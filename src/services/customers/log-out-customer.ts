import type { RevocationList } from '../../platform/auth/revocation-list.js';
import { revocationHorizon } from './revocation-horizon.js';
import { sha256Hex } from './secret-tokens.js';
import type { CustomerStore } from './storage/customer-store.js';

export interface LogOutCustomerDeps {
  store: CustomerStore;
  revocations: RevocationList;
  clock: () => Date;
}

/**
 * Ends the session of the access token used to call (its `sid`: every access token of that login
 * or guest visit stops working) and the login the refresh token belongs to (its whole family, so
 * tokens rotated from it die too). Answers the same whether or not the refresh token was known or
 * the caller's: logging out must not become a way to test other people's tokens (RFC 7009).
 */
export const makeLogOutCustomer =
  ({ store, revocations, clock }: LogOutCustomerDeps) =>
  async (input: { customerId: string; sessionId?: string; refreshToken?: string }): Promise<void> => {
    const now = clock();
    if (input.sessionId) await revocations.revokeSession(input.sessionId, revocationHorizon(now));
    if (!input.refreshToken) return;
    const token = await store.findRefreshToken(sha256Hex(input.refreshToken));
    if (!token || token.customerId !== input.customerId) return;
    await store.revokeRefreshFamily(token.familyId, now);
    if (token.familyId !== input.sessionId) await revocations.revokeSession(token.familyId, revocationHorizon(now));
  };
