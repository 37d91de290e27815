import pg from 'pg';
import { DatabaseUnavailableError } from './database-errors.js';

export interface PostgresProbe {
  /** resolves when the server answers `select 1` within the deadline; rejects with a classified error otherwise */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Readiness asks "is the server there?", so it uses a connection of its own, outside the pool: a pool busy
 * with a traffic spike must not make /readyz fail, and a frozen server must not make it wait. One ping at a
 * time (callers share it); the whole ping, connect included, is bounded by `timeoutMs`; a connection that
 * failed or timed out is dropped and the next ping connects afresh.
 */
export function createPostgresProbe(connectionString: string, { timeoutMs, onConnectionError }: { timeoutMs: number; onConnectionError: (err: unknown) => void }): PostgresProbe {
  let client: pg.Client | undefined;
  let inFlight: Promise<void> | undefined;

  const drop = (c: pg.Client | undefined) => {
    if (!c) return;
    if (client === c) client = undefined;
    // end() would wait for a goodbye a frozen server never sends
    (c as unknown as { connection?: { stream?: { destroy(): void } } }).connection?.stream?.destroy();
  };

  const pingOnce = async () => {
    let c = client;
    if (!c) {
      const fresh = new pg.Client({ connectionString, connectionTimeoutMillis: timeoutMs, query_timeout: timeoutMs, statement_timeout: timeoutMs });
      fresh.on('error', (err) => {
        onConnectionError(err);
        drop(fresh);
      });
      client = c = fresh;
      await fresh.connect();
    }
    await c.query('select 1');
  };

  const withDeadline = (work: Promise<void>) => {
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new DatabaseUnavailableError(`The database did not answer within ${timeoutMs} ms`)), timeoutMs);
    });
    return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
  };

  return {
    ping() {
      inFlight ??= withDeadline(pingOnce())
        .catch((err: unknown) => {
          drop(client);
          throw err;
        })
        .finally(() => (inFlight = undefined));
      return inFlight;
    },
    async close() {
      const c = client;
      client = undefined;
      if (!c) return;
      await withDeadline(c.end()).catch(() => drop(c));
    },
  };
}
