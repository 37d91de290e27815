import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMemoryCache } from '../../src/platform/cache/memory-cache.js';
import { createInProcessEventBus } from '../../src/platform/bus/in-process-event-bus.js';
import { instrumentEventBus } from '../../src/platform/bus/instrumented-event-bus.js';
import { outboxBacklogsOf, registerOutboxBacklogGauge } from '../../src/platform/bus/outbox-backlog-gauge.js';
import { createOutboxRelay, enqueueEvent } from '../../src/platform/bus/outbox.js';
import { createPgliteDatabase, type Database } from '../../src/platform/db/database.js';
import { migrateAll } from '../../src/platform/db/migrate.js';
import { createHttpApp } from '../../src/platform/http/create-http-app.js';
import type { HttpApp } from '../../src/platform/service.js';
import { registerCollectGauge } from '../../src/platform/telemetry/collect-gauge.js';
import { createLogger } from '../../src/platform/telemetry/logger.js';
import { createMetrics } from '../../src/platform/telemetry/metrics.js';
import { familyNames, sampleValue } from './prom-text.js';

/** What every process exposes once the runtime wires the platform instruments (see docs/metrics.md). */
export const PLATFORM_FAMILIES = [
  'floodgate_http_request_duration_seconds',
  'floodgate_db_query_duration_seconds',
  'floodgate_db_pool_connections_in_use',
  'floodgate_db_pool_connections_idle',
  'floodgate_db_pool_waiting',
  'floodgate_cache_requests_total',
  'floodgate_cache_loads_total',
  'floodgate_cache_entries',
  'floodgate_bus_published_total',
  'floodgate_bus_publish_errors_total',
  'floodgate_bus_consumed_total',
  'floodgate_bus_handler_duration_seconds',
  'floodgate_outbox_backlog',
  'floodgate_metrics_collect_errors_total',
  'floodgate_process_nodejs_eventloop_lag_p99_seconds',
  'floodgate_process_process_resident_memory_bytes',
];

describe('GET /metrics', () => {
  let db: Database;
  let app: HttpApp;
  let url: string;
  let migrations: string;
  let insertsBeforeTraffic: number;

  beforeAll(async () => {
    const metrics = createMetrics('metrics-test');
    const logger = createLogger({ service: 'metrics-test', level: 'silent', pretty: false });
    db = await createPgliteDatabase(undefined, metrics);
    migrations = await mkdtemp(join(tmpdir(), 'floodgate-metrics-'));
    await migrateAll(db, [{ schema: 'orders', directory: migrations, outbox: true }]);
    const bus = instrumentEventBus(createInProcessEventBus(), metrics);
    const relay = createOutboxRelay({ db, schema: 'orders', bus, logger });
    registerOutboxBacklogGauge(metrics, outboxBacklogsOf([relay]));
    registerCollectGauge(metrics, 'floodgate_inventory_reservations_held', 'Reservations holding stock', async () => 4);
    const cache = createMemoryCache<{ name: string }>({ name: 'product', max: 100, ttlMs: 1_000, metrics });

    bus.subscribe('order.placed', 'payments', async () => {});
    app = await createHttpApp({
      logger, metrics, authenticate: async () => null, readinessChecks: {},
      modules: [{
        name: 'shop', client: {}, routes: (a) => {
          a.get('/v1/products/:id', async (req) => cache.getOrLoad((req.params as { id: string }).id, async () => ({ name: 'Mug' })));
          a.post('/v1/checkout', async (_req, reply) => {
            await enqueueEvent(db.kysely, 'orders', 'order.placed', { orderId: 'o1' });
            return reply.code(202).send({ status: 'pending' });
          });
        },
      }],
    });
    url = await app.listen({ host: '127.0.0.1', port: 0 });
    // migrations insert too; only the checkout inserts below are this test's
    insertsBeforeTraffic = sampleValue(await metrics.registry.metrics(), 'floodgate_db_query_duration_seconds_count', { pool: 'primary', operation: 'insert', result: 'ok' }) ?? 0;
    for (let i = 0; i < 3; i++) await fetch(`${url}/v1/products/p1`);
    await fetch(`${url}/v1/checkout`, { method: 'POST' });
    await fetch(`${url}/v1/checkout`, { method: 'POST' });
    await relay.drainOnce();
    await fetch(`${url}/v1/checkout`, { method: 'POST' });
  });

  afterAll(async () => {
    await app?.close();
    await db?.close();
    await rm(migrations, { recursive: true, force: true });
  });

  it('when scraped over HTTP, then every platform family is exposed with values from the traffic', async () => {
    const response = await fetch(`${url}/metrics`);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
    const text = await response.text();
    const families = familyNames(text);
    expect(PLATFORM_FAMILIES.filter((name) => !families.has(name))).toEqual([]);

    expect(sampleValue(text, 'floodgate_http_request_duration_seconds_count', { route: '/v1/products/:id', method: 'GET', status: '200' })).toBe(3);
    expect(sampleValue(text, 'floodgate_cache_requests_total', { cache: 'product', result: 'hit' })).toBe(2);
    expect(sampleValue(text, 'floodgate_cache_requests_total', { cache: 'product', result: 'miss' })).toBe(1);
    expect(sampleValue(text, 'floodgate_bus_published_total', { type: 'order.placed' })).toBe(2);
    expect(sampleValue(text, 'floodgate_bus_consumed_total', { type: 'order.placed', subscriber: 'payments', result: 'ok' })).toBe(2);
    expect(sampleValue(text, 'floodgate_outbox_backlog', { schema: 'orders' })).toBe(1);
    expect(sampleValue(text, 'floodgate_inventory_reservations_held')).toBe(4);
    expect(sampleValue(text, 'floodgate_db_query_duration_seconds_count', { pool: 'primary', operation: 'insert', result: 'ok' })).toBe(insertsBeforeTraffic + 3);
    expect(sampleValue(text, 'floodgate_process_process_resident_memory_bytes')).toBeGreaterThan(0);
    expect(sampleValue(text, 'floodgate_process_nodejs_eventloop_lag_p99_seconds')).toBeGreaterThanOrEqual(0);
  });

  it('when a family is exposed, then docs/metrics.md documents it', async () => {
    const docs = await readFile(new URL('../../docs/metrics.md', import.meta.url), 'utf8');
    const text = await (await fetch(`${url}/metrics`)).text();
    const undocumented = [...familyNames(text)]
      .filter((name) => name.startsWith('floodgate_') && !name.startsWith('floodgate_process_'))
      .filter((name) => !docs.includes(`\`${name}\``));
    expect(undocumented).toEqual([]);
  });
});
