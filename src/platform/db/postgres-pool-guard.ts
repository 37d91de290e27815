import { circuitBreaker, ConsecutiveBreaker, ExponentialBackoff, handleWhen, BrokenCircuitError, type CircuitBreakerPolicy } from 'cockatiel';
import type { PostgresPool, PostgresPoolClient } from 'kysely';
import type pg from 'pg';
import { currentDeadline, DeadlineExceededError, type Deadline } from '../resilience/deadline.js';
import { DatabaseUnavailableError, isDatabaseUnavailable } from './database-errors.js';
import { createStatementDeadline, SERVER_CANCEL_GRACE_MS } from './statement-deadline.js';


/** the name under which a request's deadline records the database as gone (deadline.markUnavailable) */
const DEPENDENCY = 'database';

const outOfTime = (when: string) =>
  new DatabaseUnavailableError(`The request's deadline passed ${when}`, { cause: new DeadlineExceededError(`deadline passed ${when}`) });

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
 * - new connections go through a circuit breaker: after 3 consecutive refused/timed-out connects (or
 *   queries the server never answered), callers
 *   fail at once (503) and one trial connect is let through after a jittered backoff (0.2 s growing to 2 s),
 *   so an outage is neither a connect storm nor a queue of requests each waiting the full connect timeout;
 * - inside a request's deadline (src/platform/resilience/deadline.ts) the wait for a connection and each
 *   statement's client-side timeout are cut to what is left of it; a call with nothing left fails at once
 *   (503); and once this request found the database gone (breaker open, a wait ran out) its later calls
 *   fail at once too, so a request making several calls waits on an outage once, not once per call.
 *   Outside a request (workers, startup) each call keeps its own full deadline.
 * - when less of the request's time is left than the pool's `statement_timeout`, the server is told first
 *   (statement-deadline.ts): a statement slower than the request is cancelled IN PostgreSQL, its locks and
 *   CPU freed, instead of running on for a caller that gave up.
 */
