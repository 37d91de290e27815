import { sha256Hex } from './secret-tokens.js';
import type { CustomerStore } from './storage/customer-store.js';

/**
 * Ends the login the refresh token belongs to (its whole family, so tokens rotated from it die
 * too). Answers the same whether or not the token was known or the caller's: logging out must not
 * become a way to test other people's tokens (RFC 7009 behaves the same way).
 */
export const makeLogOutCustomer =
  ({ store, clock }: { store: CustomerStore; clock: () => Date }) =>
  async (input: { customerId: string; refreshToken: string }): Promise<void> => {
    const token = await store.findRefreshToken(sha256Hex(input.refreshToken));
    if (!token || token.customerId !== input.customerId) return;
    await store.revokeRefreshFamily(token.familyId, clock());
  };
