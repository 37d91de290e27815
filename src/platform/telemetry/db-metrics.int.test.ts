import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { sampleValue } from '../../../test/telemetry/prom-text.js';
import { serviceAvailable, TEST_SERVICES } from '../../../test/support/services.js';
import { createPostgresDatabase } from '../db/database.js';
import { createMetrics } from './metrics.js';

const available = await serviceAvailable('postgres');

describe.skipIf(!available)('database metrics on PostgreSQL', () => {
  it('when 8 slow statements share a pool of 2, then the pool gauges show both connections in use and callers waiting', async () => {
    const metrics = createMetrics('test');
    const db = await createPostgresDatabase({ connectionString: TEST_SERVICES.postgres, maxConnections: 2, metrics, poolName: 'replica' });
    try {
      const slow = Array.from({ length: 8 }, () => sql`select pg_sleep(0.3)`.execute(db.kysely));
      await new Promise((r) => setTimeout(r, 100));
      const during = await metrics.registry.metrics();
      await Promise.all(slow);
      expect(sampleValue(during, 'floodgate_db_pool_connections_in_use', { pool: 'replica' })).toBe(2);
      expect(sampleValue(during, 'floodgate_db_pool_waiting', { pool: 'replica' })).toBe(6);
      const after = await metrics.registry.metrics();
      expect(sampleValue(after, 'floodgate_db_query_duration_seconds_count', { pool: 'replica', operation: 'select', result: 'ok' })).toBe(9);
      expect(sampleValue(after, 'floodgate_db_pool_waiting', { pool: 'replica' })).toBe(0);
    } finally {
      await db.close();
    }
  });
});
