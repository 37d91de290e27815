import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { collectGarbage } from '../collect-garbage.js';
import { createQueryMetricsLogger, registerPoolGauges } from '../telemetry/db-metrics.js';
import type { Metrics } from '../telemetry/metrics.js';
import pino, { type Logger } from 'pino';
import { createAggregatedFailureLog } from '../telemetry/failure-log.js';
import { DatabaseUnavailableError, describeDatabaseError } from './database-errors.js';
import { createPgliteDialect } from './pglite-dialect.js';
import { useWasmCompiler, type WasmCompiler } from './wasm-compiler.js';
import { copyTemplateIfEmpty } from './pglite-template.js';
import { guardPool } from './postgres-pool-guard.js';
import { createPostgresListener, type PostgresListener } from './postgres-listener.js';
import { createPostgresProbe } from './postgres-probe.js';
import { waitForServer } from './wait-for-server.js';

/** One handle for both engines; stores receive it and never know which engine is behind it. */
export interface Database {
  readonly kind: 'pglite' | 'postgres';
  // Each store narrows this to its own schema's tables: `db.kysely as Kysely<CatalogTables>`.
  readonly kysely: Kysely<any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  ping(): Promise<void>;
  close(): Promise<void>;
  /** pool gauges for /metrics; PGlite has one connection */
  poolStats(): { total: number; idle: number; waiting: number };
  /** PGlite only: the whole embedded database as an uncompressed tarball (a copy; tests clone migrated databases from it) */
  dumpDataDir?(): Promise<Blob>;
  /**
   * PostgreSQL on a direct or session-pooled connection only: a connection of its own that LISTENs on `channel`
   * (postgres-listener.ts); its owner closes it. Absent on PGlite (one process: nobody else to hear) and behind a
   * transaction-pooling PgBouncer (no session to listen in) unless a direct URL is given for it
   * (DATABASE_LISTEN_URL): callers then rely on polling alone.
   */
  listen?(channel: string, onNotify: () => void): PostgresListener;
}

const INT8 = 20;
const NUMERIC = 1700;

/** Money and counts fit in 2^53; numbers are easier to reason about than strings everywhere. */
const toNumber = (value: string) => Number(value);

/** `metrics`, when given, records every statement's duration and the pool gauges (pool label `primary`). */
/**
 * `connectionWaitMs` bounds a caller's wait for the single connection (default 15 s: a queue is normal under
 * load here); `pingTimeoutMs` bounds the readiness ping (default 1 s).
 */
export async function createPgliteDatabase(
  dataDir: string | undefined,
  metrics?: Metrics,
  {
    connectionWaitMs,
    pingTimeoutMs = 1_000,
    sharedBuffersMb,
    wasmCompiler,
    loadDataDir,
    templateDir,
  }: {
    connectionWaitMs?: number;
    pingTimeoutMs?: number;
    sharedBuffersMb?: number;
    /** how V8 compiles PGlite's WebAssembly (wasm-compiler.ts); absent: V8's setting is left as it is */
    wasmCompiler?: WasmCompiler;
    /** start from a dump (`dumpDataDir`) instead of running initdb: tests clone one migrated database this way */
    loadDataDir?: Blob;
    /** an empty `dataDir` is first filled with a copy of this data dir instead of initdb (pglite-template.ts) */
    templateDir?: string;
  } = {},
): Promise<Database> {
  if (dataDir && !loadDataDir) copyTemplateIfEmpty(dataDir, templateDir);
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  if (wasmCompiler) useWasmCompiler(wasmCompiler);
  const fresh = !loadDataDir && !(dataDir && existsSync(join(dataDir, 'PG_VERSION')));
  const pglite = new PGlite(dataDir ?? 'memory://', {
    parsers: { [INT8]: toNumber, [NUMERIC]: toNumber },
    ...(loadDataDir ? { loadDataDir } : {}),
    // written to the data dir's postgresql.conf on every start, so a changed value applies to an existing dir
    ...(sharedBuffersMb ? { postgresqlconf: [`shared_buffers = ${sharedBuffersMb}MB`] } : {}),
  });
  await pglite.waitReady;
  // a fresh data dir ran initdb in a second PGlite instance whose WebAssembly memory (~0.5 GB) is garbage now;
  // left to V8 it stayed resident for minutes (RSS 700-800 MiB after a first start, 350-410 after a restart)
  if (fresh) collectGarbage();
  const kysely = new Kysely<unknown>({
    dialect: createPgliteDialect(pglite, connectionWaitMs ? { connectionWaitMs } : {}),
    ...(metrics ? { log: createQueryMetricsLogger(metrics, 'primary') } : {}),
  });
  const poolStats = () => ({ total: 1, idle: 1, waiting: 0 });
  if (metrics) registerPoolGauges(metrics, 'primary', poolStats);
  return {
    kind: 'pglite',
    kysely,
    ping: () => withDeadline(sql`select 1`.execute(kysely), pingTimeoutMs),
    close: () => kysely.destroy(),
    poolStats,
    dumpDataDir: async () => (await pglite.dumpDataDir('none')) as Blob,
  };
}

