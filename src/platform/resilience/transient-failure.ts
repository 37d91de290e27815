import { isTransientDatabaseError } from '../db/database-errors.js';

/**
 * Whether a failure is expected to go away by itself (a dependency that is down, slow or busy), as
 * opposed to one that will fail the same way every time (a payload no code can handle). The outbox
 * relay retries the first kind for as long as it lasts and parks the second kind after N attempts,
 * so a long outage never parks the events that were merely waiting for it.
 *
 * An error says it is transient by `transient: true` (or `false` to say it is not), by a class name
 * containing `Transient`, `Timeout` or `Unavailable` (`TransientPaymentError`, `DatabaseUnavailableError`),
 * or by what it is: a network error code, a database error that database-errors.ts calls transient, a
 * timeout, an open circuit breaker.
 * Causes (`cause`, AggregateError's `errors`) are looked through: transient if every leaf is.
 */
export function isTransientFailure(err: unknown): boolean {
  return leaves(err, 0).every(isTransientLeaf);
}

const NETWORK_CODES = new Set([
  'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'ENETDOWN', 'EAI_AGAIN', 'ECONNABORTED', 'ENOTCONN',
  'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED', 'UND_ERR_ABORTED',
]);

const TRANSIENT_NAMES = new Set(['TimeoutError', 'AbortError', 'BrokenCircuitError', 'IsolatedCircuitError', 'TaskCancelledError', 'BulkheadRejectedError']);

function isTransientLeaf(err: unknown): boolean {
  if (err === null || typeof err !== 'object') return false;
  const e = err as { transient?: unknown; name?: unknown; code?: unknown; message?: unknown };
  if (typeof e.transient === 'boolean') return e.transient;
  const name = typeof e.name === 'string' ? e.name : '';
  if (/Transient|Timeout|Unavailable/.test(name) || TRANSIENT_NAMES.has(name)) return true;
  const code = typeof e.code === 'string' ? e.code : '';
  if (NETWORK_CODES.has(code)) return true;
  // the database's own errors are classified in one place; only this error, its causes are leaves of their own
  return isTransientDatabaseError({ code: e.code, message: e.message });
}

/** the innermost errors: an error that says what it is counts as a leaf even if it has a cause */
function leaves(err: unknown, depth: number): unknown[] {
  if (depth > 5 || err === null || typeof err !== 'object') return [err];
  if (typeof (err as { transient?: unknown }).transient === 'boolean') return [err];
  if (err instanceof AggregateError && err.errors.length > 0) return err.errors.flatMap((inner) => leaves(inner, depth + 1));
  const cause = (err as { cause?: unknown }).cause;
  if (cause !== undefined && !isTransientLeaf(err)) return leaves(cause, depth + 1);
  return [err];
}
