import { newId } from '../../platform/ids.js';
import { GUEST_ACCESS_TOKEN_TTL_SECONDS, type IssueAccessToken, type IssuedAccessToken } from './access-tokens.js';
import type { RecordAuthEvent } from './customers-metrics.js';
import type { CustomerStore } from './storage/customer-store.js';

export interface StartGuestSessionDeps {
  store: CustomerStore;
  issueAccessToken: IssueAccessToken;
  clock: () => Date;
  record: RecordAuthEvent;
  guestAccessTokenTtlSeconds?: number;
}

/** A guest is a real account (role guest, no email or password) so it can own carts and orders. */
export const makeStartGuestSession =
  ({ store, issueAccessToken, clock, record, guestAccessTokenTtlSeconds = GUEST_ACCESS_TOKEN_TTL_SECONDS }: StartGuestSessionDeps) =>
  async (): Promise<{ customerId: string } & IssuedAccessToken> => {
    const id = newId();
    await store.insertAccount({ id, email: null, name: null, role: 'guest', passwordHash: null, createdAt: clock() });
    record('guest_started');
    // no refresh token, see GUEST_ACCESS_TOKEN_TTL_SECONDS for why this one token lives longer;
    // its own session id, so logging the guest out revokes it
    return { customerId: id, ...(await issueAccessToken({ id, role: 'guest' }, guestAccessTokenTtlSeconds, newId())) };
  };
