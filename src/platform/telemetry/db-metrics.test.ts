import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { sampleValue } from '../../../test/telemetry/prom-text.js';
import { createPgliteDatabase } from '../db/database.js';
import { operationOf } from './db-metrics.js';
import { createMetrics } from './metrics.js';

describe('database metrics', () => {
  it('when statements run, inside and outside a transaction, then their durations are recorded by operation and result', async () => {
    const metrics = createMetrics('test');
    const db = await createPgliteDatabase(undefined, metrics);
    try {
      await sql`create table t (id int primary key)`.execute(db.kysely);
      await db.kysely.transaction().execute(async (trx) => {
        await sql`insert into t values (1)`.execute(trx);
      });
      await sql`select * from t`.execute(db.kysely);
      await expect(sql`select * from missing_table`.execute(db.kysely)).rejects.toThrow();
      const text = await metrics.registry.metrics();
      expect(sampleValue(text, 'floodgate_db_query_duration_seconds_count', { pool: 'primary', operation: 'insert', result: 'ok' })).toBe(1);
      expect(sampleValue(text, 'floodgate_db_query_duration_seconds_count', { pool: 'primary', operation: 'select', result: 'ok' })).toBe(1);
      expect(sampleValue(text, 'floodgate_db_query_duration_seconds_count', { pool: 'primary', operation: 'select', result: 'error' })).toBe(1);
      expect(sampleValue(text, 'floodgate_db_query_duration_seconds_count', { pool: 'primary', operation: 'transaction', result: 'ok' })).toBe(2);
      expect(sampleValue(text, 'floodgate_db_pool_connections_in_use', { pool: 'primary' })).toBe(0);
      expect(sampleValue(text, 'floodgate_db_pool_connections_idle', { pool: 'primary' })).toBe(1);
      expect(sampleValue(text, 'floodgate_db_pool_waiting', { pool: 'primary' })).toBe(0);
    } finally {
      await db.close();
    }
  });

  it('when a statement is classified, then only its verb is used', () => {
    expect(operationOf('  SELECT * FROM catalog.products where slug = $1')).toBe('select');
    expect(operationOf('with x as (select 1) select * from x')).toBe('with');
    expect(operationOf('begin')).toBe('transaction');
    expect(operationOf('create table x (id int)')).toBe('other');
    expect(operationOf('')).toBe('other');
  });
});
