import type { Logger } from 'pino';
import { cachedAuthenticate } from '../platform/auth/cached-authenticate.js';
import { createJwtVerifier } from '../platform/auth/jwt-verifier.js';
import { localAuthenticate } from '../platform/auth/local-authenticate.js';
import { createRemoteRevocationList } from '../platform/auth/remote-revocation-list.js';
import type { Database } from '../platform/db/database.js';
import type { Metrics } from '../platform/telemetry/metrics.js';
import type { CustomersClient } from '../services/customers/contract/customers-client.js';
import { SESSION_REVOCATIONS_CHANNEL } from '../services/customers/contract/session-revocations.js';

/**
 * A `floodgate serve` process other than customers checks access tokens itself: the JWKS and the revocations
 * come from the customers service (a copy refreshed every 500 ms by `worker`, and at once when the customers
 * service's revocation notifies the shared PostgreSQL database that `db` can listen on), the verification and the
 * revocation lookup happen here. A flash sale's polls and a product page with a token then cost no call to
 * customers. API keys (admins only) are still resolved there, cached for 500 ms.
 */
export function verifyTokensLocally(customers: CustomersClient, logger: Logger, metrics: Metrics, db?: Pick<Database, 'listen'>) {
  const revocations = createRemoteRevocationList({
    fetchSince: (since) => customers.revocationsSince(since),
    logger: logger.child({ module: 'revocations' }),
    // absent on PGlite and behind a transaction-pooling PgBouncer: the copy then polls alone
    ...(db?.listen ? { listen: (onNotify: () => void) => db.listen!(SESSION_REVOCATIONS_CHANNEL, onNotify) } : {}),
  });
  const verifications = metrics.counter('floodgate_auth_token_signatures_total', 'Access tokens whose signature was checked here, or found among those verified before', ['how'] as const);
  // every authenticated request counts here: tallies, not a label lookup each time (metrics.ts)
  const remembered = metrics.tally(verifications, { how: 'remembered' });
  const verified = metrics.tally(verifications, { how: 'verified' });
  const verifyAccessToken = createJwtVerifier({ loadJwks: () => customers.jwks(), revocations, onSignature: (how) => (how === 'remembered' ? remembered() : verified()) });
  return {
    authenticate: localAuthenticate({ verifyAccessToken, apiKeys: cachedAuthenticate(customers.authenticate) }),
    /** a token verified here before, synchronously (the HTTP fast lane) */
    peekPrincipal: verifyAccessToken.peek,
    /** keeps the revocation copy fresh; start with the process, stop on close */
    worker: revocations.worker,
    /** true while the customers service's revocations wake the copy (for tests and operators) */
    listening: revocations.listening,
  };
}
