import { revocationChannel } from '../../../platform/auth/sql-revocation-list.js';

/** where the customers service keeps revoked sessions and subjects (its own schema; read by no other service) */
export const SESSION_REVOCATIONS_TABLE = 'customers.session_revocations';

/**
 * The PostgreSQL channel notified when a revocation commits. Other services' copies of the list
 * (`revocationsSince`, remote-revocation-list.ts) listen on it to ask at once instead of at their next poll: the
 * notification carries nothing, the contract call still brings the revocations.
 */
export const SESSION_REVOCATIONS_CHANNEL = revocationChannel(SESSION_REVOCATIONS_TABLE);
