/**
 * The one place that knows what a database failure means. pg reports a lost server in several shapes (a Node
 * socket errno, a SQLSTATE from the server, or a plain Error with a fixed message from pg / pg-pool), so the
 * shapes are listed here once; everything else asks these predicates.
 */

/** Thrown by our own guards (the connect breaker, PGlite's connection wait) when the database cannot be used now. */
export class DatabaseUnavailableError extends Error {
  readonly code = 'FLOODGATE_DB_UNAVAILABLE';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'DatabaseUnavailableError';
  }
}

// Node socket errors: the server is gone, unreachable, or its name does not resolve (yet)
const NETWORK_ERRNOS = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'EHOSTDOWN',
  'ENETUNREACH',
  'ENETDOWN',
  'EAI_AGAIN',
  'ENOTFOUND',
]);

// SQLSTATEs meaning "this server cannot serve you right now", not "your statement is wrong"
const UNAVAILABLE_SQLSTATES = new Set([
  '57P01', // admin_shutdown: pg_terminate_backend, pg_ctl stop -m fast
  '57P02', // crash_shutdown: another backend crashed, the server restarts
  '57P03', // cannot_connect_now: starting up, shutting down, in recovery
  '57P05', // idle_session_timeout
  '57014', // query_canceled: our statement_timeout fired (the server is overloaded or a lock is held)
  '53000', // insufficient_resources
  '53100', // disk_full
  '53200', // out_of_memory
  '53300', // too_many_connections
  '58000', // system_error
  '58030', // io_error
]);

// pg and pg-pool raise these as plain Errors without a code
const UNAVAILABLE_MESSAGES = [
  'Connection terminated', // …unexpectedly / due to connection timeout / (client ended mid-query)
  'timeout exceeded when trying to connect', // pg-pool: no client within connectionTimeoutMillis
  'Query read timeout', // pg: query_timeout, the server did not answer (frozen, partitioned)
  'timeout expired', // pg: connectionTimeoutMillis while connecting
  'is not queryable', // pg: "Client has encountered a connection error and is not queryable"
  'Client was closed and is not queryable',
  'Connection closed', // PGlite closed under a query
];

/** Serialization failure, deadlock: the server rolled the transaction back and a rerun may well succeed. */
const CONFLICT_SQLSTATES = new Set(['40001', '40P01']);

function* chain(err: unknown): Generator<{ code?: unknown; message?: unknown }> {
  // use cases and Kysely may wrap the driver's error; look through `cause` (bounded, cycles happen)
  let current = err;
  for (let depth = 0; depth < 5 && current && typeof current === 'object'; depth++) {
    yield current as { code?: unknown; message?: unknown };
    if (current instanceof AggregateError) for (const inner of current.errors) yield* chain(inner);
    current = (current as { cause?: unknown }).cause;
  }
}

const sqlstateOf = (code: unknown) => (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : undefined);

/**
 * The database cannot serve requests right now: unreachable, restarting, frozen past the deadline, out of
 * connections. Requests answer 503 with Retry-After; /readyz answers 503.
 */
export function isDatabaseUnavailable(err: unknown): boolean {
  for (const e of chain(err)) {
    if (e instanceof DatabaseUnavailableError) return true;
    const code = typeof e.code === 'string' ? e.code : undefined;
    if (code && NETWORK_ERRNOS.has(code)) return true;
    const sqlstate = sqlstateOf(code);
    if (sqlstate && (sqlstate.startsWith('08') || UNAVAILABLE_SQLSTATES.has(sqlstate))) return true;
    if (typeof e.message === 'string' && !sqlstate && UNAVAILABLE_MESSAGES.some((m) => e.message === m || (e.message as string).includes(m))) return true;
  }
  return false;
}

/** Serialization failure (40001) or deadlock (40P01): the whole transaction may be rerun as it is. */
export function isTransactionConflict(err: unknown): boolean {
  for (const e of chain(err)) {
    const sqlstate = sqlstateOf(e.code);
    if (sqlstate && CONFLICT_SQLSTATES.has(sqlstate)) return true;
  }
  return false;
}

/** Worth another try later: the database was unavailable or the transaction lost a conflict. */
export function isTransientDatabaseError(err: unknown): boolean {
  return isDatabaseUnavailable(err) || isTransactionConflict(err);
}

// the connection died under the unit of work; a new connection may well succeed at once
const CONNECTION_LOST_SQLSTATES = new Set(['57P01', '57P02', '08000', '08003', '08006']);
const CONNECTION_LOST_ERRNOS = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED']);

function isConnectionLost(err: unknown): boolean {
  for (const e of chain(err)) {
    const code = typeof e.code === 'string' ? e.code : undefined;
    if (code && (CONNECTION_LOST_SQLSTATES.has(code) || CONNECTION_LOST_ERRNOS.has(code))) return true;
    if (!code && typeof e.message === 'string' && /^Connection terminated( unexpectedly)?$|connection error and is not queryable/.test(e.message)) return true;
  }
  return false;
}

/**
 * A unit of work that failed this way may be rerun from the start at once: a conflict, or a connection lost
 * under it. Timeouts and a refused connect are not retried: the database is down, and waiting longer only
 * holds the caller past its deadline. Rerun only idempotent units: a lost connection may have taken the
 * COMMIT with it, so the first run may in fact have committed.
 */
export function isRetryableTransactionError(err: unknown): boolean {
  return isTransactionConflict(err) || isConnectionLost(err);
}

/** One line for a log: `57P01 terminating connection due to administrator command`, never a stack. */
export function describeDatabaseError(err: unknown): string {
  const one = (e: { code?: unknown; message?: unknown }) =>
    `${typeof e.code === 'string' ? `${e.code} ` : ''}${typeof e.message === 'string' ? e.message : String(e)}`;
  const e = (err ?? {}) as { code?: unknown; message?: unknown; cause?: unknown };
  // our own wrappers (the breaker) name the outage; the driver's error under them says what happened
  const cause = e.cause && typeof e.cause === 'object' ? ` (${one(e.cause as { code?: unknown; message?: unknown })})` : '';
  return `${one(e)}${cause}`.slice(0, 300);
}
