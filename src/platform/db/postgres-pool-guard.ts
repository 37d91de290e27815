import { circuitBreaker, ConsecutiveBreaker, ExponentialBackoff, handleWhen, BrokenCircuitError, type CircuitBreakerPolicy } from 'cockatiel';
import type { PostgresPool, PostgresPoolClient } from 'kysely';
import type pg from 'pg';
import type { DatabaseErrorLog } from './database-error-log.js';
import { DatabaseUnavailableError, isDatabaseUnavailable } from './database-errors.js';


// pg-pool's "no free client in time" is the pool being busy, not the server being gone: it must not open the breaker
const POOL_WAIT_TIMEOUT = 'timeout exceeded when trying to connect';

/** The connect failed because the server is unreachable (refused, reset, no answer, starting up). */
const isServerUnreachable = (err: unknown) => isDatabaseUnavailable(err) && !(err instanceof Error && err.message === POOL_WAIT_TIMEOUT);

/**
 * Wraps a pg Pool for Kysely so that a database that goes away costs requests a fast, classified error and
 * never the process:
 * - every client carries an 'error' listener for its whole life. pg emits 'error' on a client whose socket
 *   dies even while it is checked out, and pg-pool only listens while it is idle: without ours, a backend
 *   terminated between two statements of a transaction was an uncaught exception;
 * - a client whose query hit the deadline or lost its server is destroyed on release, not pooled again:
 *   its socket may still owe an answer to a frozen server, and the next query would queue behind it;
 * - new connections go through a circuit breaker: after 3 consecutive refused/timed-out connects, callers
 *   fail at once (503) and one trial connect is let through after a jittered backoff (0.2 s growing to 2 s),
 *   so an outage is neither a connect storm nor a queue of requests each waiting the full connect timeout.
 */
export function guardPool(pool: pg.Pool, errorLog: DatabaseErrorLog, { endTimeoutMs = 2_000 } = {}): PostgresPool {
  const reported = new WeakSet<object>();
  const report = (err: unknown) => {
    if (err && typeof err === 'object') {
      if (reported.has(err)) return;
      reported.add(err);
    }
    errorLog.report(err);
  };
  const clients = new Set<pg.PoolClient>();
  pool.on('error', report);
  pool.on('connect', (client) => {
    clients.add(client as pg.PoolClient);
    client.on('error', report);
    client.once('end', () => clients.delete(client as pg.PoolClient));
  });

  const breaker: CircuitBreakerPolicy = circuitBreaker(handleWhen(isServerUnreachable), {
    halfOpenAfter: new ExponentialBackoff({ initialDelay: 200, maxDelay: 2_000 }),
    breaker: new ConsecutiveBreaker(3),
  });

  const broken = new WeakSet<pg.PoolClient>();
  const wrappers = new WeakMap<pg.PoolClient, PostgresPoolClient>();
  const wrap = (client: pg.PoolClient): PostgresPoolClient => {
    let wrapper = wrappers.get(client);
    if (!wrapper) {
      wrapper = {
        query: ((sql: string, parameters: ReadonlyArray<unknown>) =>
          client.query(sql, parameters as unknown[]).catch((err: unknown) => {
            // a statement the server cancelled (57014) leaves a healthy connection; anything else here does not
            if (isDatabaseUnavailable(err) && (err as { code?: unknown }).code !== '57014') {
              broken.add(client);
              report(err);
            }
            throw err;
          })) as unknown as PostgresPoolClient['query'],
        release: (destroy?: boolean) => client.release(destroy || broken.has(client) || undefined),
      };
      wrappers.set(client, wrapper);
    }
    return wrapper;
  };

  return {
    async connect() {
      try {
        return wrap(await breaker.execute(() => pool.connect()));
      } catch (err) {
        if (err instanceof BrokenCircuitError) {
          throw new DatabaseUnavailableError('The database is unreachable; reconnecting with backoff', {
            cause: (breaker.lastFailure as { error?: unknown } | undefined)?.error,
          });
        }
        if (isDatabaseUnavailable(err)) report(err);
        throw err;
      }
    },
    /** ends the pool, waiting at most `endTimeoutMs` for the server to say goodbye (a frozen server never does) */
    async end() {
      let timer: NodeJS.Timeout | undefined;
      const gaveUp = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), endTimeoutMs)));
      const outcome = await Promise.race([pool.end().then(() => 'ended' as const, () => 'ended' as const), gaveUp]);
      clearTimeout(timer);
      if (outcome === 'timeout') {
        // pg ends a client by waiting for the server to close the socket; a frozen server never does
        for (const client of clients) (client as unknown as { connection?: { stream?: { destroy(): void } } }).connection?.stream?.destroy();
      }
    },
  };
}
