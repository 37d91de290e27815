import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { createQueryMetricsLogger, registerPoolGauges } from '../telemetry/db-metrics.js';
import type { Metrics } from '../telemetry/metrics.js';
import { createPgliteDialect } from './pglite-dialect.js';

/** One handle for both engines; stores receive it and never know which engine is behind it. */
export interface Database {
  readonly kind: 'pglite' | 'postgres';
  // Each store narrows this to its own schema's tables: `db.kysely as Kysely<CatalogTables>`.
  readonly kysely: Kysely<any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  ping(): Promise<void>;
  close(): Promise<void>;
  /** pool gauges for /metrics; PGlite has one connection */
  poolStats(): { total: number; idle: number; waiting: number };
}

const INT8 = 20;
const NUMERIC = 1700;

/** Money and counts fit in 2^53; numbers are easier to reason about than strings everywhere. */
const toNumber = (value: string) => Number(value);

/** `metrics`, when given, records every statement's duration and the pool gauges (pool label `primary`). */
export async function createPgliteDatabase(dataDir: string | undefined, metrics?: Metrics): Promise<Database> {
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  const pglite = new PGlite(dataDir ?? 'memory://', {
    parsers: { [INT8]: toNumber, [NUMERIC]: toNumber },
  });
  await pglite.waitReady;
  const kysely = new Kysely<unknown>({
    dialect: createPgliteDialect(pglite),
    ...(metrics ? { log: createQueryMetricsLogger(metrics, 'primary') } : {}),
  });
  const poolStats = () => ({ total: 1, idle: 1, waiting: 0 });
  if (metrics) registerPoolGauges(metrics, 'primary', poolStats);
  return {
    kind: 'pglite',
    kysely,
    ping: async () => void (await sql`select 1`.execute(kysely)),
    close: () => kysely.destroy(),
    poolStats,
  };
}

export interface PostgresOptions {
  connectionString: string;
  maxConnections?: number;
  /** statement timeout so a stuck query cannot hold a pool slot forever */
  statementTimeoutMs?: number;
  /** records statement durations and pool gauges under the `pool` label */
  metrics?: Metrics;
  /** `primary` unless told (`replica` for a read pool) */
  poolName?: string;
}

export async function createPostgresDatabase(options: PostgresOptions): Promise<Database> {
  const pool = new pg.Pool({
    connectionString: options.connectionString,
    max: options.maxConnections ?? 10,
    statement_timeout: options.statementTimeoutMs ?? 10_000,
    connectionTimeoutMillis: 5_000,
    types: {
      getTypeParser: ((oid: number, format?: string) =>
        oid === INT8 || oid === NUMERIC ? toNumber : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
    },
  });
  const poolName = options.poolName ?? 'primary';
  const kysely = new Kysely<unknown>({
    dialect: new PostgresDialect({ pool }),
    ...(options.metrics ? { log: createQueryMetricsLogger(options.metrics, poolName) } : {}),
  });
  await sql`select 1`.execute(kysely);
  const poolStats = () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount });
  if (options.metrics) registerPoolGauges(options.metrics, poolName, poolStats);
  return {
    kind: 'postgres',
    kysely,
    ping: async () => void (await sql`select 1`.execute(kysely)),
    close: () => kysely.destroy(),
    poolStats,
  };
}
