import type { PGlite } from '@electric-sql/pglite';
import {
  CompiledQuery,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  type DatabaseConnection,
  type Dialect,
  type Driver,
  type Kysely,
  type QueryResult,
  type TransactionSettings,
} from 'kysely';
import { DatabaseUnavailableError } from './database-errors.js';

/**
 * Kysely dialect for PGlite. PGlite has exactly one connection, so the driver hands it to one
 * caller at a time: a transaction holds it from BEGIN to COMMIT, and nobody else's statement can
 * land inside it; a caller waits at most `connectionWaitMs` for it. (kysely-pglite shares the connection between transactions and reports
 * cumulative affected-row counts; both break conditional stock updates.)
 */
export function createPgliteDialect(pglite: PGlite, { connectionWaitMs = 15_000 } = {}): Dialect {
  return {
    createAdapter: () => new PostgresAdapter(),
    createDriver: () => new PgliteDriver(pglite, connectionWaitMs),
    createIntrospector: (db: Kysely<unknown>) => new PostgresIntrospector(db),
    createQueryCompiler: () => new PostgresQueryCompiler(),
  };
}

const MUTATING = new Set(['INSERT', 'UPDATE', 'DELETE', 'MERGE']);

class PgliteConnection implements DatabaseConnection {
  constructor(private readonly pglite: PGlite) {}

  async executeQuery<R>(compiled: CompiledQuery): Promise<QueryResult<R>> {
    if (compiled.parameters.length === 0) {
      // exec speaks the simple protocol, so migration files with several statements work.
      // Its affectedRows is cumulative across statements, so only a single result is trusted.
      const results = await this.pglite.exec(compiled.sql);
      const last = results[results.length - 1];
      const single = results.length === 1 && last !== undefined;
      return {
        rows: (last?.rows ?? []) as R[],
        ...(single && MUTATING.has(String(commandOf(last)).toUpperCase())
          ? { numAffectedRows: BigInt(last.affectedRows ?? 0) }
          : {}),
      };
    }
    const result = await this.pglite.query<R>(compiled.sql, compiled.parameters as unknown[]);
    const command = commandOf(result);
    return {
      rows: result.rows,
      ...(MUTATING.has(String(command).toUpperCase()) ? { numAffectedRows: BigInt(result.affectedRows ?? 0) } : {}),
    };
  }

  // eslint-disable-next-line require-yield
  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error('PGlite driver does not support streaming; page with a cursor instead');
  }
}

function commandOf(result: unknown): string | undefined {
  return (result as { command?: string }).command;
}

/**
 * A FIFO lock: waiters are served in arrival order so no query starves behind a busy loop. A waiter gives up
 * after `waitMs` with a classified error (503), so a transaction that holds the connection too long costs the
 * callers behind it an answer, never a hang.
 */
class ConnectionLock {
  private busy = false;
  private readonly waiters: Array<() => void> = [];

  constructor(private readonly waitMs: number) {}

  acquire(): Promise<void> {
    if (!this.busy) {
      this.busy = true;
      return Promise.resolve();
    }
    return new Promise<void>((resolve, reject) => {
      const grant = () => {
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(() => {
        const index = this.waiters.indexOf(grant);
        if (index !== -1) this.waiters.splice(index, 1);
        reject(new DatabaseUnavailableError(`The embedded database stayed busy for ${this.waitMs} ms; retry shortly`));
      }, this.waitMs);
      this.waiters.push(grant);
    });
  }

  release(): void {
    const next = this.waiters.shift();
    if (next) next();
    else this.busy = false;
  }
}

class PgliteDriver implements Driver {
  private readonly lock: ConnectionLock;
  private readonly connection: PgliteConnection;

  constructor(
    private readonly pglite: PGlite,
    connectionWaitMs: number,
  ) {
    this.lock = new ConnectionLock(connectionWaitMs);
    this.connection = new PgliteConnection(pglite);
  }

  async init(): Promise<void> {
    await this.pglite.waitReady;
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    await this.lock.acquire();
    return this.connection;
  }

  async beginTransaction(conn: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    const isolation = settings.isolationLevel ? ` isolation level ${settings.isolationLevel}` : '';
    await conn.executeQuery(CompiledQuery.raw(`begin${isolation}`));
  }

  async commitTransaction(conn: DatabaseConnection): Promise<void> {
    await conn.executeQuery(CompiledQuery.raw('commit'));
  }

  async rollbackTransaction(conn: DatabaseConnection): Promise<void> {
    await conn.executeQuery(CompiledQuery.raw('rollback'));
  }

  async releaseConnection(_conn: DatabaseConnection): Promise<void> {
    this.lock.release();
  }

  async destroy(): Promise<void> {
    await this.pglite.close();
  }
}
