import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OpsSummary } from '../../src/platform/telemetry/ops-summary.js';
import { createApi, createShopper } from '../support/api.js';
import { startTestShop, type TestShop } from '../support/shop.js';
import { familyNames, sampleValue } from './prom-text.js';

/**
 * Issue 3's "/metrics exposes every family": the all-in-one as `npm start` wires it, after one purchase.
 * Red means a family lost its wiring in src/runtime/ or a service (see docs/metrics.md for who registers what).
 */
const ALL_IN_ONE_FAMILIES = [
  'floodgate_http_request_duration_seconds',
  'floodgate_db_query_duration_seconds',
  'floodgate_db_pool_connections_in_use',
  'floodgate_db_pool_connections_idle',
  'floodgate_db_pool_waiting',
  'floodgate_bus_published_total',
  'floodgate_bus_consumed_total',
  'floodgate_outbox_backlog',
  'floodgate_payments_total',
  'floodgate_orders',
  'floodgate_inventory_reservations_held',
  'floodgate_process_nodejs_eventloop_lag_p99_seconds',
  'floodgate_process_process_resident_memory_bytes',
];
// caches: the shared cache family (createMemoryCache; catalog's product, list, category and availability caches use it)
const CACHE_FAMILIES = ['floodgate_cache_requests_total'];

describe('the all-in-one process exposes every family', () => {
  let shop: TestShop;

  beforeAll(async () => {
    shop = await startTestShop('pglite');
    const api = createApi(shop.url);
    const shopper = createShopper(api);
    const admin = await shopper.adminToken(shop.admin);
    const { variantId, slug } = await shopper.createProduct(admin, { stock: 3 });
    await api.get(`/v1/products/${slug}`);
    await api.get(`/v1/products/${slug}`);
    const guest = await shopper.guestToken();
    const checkout = await shopper.checkout(guest, await shopper.cartWith(guest, variantId, 1), 'tok_visa');
    expect(checkout.status).toBe(202);
    expect((await shopper.settledOrder(guest, checkout.body.orderId)).status).toBe('paid');
  });
  afterAll(() => shop?.dispose());

  it('when /metrics is scraped after a purchase, then every documented family is there with the purchase counted', async () => {
    const text = await (await fetch(`${shop.url}/metrics`)).text();
    const families = familyNames(text);
    expect(ALL_IN_ONE_FAMILIES.filter((name) => !families.has(name))).toEqual([]);
    expect(CACHE_FAMILIES.some((name) => families.has(name))).toBe(true);
    expect(sampleValue(text, 'floodgate_payments_total', { outcome: 'captured' })).toBeGreaterThanOrEqual(1);
    expect(sampleValue(text, 'floodgate_bus_published_total', { type: 'order.placed' })).toBeGreaterThanOrEqual(1);
    expect(sampleValue(text, 'floodgate_orders', { status: 'paid' })).toBeGreaterThanOrEqual(1);
  });

  it('when /ops is read after the purchase, then its history shows the traffic and the orders placed, and the summary the outbox backlogs', async () => {
    // the process samples its summary every second into the history (each sample a rate over the second before
    // it), so the purchase is in the samples taken while it ran, not necessarily in the latest one
    const samples = async () => ((await (await fetch(`${shop.url}/ops/history.json`)).json()) as { samples: OpsSummary[] }).samples;
    await expect.poll(async () => (await samples()).some((s) => (s.ordersPerSecond.placed ?? 0) > 0), { timeout: 5_000, interval: 200 }).toBe(true);
    const groups = new Set((await samples()).flatMap((s) => s.routes.filter((r) => r.requests > 0).map((r) => r.group)));
    expect([...groups]).toEqual(expect.arrayContaining(['/v1/products', '/v1/checkout']));
    const summary = (await (await fetch(`${shop.url}/ops/summary.json`)).json()) as OpsSummary;
    expect(summary.service).toBe('floodgate');
    expect(Object.keys(summary.outboxBacklog)).toEqual(expect.arrayContaining(['orders', 'payments']));
  });
});
