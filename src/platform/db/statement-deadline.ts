import type pg from 'pg';

/** how much longer the client waits than the server was told, so PostgreSQL's own cancel (57014) arrives first */
export const SERVER_CANCEL_GRACE_MS = 100;

/**
 * Keeps each statement's `statement_timeout` at most what is left of the request's deadline, so a statement
 * slower than the request is cancelled by PostgreSQL itself (its locks and CPU freed) rather than only
 * abandoned by the client while it runs on.
 *
 * Cheap on the common path: nothing is sent while the request has more time left than the pool's own
 * `statement_timeout` (5 s by default, against a 10 s request deadline). Near the deadline the server is told:
 *
 * - **direct connections** (session mode): one `SET statement_timeout` precedes the statement; the next statement
 *   with time to spare (or a worker's, outside any request) sets the pool's value back. A SET inside a
 *   transaction is undone by its ROLLBACK, so after a rollback or a failed statement the connection's value is
 *   unknown and set again before it matters.
 * - **through a transaction-pooling PgBouncer** (`transactionPooled`): a session-level SET would stay on a server
 *   connection that the bouncer then lends to another client, so only `SET LOCAL` is used: inside the caller's
 *   transaction it lasts until that transaction ends; a statement outside any transaction is run in one of its
 *   own (`begin; set local …; statement; commit` — what autocommit did, plus the deadline). The pool's value is
 *   the bouncer's `connect_query` (deploy/pgbouncer/pgbouncer.ini).
 */
export function createStatementDeadline(poolTimeoutMs: number, { transactionPooled = false } = {}) {
  // session mode: what a connection runs with once we set it; a new connection runs with the pool's value
  const current = new WeakMap<pg.PoolClient, number>();
  // session mode: connections whose value is unknown (a rollback may have undone our SET)
  const unknown = new WeakSet<pg.PoolClient>();
  // pooled mode: clients inside a transaction, with the SET LOCAL value it runs with (undefined: the pool's)
  const inTransaction = new WeakMap<pg.PoolClient, number | undefined>();
  const valueOf = (client: pg.PoolClient) => {
    if (transactionPooled) return inTransaction.get(client) ?? poolTimeoutMs;
    return unknown.has(client) ? undefined : (current.get(client) ?? poolTimeoutMs);
  };
  return {
    /** the statement_timeout to set before `sql` (ms), or undefined when the connection's value will do */
    before(client: pg.PoolClient, sql: string, remainingMs: number): number | undefined {
      if (!Number.isFinite(poolTimeoutMs) || isTransactionEnd(sql)) return undefined;
      // pooled: a BEGIN is not given a transaction of its own; its first statement gets the SET LOCAL
      if (transactionPooled && isTransactionStart(sql)) return undefined;
      const wanted = remainingMs < poolTimeoutMs ? Math.max(1, Math.floor(remainingMs)) : poolTimeoutMs;
      return valueOf(client) === wanted ? undefined : wanted;
    },
    /** pooled mode, outside a transaction: the statement must run in a transaction of its own (runAlone) */
    needsOwnTransaction: (client: pg.PoolClient) => transactionPooled && !inTransaction.has(client),
    async set(client: pg.PoolClient, ms: number): Promise<void> {
      if (transactionPooled) {
        await client.query(`set local statement_timeout = ${Math.trunc(ms)}`);
        inTransaction.set(client, Math.trunc(ms));
        return;
      }
      unknown.add(client);
      await client.query(`set statement_timeout = ${Math.trunc(ms)}`);
      current.set(client, Math.trunc(ms));
      unknown.delete(client);
    },
    /** pooled mode: `statement` alone in a transaction that carries the deadline */
    async runAlone<T>(client: pg.PoolClient, ms: number, statement: () => Promise<T>): Promise<T> {
      await client.query('begin');
      try {
        await client.query(`set local statement_timeout = ${Math.trunc(ms)}`);
        const result = await statement();
        await client.query('commit');
        return result;
      } catch (err) {
        await client.query('rollback').catch(() => {});
        throw err;
      }
    },
    after(client: pg.PoolClient, sql: string, ok: boolean): void {
      if (transactionPooled) {
        if (isTransactionEnd(sql)) inTransaction.delete(client);
        else if (ok && isTransactionStart(sql)) inTransaction.set(client, undefined);
        return;
      }
      if (!ok || /^\s*rollback/i.test(sql)) unknown.add(client);
    },
  };
}

// a COMMIT or ROLLBACK must go through whatever the time: it ends the transaction and frees its locks
const isTransactionEnd = (sql: string) => /^\s*(commit|rollback|end|abort)\b/i.test(sql);
const isTransactionStart = (sql: string) => /^\s*(begin|start\s+transaction)\b/i.test(sql);