export function guardPool(
  pool: pg.Pool,
  onConnectionError: (err: unknown) => void,
  { endTimeoutMs = 2_000, readTimeoutMs = Infinity, statementTimeoutMs = Infinity, transactionPooled = false } = {},
): PostgresPool {
  const reported = new WeakSet<object>();
  const report = (err: unknown) => {
    if (err && typeof err === 'object') {
      if (reported.has(err)) return;
      reported.add(err);
    }
    onConnectionError(err);
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

  // a query the server never answered (frozen, partitioned) says as much about new connections as a failed
  // connect: it counts towards opening the breaker, so the callers behind it (and their compensations) get
  // 503 at once instead of each waiting out its own deadline
  const SERVER_SILENT = 'Query read timeout';
  const countAgainstServer = (err: unknown) => void breaker.execute(() => Promise.reject(err)).catch(() => {});

  const broken = new WeakSet<pg.PoolClient>();
  const statementDeadline = createStatementDeadline(statementTimeoutMs, { transactionPooled });
  const wrappers = new WeakMap<pg.PoolClient, PostgresPoolClient>();
  const wrap = (client: pg.PoolClient): PostgresPoolClient => {
    let wrapper = wrappers.get(client);
    if (!wrapper) {
      const query = (sql: string, parameters: ReadonlyArray<unknown>) => {
        const deadline = currentDeadline();
        const refusal = deadline && refuse(deadline);
        if (refusal) {
          // the statement is never sent; a transaction open on this client is ended by dropping it
          broken.add(client);
          return Promise.reject(refusal);
        }
        const left = deadline?.remainingMs() ?? Infinity;
        const capped = left < readTimeoutMs;
        const serverMs = statementDeadline.before(client, sql, left);
        // pg reads `query_timeout` per query (client.js) though its types do not list it; when the server was
        // told the deadline it gets a moment to cancel first, so the connection stays usable
        const clientMs = Math.max(1, Math.ceil(left)) + (serverMs === undefined ? 0 : SERVER_CANCEL_GRACE_MS);
        const statement = () =>
          capped ? client.query({ text: sql, values: parameters as unknown[], query_timeout: clientMs } as pg.QueryConfig) : client.query(sql, parameters as unknown[]);
        const sent: Promise<unknown> = (
          serverMs === undefined
            ? statement()
            : statementDeadline.needsOwnTransaction(client)
              ? statementDeadline.runAlone(client, serverMs, statement)
              : statementDeadline.set(client, serverMs).then(statement)
        ).then(
          (result) => {
            statementDeadline.after(client, sql, true);
            return result;
          },
          (err: unknown) => {
            statementDeadline.after(client, sql, false);
            throw err;
          },
        );
        return sent.catch((err: unknown) => {
          // a statement the server cancelled (57014) leaves a healthy connection; anything else here does not
          if (isDatabaseUnavailable(err) && (err as { code?: unknown }).code !== '57014') {
            broken.add(client);
            report(err);
            if (err instanceof Error && err.message === SERVER_SILENT) {
              deadline?.markUnavailable(DEPENDENCY, err);
              // a wait cut short by the request's deadline says little about the server; a full one does
              if (!capped) countAgainstServer(err);
              if (capped) throw new DatabaseUnavailableError(`The database did not answer within the request's remaining ${Math.ceil(left)} ms`, { cause: err });
            }
          }
          throw err;
        });
      };
      wrapper = {
        query: query as unknown as PostgresPoolClient['query'],
        release: (destroy?: boolean) => client.release(destroy || broken.has(client) || undefined),
      };
      wrappers.set(client, wrapper);
    }
    return wrapper;
  };

  const unreachable = () =>
    new DatabaseUnavailableError('The database is unreachable; reconnecting with backoff', {
      cause: (breaker.lastFailure as { error?: unknown } | undefined)?.error,
    });

  /** why a call in this request must not start, if it must not: out of time, or the database already found gone */
  const refuse = (deadline: Deadline): Error | undefined => {
    const gone = deadline.unavailable(DEPENDENCY);
    if (gone) return new DatabaseUnavailableError('The database was unavailable earlier in this request; not waiting on it again', { cause: gone.cause });
    if (deadline.expired()) return outOfTime('before a database call');
    return undefined;
  };

  // callers queued for a connection when the breaker opens are answered at once rather than at their own
  // deadline; a client that reaches one of them later goes straight back to the pool
  const waiting = new Set<(err: Error) => void>();
  breaker.onBreak(() => {
    const giveUp = [...waiting];
    waiting.clear();
    for (const fail of giveUp) fail(unreachable());
  });

  const acquire = () =>
    new Promise<PostgresPoolClient>((resolve, reject) => {
      const deadline = currentDeadline();
      const refusal = deadline && refuse(deadline);
      if (refusal) return reject(refusal);
      let settled = false;
      let timer: NodeJS.Timeout | undefined;
      const fail = (err: Error) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        waiting.delete(fail);
        // this request saw the server gone (breaker open, connect refused or unanswered): its later calls fail
        // at once. A busy pool is not a gone server, and an expired deadline refuses later calls anyway
        if (isServerUnreachable(err)) deadline?.markUnavailable(DEPENDENCY, err);
        reject(err);
      };
      waiting.add(fail);
      // the wait is cut to the request's time; the connect itself goes on and its client is pooled
      const left = deadline?.remainingMs() ?? Infinity;
      if (left < Infinity) timer = setTimeout(() => fail(outOfTime('waiting for a database connection')), left);
      breaker.execute(() => pool.connect()).then(
        (client) => {
          waiting.delete(fail);
          if (settled) return client.release();
          settled = true;
          clearTimeout(timer);
          resolve(wrap(client));
        },
        (err: unknown) => {
          waiting.delete(fail);
          if (err instanceof BrokenCircuitError) return fail(unreachable());
          if (isDatabaseUnavailable(err)) report(err);
          fail(err as Error);
        },
      );
    });

  return {
    connect: acquire,
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