async function withDeadline(work: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new DatabaseUnavailableError(`The database did not answer within ${ms} ms`)), ms);
  });
  await Promise.race([work, deadline]).finally(() => clearTimeout(timer));
}

export interface PostgresOptions {
  connectionString: string;
  maxConnections?: number;
  /**
   * The per-statement deadline. The server cancels a statement past it (statement_timeout, the connection
   * stays usable); a server that does not answer at all (frozen, partitioned) is given 1 s more before the
   * client gives up on its own (query_timeout) and drops that connection. Either way the caller gets a
   * classified error (503), never a hang. Default 5 s.
   */
  queryTimeoutMs?: number;
  /** longest wait for a pooled connection (a busy pool), or for a new one to be set up. Default 5 s. */
  connectTimeoutMs?: number;
  /** the readiness ping's whole deadline, connect included. Default 1 s. */
  pingTimeoutMs?: number;
  /** how long startup keeps retrying an unreachable server before it gives up with a clear error. Default 30 s. */
  startupTimeoutMs?: number;
  /** records statement durations and pool gauges under the `pool` label */
  metrics?: Metrics;
  /** connection-level failures are logged here, one quiet line at a time */
  logger?: Logger;
  /** `primary` unless told (`replica` for a read pool) */
  poolName?: string;
  /** false: return at once and let the pool connect on first use (a read replica that may be down at start) */
  waitForServer?: boolean;
  /**
   * DATABASE_URL points at a transaction-pooling PgBouncer (DATABASE_POOLER=pgbouncer): no session state, so
   * statement deadlines are sent with SET LOCAL (statement-deadline.ts)
   */
  transactionPooled?: boolean;
  /**
   * PostgreSQL itself for `listen` (DATABASE_LISTEN_URL): behind a transaction-pooling bouncer the only way to
   * listen; otherwise `connectionString` is used
   */
  listenConnectionString?: string;
}

export async function createPostgresDatabase(options: PostgresOptions): Promise<Database> {
  const queryTimeoutMs = options.queryTimeoutMs ?? 5_000;
  const readTimeoutMs = queryTimeoutMs + 1_000;
  const poolName = options.poolName ?? 'primary';
  // a lost server raises an error per pooled connection and per request, hundreds a second: one line when
  // it starts, a summary per interval; all are connection-level, so no stack (it says nothing about a dead
  // socket) and the driver's cause named
  const logger: Logger = options.logger ?? pino({ enabled: false });
  const errorLog = createAggregatedFailureLog({
    logger,
    dependency: 'database',
    isTransient: () => true,
    describe: describeDatabaseError,
  });
  const connectionError = (err: unknown) => errorLog.failure('connection', err, { pool: poolName });
  const pool = new pg.Pool({
    connectionString: options.connectionString,
    max: options.maxConnections ?? 10,
    statement_timeout: queryTimeoutMs,
    query_timeout: readTimeoutMs,
    connectionTimeoutMillis: options.connectTimeoutMs ?? 5_000,
    // TCP keepalive finds a server that vanished without a FIN (host down, cable cut) on idle connections
    keepAlive: true,
    types: {
      getTypeParser: ((oid: number, format?: string) =>
        oid === INT8 || oid === NUMERIC ? toNumber : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
    },
  });
  const guarded = guardPool(pool, connectionError, { readTimeoutMs, statementTimeoutMs: queryTimeoutMs, transactionPooled: options.transactionPooled ?? false });
  const kysely = new Kysely<unknown>({
    dialect: new PostgresDialect({ pool: guarded }),
    ...(options.metrics ? { log: createQueryMetricsLogger(options.metrics, poolName) } : {}),
  });
  const probe = createPostgresProbe(options.connectionString, { timeoutMs: options.pingTimeoutMs ?? 1_000, onConnectionError: connectionError });
  const close = async () => {
    await probe.close();
    await kysely.destroy(); // ends the guarded pool, bounded even when the server is frozen
    errorLog.close();
  };
  try {
    if (options.waitForServer !== false) await waitForServer(kysely, options.startupTimeoutMs ?? 30_000, options.connectionString, options.logger);
  } catch (err) {
    await close();
    throw err;
  }
  const poolStats = () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount });
  // a transaction-pooling bouncer has no session to LISTEN in: only a direct URL given for it listens there
  const listenTo = options.listenConnectionString ?? (options.transactionPooled ? undefined : options.connectionString);
  if (options.metrics) registerPoolGauges(options.metrics, poolName, poolStats);
  return {
    kind: 'postgres',
    kysely,
    ping: () => probe.ping(),
    close,
    poolStats,
    ...(listenTo
      ? { listen: (channel: string, onNotify: () => void) => createPostgresListener({ connectionString: listenTo, channel, onNotify, logger, connectTimeoutMs: options.connectTimeoutMs ?? 5_000 }) }
      : {}),
  };
}
