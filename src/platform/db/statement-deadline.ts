import type pg from 'pg';

/** how much longer the client waits than the server was told, so PostgreSQL's own cancel (57014) arrives first */
export const SERVER_CANCEL_GRACE_MS = 100;

/**
 * Keeps each pooled connection's `statement_timeout` at most what is left of the request's deadline, so a
 * statement slower than the request is cancelled by PostgreSQL itself (its locks and CPU freed) rather than
 * only abandoned by the client while it runs on.
 *
 * Cheap on the common path: nothing is sent while the request has more time left than the pool's own
 * `statement_timeout` (5 s by default, against a 10 s request deadline). Near the deadline one
 * `SET statement_timeout` precedes the statement; the next statement with time to spare (or a worker's, outside
 * any request) sets the pool's value back. A SET inside a transaction is undone by its ROLLBACK, so after a
 * rollback or a failed statement the connection's value is unknown and set again before it matters.
 */
export function createStatementDeadline(poolTimeoutMs: number) {
  // what a connection runs with once we set it; a new connection runs with the pool's value
  const current = new WeakMap<pg.PoolClient, number>();
  // connections whose value is unknown: a rollback may have undone our SET
  const unknown = new WeakSet<pg.PoolClient>();
  const valueOf = (client: pg.PoolClient) => (unknown.has(client) ? undefined : (current.get(client) ?? poolTimeoutMs));
  return {
    /** the statement_timeout to set before `sql` (ms), or undefined when the connection's value will do */
    before(client: pg.PoolClient, sql: string, remainingMs: number): number | undefined {
      if (!Number.isFinite(poolTimeoutMs) || isTransactionEnd(sql)) return undefined;
      const wanted = remainingMs < poolTimeoutMs ? Math.max(1, Math.floor(remainingMs)) : poolTimeoutMs;
      return valueOf(client) === wanted ? undefined : wanted;
    },
    async set(client: pg.PoolClient, ms: number): Promise<void> {
      unknown.add(client);
      await client.query(`set statement_timeout = ${Math.trunc(ms)}`);
      current.set(client, Math.trunc(ms));
      unknown.delete(client);
    },
    after(client: pg.PoolClient, sql: string, ok: boolean): void {
      if (!ok || /^\s*rollback/i.test(sql)) unknown.add(client);
    },
  };
}

// a COMMIT or ROLLBACK must go through whatever the time: it ends the transaction and frees its locks
const isTransactionEnd = (sql: string) => /^\s*(commit|rollback)/i.test(sql);
