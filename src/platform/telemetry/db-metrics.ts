import type { LogEvent } from 'kysely';
import { registerCollectGauge } from './collect-gauge.js';
import type { Metrics } from './metrics.js';

const QUERY_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

// the statement's verb is the only safe label: SQL text would explode cardinality and may carry literals
const OPERATIONS = new Set(['select', 'insert', 'update', 'delete', 'with']);
const TRANSACTION = new Set(['begin', 'commit', 'rollback', 'savepoint', 'release', 'start']);

export function operationOf(sqlText: string): string {
  const verb = /^\s*([a-z]+)/i.exec(sqlText)?.[1]?.toLowerCase() ?? '';
  if (OPERATIONS.has(verb)) return verb;
  if (TRANSACTION.has(verb)) return 'transaction';
  return 'other';
}

/**
 * Kysely's `log` option: every statement (including those inside transactions) lands in
 * `floodgate_db_query_duration_seconds{pool,operation,result}`.
 */
export function createQueryMetricsLogger(metrics: Metrics, pool: string): (event: LogEvent) => void {
  const duration = metrics.histogram(
    'floodgate_db_query_duration_seconds',
    'Database statement duration by pool, operation (select, insert, update, delete, with, transaction, other) and result',
    ['pool', 'operation', 'result'],
    QUERY_BUCKETS,
  );
  return (event) => {
    duration.observe(
      { pool, operation: operationOf(event.query.sql), result: event.level === 'error' ? 'error' : 'ok' },
      event.queryDurationMillis / 1000,
    );
  };
}

export interface PoolStats {
  total: number;
  idle: number;
  waiting: number;
}

/** In-use, idle and waiting for one pool, read at scrape time. */
export function registerPoolGauges(metrics: Metrics, pool: string, stats: () => PoolStats): void {
  const labels = { pool };
  registerCollectGauge(metrics, 'floodgate_db_pool_connections_in_use', 'Connections checked out of the pool', () => {
    const s = stats();
    return s.total - s.idle;
  }, { labels });
  registerCollectGauge(metrics, 'floodgate_db_pool_connections_idle', 'Open connections waiting in the pool', () => stats().idle, { labels });
  registerCollectGauge(metrics, 'floodgate_db_pool_waiting', 'Callers waiting for a pool connection (pool exhausted when > 0)', () => stats().waiting, { labels });
}
